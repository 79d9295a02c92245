"""Sphinx glue that keeps the built pages working with the network off.

1. The Jupyter widget manager (fetched from npm into ``_static/widgets/``) is loaded by RequireJS,
   which would resolve its modules, and the icon fonts they reference, relative to each page.
   A RequireJS configuration, set before require.js loads, maps them to our copy.
2. The widget manager typesets widget labels with MathJax 2's ``MathJax.Hub.Queue``; the book loads
   MathJax 3, which has no ``Hub``, so every page with a widget threw a TypeError. A two-line
   ``Hub.Queue`` that calls MathJax 3's ``typesetPromise`` is added once MathJax is loaded.
3. sphinx-thebe registers its inline configuration script once per ``env-before-read-docs`` event,
   which Jupyter Book 1 emits more than once, so pages declared ``const THEBE_JS_URL`` twice and
   the browser reported a SyntaxError on every page. We drop duplicate scripts from each page.
4. Exercise solutions are written once, between ``### BEGIN SOLUTION`` and ``### END SOLUTION``
   (exercises/make_student.py cuts them out for the student version). In the book's solution
   dropdowns the two marker lines are noise: they are removed from the displayed code (the code
   was executed with them, as comments, already).
"""

from docutils import nodes

SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")

WIDGETS = (
    "var require = {paths: {'@jupyter-widgets/html-manager/dist': new URL("
    "(document.documentElement.dataset.content_root || '') + '_static/widgets', document.baseURI).href}};"
)
# Registered before the widget manager's own DOMContentLoaded handler, so it runs first; deferred
# scripts (MathJax 3) have run by then.
MATHJAX2_QUEUE = """document.addEventListener("DOMContentLoaded", function () {
  var M = window.MathJax;
  if (!M || M.Hub) return;
  M.Hub = {Queue: function (cmd) {
    var el = cmd && cmd[2], ready = (M.startup && M.startup.promise) || Promise.resolve();
    ready.then(function () { if (el && M.typesetPromise) return M.typesetPromise([el]); });
  }};
});"""


def _dedupe_scripts(app, pagename, templatename, context, doctree):
    scripts = context.get("script_files")
    if not scripts:
        return
    seen, unique = set(), []
    for js in scripts:
        # the same inline script comes once with filename None and once with ''
        key = (getattr(js, "filename", None) or "", str(getattr(js, "attributes", {}).get("body", "")))
        if key not in seen:
            seen.add(key)
            unique.append(js)
    context["script_files"] = unique


def _hide_solution_markers(app, doctree):
    for block in doctree.findall(nodes.literal_block):
        text = block.astext()
        if not any(marker in text for marker in SOLUTION_MARKERS):
            continue
        kept = "\n".join(line for line in text.split("\n") if line.strip() not in SOLUTION_MARKERS)
        block.rawsource = kept
        block.children = []
        block += nodes.Text(kept)


def setup(app):
    app.add_js_file(None, body=WIDGETS, priority=100)
    app.add_js_file(None, body=MATHJAX2_QUEUE, priority=101)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    app.connect("doctree-read", _hide_solution_markers)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
