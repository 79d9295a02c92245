"""The printable edition (issue #19): what the book's single-page HTML build needs to become the PDF.

``make pdf`` (tests/build_pdf.py) builds each edition with Sphinx's ``singlehtml`` builder and prints that one page
with Chromium. This extension does nothing for the other builders. For ``singlehtml`` it

1. renders every node as the ``html`` builder does. Extensions register their HTML visitors for the builder
   named ``html`` only (MyST-NB's hidden code cells, sphinx-jupyterbook-latex's hidden toctree copies), and
   Sphinx looks the visitors up by builder name, so ``singlehtml`` would stop at the first such node;
2. embeds the widget state of every notebook in the one page (MyST-NB embeds a page's own state only, and the
   single page's own document, the home page, has no widgets): ``print.js`` draws each pre-rendered explorer
   as a strip of its frames from that state, without a widget manager;
3. adds ``static/print.css`` and ``static/print.js``: the book's order of parts, chapters and sections with
   their numbers, a title page and a table of contents, answers and solutions at the end of each part, the
   page numbers of a first printing filled into the contents and the cross-references of the second.
"""
import json

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _single_page(app):
    return app.builder.name == "singlehtml"


def _setup_single_page(app):
    if not _single_page(app):
        return
    handlers = app.registry.translation_handlers
    single = handlers.setdefault("singlehtml", {})
    for node_name, visitors in handlers.get("html", {}).items():
        single.setdefault(node_name, visitors)
    app.add_css_file("print.css", priority=950)
    app.add_js_file("print.js", priority=950)


def _widget_states(env):
    """The widget models of every notebook of the book, merged (model ids are unique)."""
    from myst_nb.sphinx_ import NbMetadataCollector

    models = {}
    for docname in sorted(env.all_docs):
        for key, (_, kwargs) in NbMetadataCollector.get_js_files(env, docname).items():
            if key == "ipywidgets_state" and kwargs.get("type") == WIDGET_STATE:
                models.update(json.loads(kwargs["body"])["state"])
    return models


def _embed_widget_states(app, pagename, templatename, context, doctree):
    if not _single_page(app) or pagename != app.config.root_doc:
        return
    models = _widget_states(app.env)
    if models:
        body = json.dumps({"version_major": 2, "version_minor": 0, "state": models}).replace("</", "<\\/")
        app.add_js_file(None, type=WIDGET_STATE, body=body, id="nnlib-widget-state")


def setup(app):
    app.connect("builder-inited", _setup_single_page)
    app.connect("html-page-context", _embed_widget_states)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
