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
"""

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


def setup(app):
    app.add_js_file(None, body=WIDGETS, priority=100)
    app.add_js_file(None, body=MATHJAX2_QUEUE, priority=101)
    app.connect("html-page-context", _dedupe_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
