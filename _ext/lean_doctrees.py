"""Sphinx glue that keeps every page's doctree small, so that the build stores and reloads it quickly.

Sphinx pickles each page's doctree once the page is read, and loads it again to number the figures and to
write the page. Before pickling it clears the page document's link to the build environment
(``settings.env``). But a node made in a document of its own keeps a link to that document, and through its
settings to the whole environment:

- the Spanish edition's translated messages (``sphinx.transforms.i18n`` parses each message as a small
  document and moves its nodes into the page);
- the API pages' docstrings (autodoc).

So every such doctree pickled the whole environment with it, every notebook's widget state included:
4.7 MB a page, 649 MB for the Spanish edition's 138 pages and 272 MB for the English edition's 56 API
pages, and loading them again took about 30 s of each build (issue #16). Once a page is read, every node
of it is pointed at the page's own document.
"""


def _one_document(app, doctree):
    """Point every node of the page at the page's document (nodes carried over from another keep theirs)."""
    for node in doctree.findall():
        if node.document is not doctree:
            node.document = doctree


def setup(app):
    # after the other doctree-read handlers (default priority 500), which may add nodes of their own
    app.connect("doctree-read", _one_document, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
