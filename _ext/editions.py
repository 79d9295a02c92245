"""The Spanish edition (issue #18): one source, two languages, translated the standard Sphinx way.

The notebooks and pages are the one source of code and of English text. ``make translations`` extracts every
translatable message with Sphinx's ``gettext`` builder and keeps ``locales/es/LC_MESSAGES/<page>.po`` in step
with it (sphinx-intl); a build with ``language = "es"`` renders the Spanish edition from those catalogs
(tests/build_book.py builds it into ``_build/html/es``). This extension makes that path work for this book:

1. **What is not translated is marked so**, before Sphinx's Locale transform runs: display math (a formula is
   the same in both languages), anything a code cell printed or displayed (generated when the notebook runs),
   the API reference's docstrings (the code's documentation stays in English, as the code does) and the
   measured tables included from ``benchmarks/results*.md`` (rewritten by every ``make bench``).
2. **Notebooks can be translated.** Sphinx parses each translated message with the parser of its source
   file; for a notebook that is MyST-NB's, which expects a whole notebook in JSON and fails on one paragraph
   (MyST-NB issue 587, "Does not work with Sphinx's internationalization workflow"). A message of a notebook
   is MyST Markdown, so it is parsed with MyST's Markdown parser, as a message of a ``.md`` page is.
3. **Nothing is left in English unnoticed.** In a build in another language every message without a
   translation, every fuzzy one (Sphinx does not use fuzzy translations) and every catalog entry that no
   longer matches a message of the source is reported as a warning (so ``-W`` fails the build) naming the
   page, and listed in full in ``_build/translations-todo-<language>.txt``; ``make translations`` then
   updates the catalogs.
4. **A language switch on every page**, to the same page in the other edition, and ``<link rel="alternate"
   hreflang>`` for each edition. The English edition is the site's root; the Spanish one is in ``es/``.
5. **The glossary is sorted in the reader's alphabet** (Sphinx sorts the translated terms by their code points:
   an accented letter after every plain one).
6. **The themes' own words in Spanish.** sphinx-book-theme's Spanish catalog misses or mistranslates some of
   its messages ("Launch on", "Descarga esta pagina", "Tema del libro de la esfinge"), Sphinx's lacks "Link to
   this heading", and a few words are fixed English in the themes' templates ("Toggle primary sidebar", the
   aria-labels "Main" and "Page", the logos' alt text) or in Jupyter Book's defaults ("Search this book...").
   ``THEME`` translates the first kind in front of the themes' catalogs, ``FIXED`` the second kind in the
   written pages, and the search box gets its placeholder in the book's language.
"""
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform
from sphinx.util import logging
from sphinx.util.nodes import extract_messages

logger = logging.getLogger(__name__)

# The editions: language -> the folder of the site it lives in, relative to the English root.
EDITIONS = {"en": "", "es": "es/"}
SWITCH = {"en": ("es", "Leer en español", "Español"), "es": ("en", "Read in English", "English")}


# The themes' messages that their Spanish catalogs lack or get wrong (6.), and the words their templates fix in
# English, as they appear in the written HTML.
THEME = {"es": {
    "Launch": "Abrir", "Launch on": "Abrir en", "Launch interactive content": "Abrir como cuaderno interactivo",
    "Source repository": "Repositorio del código", "Source repositories": "Repositorio del código",
    "Open an issue": "Abrir una incidencia", "open issue": "abrir una incidencia", "repository": "repositorio",
    "Download this page": "Descargar esta página", "Download notebook file": "Descargar el cuaderno",
    "Download source file": "Descargar el archivo fuente",
    "Download the student notebook": "Descargar el cuaderno del estudiante",
    "Edit this page": "Editar esta página", "suggest edit": "sugerir un cambio",
    "Last updated on": "Última actualización:", "previous page": "página anterior", "next page": "página siguiente",
    "Toggle navigation": "Mostrar u ocultar la navegación", "Sphinx Book Theme": "Sphinx Book Theme",
    "Theme by the": "Tema de", "By the": "De", "Search": "Buscar",
    "Link to this heading": "Enlace a este encabezado", "Link to this equation": "Enlace a esta ecuación",
    "Link to this image": "Enlace a esta imagen", "Link to this table": "Enlace a esta tabla",
    "Link to this code": "Enlace a este código", "Link to this definition": "Enlace a esta definición",
    "Link to this term": "Enlace a este término",
}}
FIXED = {"es": {
    'title="Toggle primary sidebar"': 'title="Mostrar u ocultar el índice"',
    'title="Toggle secondary sidebar"': 'title="Mostrar u ocultar el contenido de la página"',
    'aria-label="Main"': 'aria-label="Principal"', 'aria-label="Page"': 'aria-label="Página"',
    'alt="Binder logo"': 'alt="Logotipo de Binder"', 'alt="Colab logo"': 'alt="Logotipo de Colab"',
}}
SEARCH = {"es": "Buscar en este libro..."}


# ------------------------------------------------------------------------------ 1. what is not translated
def _generated(node):
    """True for text that the source does not hold as prose: output of a code cell, a docstring, a results file
    (or anything inside one: a table cell of an included results file carries the including page as its source)."""
    while node is not None:
        source = (node.get("source") if isinstance(node, nodes.Element) else None) or node.source or ""
        if "docstring of " in source or "/benchmarks/results" in source.replace("\\", "/"):
            return True
        if isinstance(node, nodes.Element) and "cell_output" in node.get("classes", []):
            return True
        node = node.parent
    return False


class KeepUntranslated(SphinxTransform):
    """Mark display math, cell outputs, docstrings and measured tables as not translatable (before Locale);
    and an exercise's subtitle as translatable (sphinx-exercise makes it without a source, which Sphinx skips)."""
    default_priority = 15

    def apply(self, **kwargs):
        for node in self.document.findall(nodes.title):  # "Exercise", "Solution to": sphinx-exercise's own words
            if type(node).__name__ in ("exercise_title", "solution_title"):
                node["translatable"] = False
        for node in self.document.findall(nodes.subtitle):
            if type(node).__name__ == "exercise_subtitle" and not node.source:
                node.source, node.line = self.document["source"], node.line or 1
                node.rawsource = node.rawsource or node.astext()  # the message (a plain title)
        for node in self.document.findall(nodes.math_block):
            node["translatable"] = False
        for desc in self.document.findall(addnodes.desc):  # an API entry: its docstring and Sphinx's own labels
            for node in desc.findall(nodes.TextElement):
                node["translatable"] = False
        for node in self.document.findall(nodes.TextElement):
            if _generated(node):
                node["translatable"] = False
        for node in self.document.findall(nodes.image):  # an image's alt text is generated from the figure
            if _generated(node):
                node["translatable"] = False


# ------------------------------------------------------------------------------ 2. notebooks
def _parse_messages_as_markdown():
    import sphinx.transforms.i18n as i18n
    if getattr(i18n.get_filetype, "nnlib_markdown", False):
        return
    original = i18n.get_filetype

    def get_filetype(source_suffix, filename):
        filetype = original(source_suffix, filename)
        return "markdown" if filetype == "myst-nb" else filetype

    get_filetype.nnlib_markdown = True
    i18n.get_filetype = get_filetype
    # MyST's parser builds a new markdown-it parser for every call, which costs more than parsing the one
    # paragraph of a message: keep one per configuration (the translations are parsed one after the other).
    import myst_parser.parsers.sphinx_ as myst_sphinx
    build, parsers = myst_sphinx.create_md_parser, {}

    def create_md_parser(config, renderer):
        key = (repr(config), renderer)
        if key not in parsers:
            parsers[key] = build(config, renderer)
        return parsers[key]

    myst_sphinx.create_md_parser = create_md_parser
    # Its renderer also makes a new document for every call, as the default of `options.get("document", ...)`,
    # which Python evaluates even when Sphinx passes the document to use: each costs docutils' default settings,
    # an option parser built from scratch (2 ms, 7,000 messages a build). Build those settings once per parser
    # class and give each document a copy of its own.
    import myst_parser.mdit_to_docutils.base as myst_base
    from docutils.utils import new_document
    make, defaults = myst_base.make_document, {}

    def make_document(source_path="notset", parser_cls=myst_base.RSTParser):
        if parser_cls not in defaults:
            defaults[parser_cls] = make(source_path, parser_cls).settings
        return new_document(source_path, settings=defaults[parser_cls].copy())

    myst_base.make_document = make_document


# ------------------------------------------------------------------------------ 3. completeness
def _translating(config):
    return bool(config.language) and config.language != "en"


class RecordMessages(SphinxTransform):
    """After Locale: remember each message of the page and whether it was translated."""
    default_priority = 21

    def apply(self, **kwargs):
        if not _translating(self.config):
            return
        seen, missing = set(), {}
        for node, msg in extract_messages(self.document):
            seen.add(msg)
            if not node.get("translated"):
                missing[msg] = None  # once per message, in the page's order
        store = self.env.__dict__.setdefault("nnlib_messages", {})
        store[self.env.docname] = (seen, list(missing))


def _extract_exercise_titles(app, doctree, docname):
    """The gettext builder extracts messages from the resolved page, where sphinx-exercise has rebuilt its
    titles; take the exercises' subtitles from the page as read (where Locale translates them)."""
    if app.builder.name != "gettext":
        return
    from sphinx.util.i18n import docname_to_domain
    catalog = app.builder.catalogs[docname_to_domain(docname, app.config.gettext_compact)]
    for node in app.env.get_doctree(docname).findall(nodes.subtitle):
        if type(node).__name__ == "exercise_subtitle" and node.rawsource:
            catalog.add(node.rawsource, node)


class TranslateCaptions(SphinxTransform):
    """The parts' captions of the table of contents: sphinx-external-toc inserts the toctrees (priority 100) after
    Sphinx's Locale transform has run (20), so they are translated here, from the root page's catalog."""
    default_priority = 101

    def apply(self, **kwargs):
        captioned = [t for t in self.document.findall(addnodes.toctree) if t.get("caption")]
        if not captioned or not _translating(self.config):
            return
        from os import path

        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain
        dirs = [path.join(self.env.srcdir, d) for d in self.config.locale_dirs]
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        catalog, has_catalog = init_locale(dirs, self.config.language, domain)
        seen, missing = self.env.__dict__.setdefault("nnlib_messages", {}).setdefault(
            self.env.docname, (set(), []))
        for toctree in captioned:
            caption = toctree["caption"]
            seen.add(caption)
            translated = catalog.gettext(caption) if has_catalog else caption
            if translated == caption:
                missing.append(caption)
            toctree["caption"] = translated


class RefreshExercises(SphinxTransform):
    """sphinx-exercise keeps a copy of each exercise, made when the directive ran (before Locale), and titles its
    solution ("Solution to Exercise 2 (...)") from that copy: refresh the copy once the subtitle is translated."""
    default_priority = 23

    def apply(self, **kwargs):
        registry = getattr(self.env, "sphinx_exercise_registry", None)
        if not registry or not _translating(self.config):
            return
        for node in self.document.findall(nodes.Element):
            label = node.get("label")
            if type(node).__name__.startswith("exercise") and label in registry \
                    and registry[label].get("docname") == self.env.docname:
                registry[label]["node"] = node.deepcopy()


def _purge(app, env, docname):
    getattr(env, "nnlib_messages", {}).pop(docname, None)


def _merge(app, env, docnames, other):
    env.__dict__.setdefault("nnlib_messages", {}).update(
        {d: v for d, v in getattr(other, "nnlib_messages", {}).items() if d in docnames})


def catalog_path(app, docname):
    """The catalog of a page: locales/<language>/LC_MESSAGES/<docname>.po."""
    return Path(app.srcdir) / app.config.locale_dirs[0] / app.config.language / "LC_MESSAGES" / f"{docname}.po"


def _stale_entries(app, docname, seen):
    """Translated entries of the page's catalog that match no message of the source any more."""
    from babel.messages.pofile import read_po
    path = catalog_path(app, docname)
    if not path.is_file():
        return [], []
    with open(path, "rb") as f:
        catalog = read_po(f)
    stale = [m.id for m in catalog if m.id and m.id not in seen]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy and m.id in seen]
    return stale, fuzzy


def _report(app, exception):
    if exception is not None or not _translating(app.config) or app.builder.format != "html":
        return
    todo, pages = [], []
    for docname, (seen, missing) in sorted(getattr(app.env, "nnlib_messages", {}).items()):
        stale, fuzzy = _stale_entries(app, docname, seen)
        missing = [m for m in missing if m not in fuzzy]
        if not (missing or stale or fuzzy):
            continue
        pages.append(f"{docname} ({len(missing)} untranslated, {len(fuzzy)} fuzzy, {len(stale)} stale)")
        todo.append(f"== {catalog_path(app, docname).relative_to(app.srcdir)}")
        todo += [f"untranslated: {m}" for m in missing] + [f"fuzzy: {m}" for m in fuzzy]
        todo += [f"stale (matches no message of the source): {m}" for m in stale]
    out = Path(app.outdir).resolve()
    build = next((p for p in out.parents if p.name == "_build"), out.parent)
    listing = build / f"translations-todo-{app.config.language}.txt"
    if not pages:
        listing.unlink(missing_ok=True)
        return
    listing.write_text("\n".join(todo) + "\n")
    logger.warning(
        "the %s edition has messages to translate on %d pages: %s. Every message is listed in %s; run "
        "`make translations` to bring the catalogs in step with the sources, then translate the empty and "
        "fuzzy entries.", app.config.language, len(pages), "; ".join(pages[:12]) + ("; …" if len(pages) > 12 else ""),
        listing, type="i18n", subtype="todo")


# ------------------------------------------------------------------------------ 4. the language switch
def _switch(app, pagename, templatename, context, doctree):
    language = app.config.language or "en"
    if language not in EDITIONS:
        return
    up = "../" * pagename.count("/")
    root = up + ("../" * EDITIONS[language].count("/"))  # the English root, from this page

    def url(lang):
        return f"{root}{EDITIONS[lang]}{pagename}.html"

    other, title, label = SWITCH[language]
    context["metatags"] = context.get("metatags", "") + "".join(
        f'\n<link rel="alternate" hreflang="{lang}" href="{url(lang)}" />' for lang in EDITIONS)
    if "body" in context:
        context["body"] = (f'<p class="nnlib-language"><a href="{url(other)}" hreflang="{other}" lang="{other}" '
                           f'title="{title}"><i class="fa-solid fa-language"></i> {label}</a></p>\n') + context["body"]


# ------------------------------------------------------------------------------ 5. the glossary's order
class SortGlossary(SphinxTransform):
    """Re-sort a ``:sorted:`` glossary in the reader's alphabet. Sphinx sorts it after translating (priority 500)
    by the code points of its terms, so "cálculo" came after "capa"; in Spanish an accent does not count and ñ
    is the letter after n ("anulación", "añadir", "aplicaciones")."""
    default_priority = 501

    def apply(self, **kwargs):
        if not _translating(self.config):
            return
        import unicodedata

        def key(item):
            text = item[0].astext().lower().replace("ñ", "n\x7f") if len(item) else ""
            return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))

        for glossary in self.document.findall(addnodes.glossary):
            if glossary.get("sorted"):
                for dl in glossary.findall(nodes.definition_list):
                    dl[:] = sorted(dl.children, key=key)


# ------------------------------------------------------------------------------ 6. the themes' words
class _Overrides:
    """A translator that answers from ``table`` first, then from the catalog it stands in front of."""

    def __init__(self, table, fallback):
        self.table, self.fallback = table, fallback

    def gettext(self, message):
        return self.table.get(message) or (self.fallback.gettext(message) if self.fallback else message)

    def ngettext(self, singular, plural, n):
        if n == 1 and singular in self.table:
            return self.table[singular]
        return self.fallback.ngettext(singular, plural, n) if self.fallback else (singular if n == 1 else plural)

    def __getattr__(self, name):  # anything else (e.g. add_fallback) is the catalog's
        return getattr(self.fallback, name)


def _theme_words(app):
    from sphinx.locale import translators
    table = THEME.get(app.config.language)
    if not table:
        return
    for catalog in ("booktheme", "sphinx"):
        key = ("general", catalog)
        current = translators.get(key)
        if not isinstance(current, _Overrides):
            translators[key] = _Overrides(table, current)
    if app.config.language in SEARCH:  # the builder reads this same dict when it writes each page
        app.config.html_theme_options["search_bar_text"] = SEARCH[app.config.language]


def _fixed_words(app, exception):
    table = FIXED.get(app.config.language)
    if exception is not None or not table or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = text
        for english, translated in table.items():
            new = new.replace(english, translated)
        if new != text:
            page.write_text(new, encoding="utf-8")


def _register_markdown_parser(app, config):
    if "markdown" not in app.registry.source_parsers:
        from myst_parser.parsers.sphinx_ import MystParser
        app.add_source_parser(MystParser)


def setup(app):
    _parse_messages_as_markdown()
    app.connect("config-inited", _register_markdown_parser)
    app.add_transform(KeepUntranslated)
    app.add_transform(RecordMessages)
    app.add_transform(SortGlossary)
    app.add_transform(TranslateCaptions)
    app.add_transform(RefreshExercises)
    app.connect("doctree-resolved", _extract_exercise_titles)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _switch)
    app.connect("build-finished", _report)
    app.connect("builder-inited", _theme_words)
    app.connect("build-finished", _fixed_words)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
