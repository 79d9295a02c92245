"""Sphinx glue that makes the built book read well on a laptop and a phone (issue #15).

1. ``static/book.css`` and ``static/book.js`` on every page: no empty top bar and one search box, a menu
   button that opens the table of contents at every width (the themes bind their script to a hidden
   duplicate button, pydata-sphinx-theme issue 2451), 80 columns of code, equations and tables that scroll
   in their own box, the Spanish subtitle under a short English title, live explorers replaced by a note
   (their controls need a kernel), and a description for every frame of a pre-rendered explorer.
2. A favicon (``static/favicon.svg``).
3. Every figure gets a short description as alt text: the build's kernels write it into each PNG
   (:mod:`nnlib.book.figures`, from the figure's titles and axis labels); images that already have an alt
   text keep it.
4. Exercise pages (``exercises/solutions/NN-name``) lead to the student notebook, not to the solutions:
   the Binder and Colab buttons open ``exercises/NN-name.ipynb``, the download button downloads it (copied
   into the site), and a box at the top says in two lines how to work on the exercise and check an answer.
5. Bibliography labels that match the citations in the text ("Polyak, 1964"), style ``author_year_labels``.
"""
import re
import shutil
from pathlib import Path

from docutils import nodes

HERE = Path(__file__).resolve().parent
SOLUTIONS = "exercises/solutions/"


# ------------------------------------------------------------------------------ 3. alt text of figures
def _image_file(app, docname, uri):
    for base in (Path(app.srcdir), Path(app.srcdir) / Path(docname).parent, Path(app.outdir).parent):
        path = (base / uri)
        if path.is_file():
            return path
    return None


def _describe_images(app, doctree):
    from nnlib.book.figures import ALT_KEY, png_info
    for image in doctree.findall(nodes.image):
        if image.get("alt", "").strip():
            continue
        path = _image_file(app, app.env.docname, image["uri"])
        if path is not None and path.suffix == ".png":
            texts, _ = png_info(path)
            if ALT_KEY in texts:
                image["alt"] = texts[ALT_KEY]


# ------------------------------------------------------------------------------ 4. exercise pages
def _student(docname):
    """'exercises/solutions/13-learning-rate' -> '13-learning-rate' (or None for another page)."""
    return docname[len(SOLUTIONS):] if docname.startswith(SOLUTIONS) else None


def _launch_urls(app, name):
    opts = app.config.html_theme_options
    repo = opts.get("repository_url", "").rstrip("/")
    branch = opts.get("repository_branch", "main") or "main"
    launch = opts.get("launch_buttons", {})
    org_repo = repo.split("github.com/")[-1]
    path = f"exercises/{name}.ipynb"
    urls = {}
    if launch.get("binderhub_url"):
        ui = "tree" if launch.get("notebook_interface", "classic") == "classic" else "lab/tree"
        urls["Binder"] = f"{launch['binderhub_url'].rstrip('/')}/v2/gh/{org_repo}/{branch}?urlpath={ui}/{path}"
    if launch.get("colab_url"):
        urls["Colab"] = f"{launch['colab_url'].rstrip('/')}/github/{org_repo}/blob/{branch}/{path}"
    return urls


# The box's words in each edition (the box is made here, not read from a page, so it is not in a catalog). The
# last two say where the solutions are: on the web page (closed below) and in the printed book (_ext/printing.py:
# at the end of the part); each is shown only where it is true (book.css, print.css).
HOWTO = {
    "en": ("Work on it in a notebook", "Open the student notebook (", "download",
           "), run its cells from the top and write each answer where it asks; the check cell after an answer "
           "says whether it is right or gives a hint.",
           " The solutions below stay closed until you open them.",
           " The solutions are printed at the end of the part."),
    "es": ("Trabaje en un cuaderno", "Abra el cuaderno del estudiante (", "descargar",
           "), ejecute sus celdas desde el principio y escriba cada respuesta donde se le pide; la celda de "
           "comprobación que sigue a cada respuesta dice si es correcta o da una pista (en español si antes ejecuta "
           "`from nnlib import check; check.language('es')`).",
           " Las soluciones de abajo siguen cerradas hasta que usted las abra.",
           " Las soluciones están impresas al final de la parte."),
}


def _howto_box(app, doctree):
    name = _student(app.env.docname)
    if name is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    title, opening, download, rest, on_screen, in_print = HOWTO.get(app.config.language or "en", HOWTO["en"])
    para = nodes.paragraph()
    para += nodes.Text(opening)
    links = list(_launch_urls(app, name).items()) + [(f"{download} {name}.ipynb", f"../{name}.ipynb")]
    for i, (label, url) in enumerate(links):
        if i:
            para += nodes.Text(" · ")
        para += nodes.reference(text=label, refuri=url)
    for i, piece in enumerate(rest.split("`")):  # `code` in the words is shown as code
        para += nodes.literal(text=piece) if i % 2 else nodes.Text(piece)
    para += nodes.inline(text=on_screen, classes=["nnlib-screen-only"])
    para += nodes.inline(text=in_print, classes=["nnlib-print-only"])
    box = nodes.admonition(classes=["note", "exercise-howto"])
    box += nodes.title(text=title)
    box += para
    index = next((i + 1 for i, child in enumerate(section.children) if isinstance(child, nodes.title)), 0)
    section.insert(index, box)


def _retarget_buttons(app, pagename, templatename, context, doctree):
    name = _student(pagename)
    if name is None or "header_buttons" not in context:
        return
    solution, student = f"exercises/solutions/{name}.ipynb", f"exercises/{name}.ipynb"
    download = context["pathto"](student, 1)

    def visit(buttons):
        for button in buttons:
            if isinstance(button.get("buttons"), list):
                visit(button["buttons"])
            url = button.get("url")
            if not isinstance(url, str):
                continue
            if "/_sources/" in url or url.startswith("_sources") or re.search(r"(^|/)_sources/", url):
                if url.endswith(".ipynb"):
                    button["url"] = download
                    button["tooltip"] = "Download the student notebook"
            elif solution in url and ("binder" in url or "colab" in url or "jupyter" in url):
                button["url"] = url.replace(solution, student)

    visit(context["header_buttons"])


def _copy_student_notebooks(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir) / "exercises"
    out.mkdir(parents=True, exist_ok=True)
    for nb in sorted((Path(app.srcdir) / "exercises").glob("[0-9]*.ipynb")):
        shutil.copyfile(nb, out / nb.name)


# ------------------------------------------------------------------------------ 5. citation labels
def _register_citation_style():
    """The bibliography's labels read as the citations in the text do: "Polyak, 1964", "Sutskever et al., 2013"
    (pybtex's default labels were "[Pol64]", "[SMDH13]", which a reader cannot match with the text)."""
    import pybtex.plugin
    from pybtex.style.formatting.alpha import Style as AlphaStyle
    from pybtex.style.labels import BaseLabelStyle

    def last(person):
        return re.sub(r"[{}\\'\"`^~]", "", " ".join(person.prelast_names + person.last_names))

    class AuthorYear(BaseLabelStyle):
        def format_labels(self, sorted_entries):
            seen = {}
            for entry in sorted_entries:
                people = entry.persons.get("author") or entry.persons.get("editor") or []
                names = ([last(people[0])] if len(people) != 2 else [f"{last(people[0])} and {last(people[1])}"])
                who = names[0] + (" et al." if len(people) > 2 else "")
                label = f"{who or entry.fields.get('title', entry.key)}, {entry.fields.get('year', 'n.d.')}"
                seen[label] = seen.get(label, 0) + 1
                yield label if seen[label] == 1 else f"{label}{'abcdefgh'[seen[label] - 1]}"

    class Style(AlphaStyle):
        default_label_style = AuthorYear

    pybtex.plugin.register_plugin("pybtex.style.formatting", "author_year_labels", Style)


# ------------------------------------------------------------------------------ set-up
def _static_path(app):
    app.config.html_static_path.append(str(HERE / "static"))
    if not app.config.html_favicon:
        app.config.html_favicon = str(HERE / "static" / "favicon.svg")


def setup(app):
    _register_citation_style()
    app.connect("builder-inited", _static_path)
    app.add_css_file("book.css", priority=900)
    app.add_js_file("book.js", priority=900)
    app.connect("doctree-read", _describe_images)
    app.connect("doctree-read", _howto_box)
    app.connect("html-page-context", _retarget_buttons, priority=900)
    app.connect("build-finished", _copy_student_notebooks)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
