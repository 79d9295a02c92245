"""Measure how the built book reads on a laptop (1280×800) and a phone (390×844), page by page.

One function, ``measure(page, path, width)``, looks at a page loaded in the browser and returns what a reader
would trip over there: sideways scrolling, code and equations wider than the column, tables that overflow,
figures whose text is too small at the size shown, controls that move nothing, saved progress bars, images
without a description, answers shown outside a solution dropdown, launch links to the solutions. It is used
by tests/book/test_layout.py (which asserts each point) and, from the command line, to print the counts::

    .venv/bin/python tests/book/layout.py                 # every page at both widths: counts, then details
    .venv/bin/python tests/book/layout.py chapters/05-variants/optimizers.html --width 1280

Figure text: the build's kernels (tests/execute_notebooks.py) write into every matplotlib PNG the size of
its smallest text in points (``nnlib:min_font_pt``) and its resolution; at the size the page shows the image,
that text is ``pt / 72 × dpi × shown width / natural width`` CSS pixels.
"""
import json
import re
import sys
from pathlib import Path

from nnlib.book.figures import MIN_FONT_KEY, png_info

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "_build" / "html"
WIDTHS = {"laptop": (1280, 800), "phone": (390, 844)}
MIN_FIGURE_TEXT_PX = 9.0
# The visible text of a solved check: "✔ Correct! …" (nnlib.check._feedback).
ANSWER_MARK = "✔ Correct!"

# Runs in the page; returns a JSON-able dict. Dropdowns are measured closed first (what shows before the
# reader opens one), then opened so that the code inside them is measured too.
MEASURE_JS = r"""
() => {
  const art = document.querySelector('article.bd-article') || document.querySelector('article');
  const vis = (el) => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
  const inDropdown = (el) => !!el.closest('details, .toggle-hidden, .dropdown, .solution, .toggle');
  const out = {};
  out.viewport = window.innerWidth;
  out.sideways = Math.max(0, document.documentElement.scrollWidth - window.innerWidth);
  // --- exercise pages: what shows before any dropdown is opened
  const shown = [];
  art.querySelectorAll('.cell_output, .output').forEach(o => {
    if (!inDropdown(o) && vis(o)) shown.push(o.innerText); });
  out.visible_outputs = shown;
  out.visible_text = (() => { const a = art.cloneNode(true);
    a.querySelectorAll('details, .solution, .dropdown, .toggle-hidden, script, style').forEach(e => e.remove());
    return a.innerText; })();
  // numbers a solved check printed inside a dropdown ("✔ Correct! δ^3 = [0.121612]"): none may show outside
  out.answers = [];
  art.querySelectorAll('.cell_output, .output').forEach(o => {
    if (!inDropdown(o)) return;
    (o.textContent.match(/Correct!.*/g) || []).forEach(line =>
      (line.split('=').slice(1).join('=').match(/-?\d+\.\d{4,}/g) || []).forEach(n => out.answers.push(n)));
  });
  out.launch_links = Array.from(document.querySelectorAll('a')).map(a => a.href)
      .filter(h => /mybinder\.org|colab\.research|_sources\/|\.ipynb/.test(h));
  // --- chrome: the menu button, the header bar, search boxes
  out.header_height = (() => { const h = document.querySelector('header.bd-header');
    return h && vis(h) ? h.getBoundingClientRect().height : 0; })();
  out.search_boxes = Array.from(document.querySelectorAll(
      'form.bd-search, .search-button, .search-button-field')).filter(vis).length;
  const h1 = art.querySelector('h1');
  out.title_height = h1 ? h1.getBoundingClientRect().height : 0;
  out.title = h1 ? h1.innerText.replace(/#$/, '').trim() : '';
  out.favicon = !!document.querySelector('link[rel~="icon"]');
  // --- open every dropdown, then measure widths
  art.querySelectorAll('details').forEach(d => d.open = true);
  art.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden'));
  art.querySelectorAll('.dropdown, .solution').forEach(e => e.classList.add('toggle-shown'));
  const scrolls = (el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  const scrollingAncestor = (el) => { for (let p = el.parentElement; p && p !== art; p = p.parentElement)
      if (scrolls(p) && p.scrollWidth > p.clientWidth + 1) return p; return null; };
  out.code = [];
  art.querySelectorAll('pre').forEach(pre => {
    if (!vis(pre) || pre.closest('.jupyter-widgets')) return;
    const excess = pre.scrollWidth - pre.clientWidth;
    if (excess > 1) {
      const lines = pre.innerText.split('\n');
      const longest = lines.reduce((a, b) => (b.length > a.length ? b : a), '');
      out.code.push({kind: pre.closest('.cell_output, .output') ? 'output' : 'code', excess,
                     scrolls: scrolls(pre), longest: longest.slice(0, 160)});
    }
  });
  out.equations = [];
  art.querySelectorAll('mjx-container[display="true"]').forEach(m => {
    if (!vis(m)) return;
    const excess = m.scrollWidth - m.clientWidth;
    const inner = m.firstElementChild ? m.firstElementChild.getBoundingClientRect().width : 0;
    const over = Math.max(excess, inner - m.getBoundingClientRect().width);
    if (over > 1) {
      let tex = '';
      try { tex = MathJax.startup.document.getMathItemsWithin(m)[0].math; } catch (e) {}
      out.equations.push({excess: Math.round(over), scrolls: scrolls(m) || !!scrollingAncestor(m),
                          tex: tex.slice(0, 200)});
    }
  });
  out.tables = [];
  art.querySelectorAll('table').forEach(t => {
    if (!vis(t) || t.closest('.jupyter-widgets')) return;
    const box = t.parentElement;
    const own = scrolls(t) ? t : (scrolls(box) ? box : null);
    const column = art.getBoundingClientRect().right;
    const right = Math.max(t.getBoundingClientRect().right, t.getBoundingClientRect().left + t.scrollWidth);
    if (right > column + 1 && !own)
      out.tables.push({excess: Math.round(right - column), head: t.innerText.slice(0, 80)});
  });
  out.images = Array.from(art.querySelectorAll('img')).filter(vis).map(i => ({
      src: i.getAttribute('src'), alt: i.getAttribute('alt') || '', natural: i.naturalWidth,
      shown: i.getBoundingClientRect().width, widget: !!i.closest('.jupyter-widgets')}));
  out.progress = art.querySelectorAll('.widget-hprogress, progress, .widget-progress').length
      + shown.filter(t => /\d+(\.\d+)?(it\/s|s\/it)\b|\| *[█▏▎▍▌▋▊▉]+[ █▏▎▍▌▋▊▉]*\|/.test(t)).length;
  // a control of the static page is alive only in a pre-rendered explorer (.nnlib-frames, linked in the browser)
  out.dead_controls = Array.from(art.querySelectorAll(
      '.jupyter-widgets .widget-slider, .jupyter-widgets .widget-dropdown, .jupyter-widgets .widget-toggle-buttons,'
      + ' .jupyter-widgets .widget-button, .jupyter-widgets .widget-checkbox, .jupyter-widgets .widget-play'))
      .filter(c => vis(c) && !c.closest('.nnlib-frames')).length;
  return out;
}
"""


def figure_text_px(image, page_path, build=BUILD):
    """The CSS size of the smallest text of a figure as the page shows it (None if not a measured figure)."""
    src = image["src"] or ""
    if src.startswith("data:") or not image["natural"]:
        return None
    file = (build / page_path).parent / src.split("?")[0]
    if not file.exists():
        return None
    texts, dpi = png_info(file)
    if MIN_FONT_KEY not in texts or dpi is None:
        return None
    return float(texts[MIN_FONT_KEY]) / 72 * dpi * image["shown"] / image["natural"]


_HASHED_ALT = re.compile(r"^$|[0-9a-f]{16,}|\.(png|svg|jpe?g)$|^_images/|^image$", re.I)


def problems(m, path, width, build=BUILD):
    """The list of problems of one measured page (`m` from MEASURE_JS) at `width` ('laptop' or 'phone')."""
    out = []
    if m["sideways"] > 1:
        out.append(("page scrolls sideways", f"{m['sideways']} px"))
    laptop = width == "laptop"
    for c in m["code"]:
        if laptop or not c["scrolls"]:
            out.append((f"{c['kind']} wider than the column", f"+{c['excess']} px: {c['longest']!r}"))
    for e in m["equations"]:
        if laptop or not e["scrolls"]:
            out.append(("equation wider than the column" + ("" if e["scrolls"] else ", no scrollbar"),
                        f"+{e['excess']} px: {e['tex']}"))
    for t in m["tables"]:
        out.append(("table overflows", f"+{t['excess']} px: {t['head']!r}"))
    for img in m["images"]:
        if _HASHED_ALT.search(img["alt"].strip()):
            out.append(("image without a description", img["src"]))
        if laptop and not img["widget"]:
            px = figure_text_px(img, path, build)
            if px is not None and px < MIN_FIGURE_TEXT_PX:
                out.append(("figure text under 9 px", f"{px:.1f} px: {img['src']} ({img['alt'][:80]})"))
    if m["dead_controls"]:
        out.append(("control that needs a kernel", str(m["dead_controls"])))
    if m["progress"]:
        out.append(("saved progress bar", str(m["progress"])))
    if not m["favicon"]:
        out.append(("no favicon", ""))
    if m["search_boxes"] > 1:
        out.append(("duplicate search boxes", str(m["search_boxes"])))
    if m["header_height"] > 0 and width == "phone":
        out.append(("top bar", f"{m['header_height']:.0f} px"))
    if not laptop and m["title_height"] > 0.2 * 844:
        out.append(("title fills the screen", f"{m['title_height']:.0f} px: {m['title']}"))
    if path.startswith("exercises/"):
        leaked = [t for t in m["visible_outputs"] if ANSWER_MARK in t] + \
                 ([ANSWER_MARK] if ANSWER_MARK in m["visible_text"] else [])
        shown = m["visible_text"] + "\n".join(m["visible_outputs"])
        leaked += [n for n in set(m["answers"]) if n in shown]
        if leaked:
            out.append(("answer shown outside the dropdown", leaked[0][:120]))
        to_solutions = [h for h in m["launch_links"] if "exercises/solutions/" in h]
        if to_solutions:
            out.append(("launch link opens the solutions", to_solutions[0]))
    return out


def crawl(paths, widths=WIDTHS, build=BUILD, controls=False):
    """{(path, width): [problems]} for the built book served locally, in Debian's chromium."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(build)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    found = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-gpu",
                                          "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
        for width, (w, h) in widths.items():
            page = browser.new_page(viewport={"width": w, "height": h})
            for path in paths:
                page.goto(f"{url}/{path}", wait_until="networkidle")
                try:
                    page.wait_for_function("!window.MathJax || !MathJax.startup || MathJax.startup.promise",
                                           timeout=5000)
                    page.evaluate("window.MathJax && MathJax.startup ? MathJax.startup.promise : null")
                except Exception:
                    pass
                m = page.evaluate(MEASURE_JS)
                found[(path, width)] = problems(m, path, width, build)
                if width == "phone":
                    found[(path, width)] += menu_problems(page)
            page.close()
        browser.close()
    httpd.shutdown()
    return found


def menu_problems(page):
    """At phone width: the visible menu button opens the table of contents."""
    buttons = [b for b in page.query_selector_all(".primary-toggle") if b.is_visible()]
    if not buttons:
        return [("no visible menu button", "")]
    buttons[0].click()
    try:
        page.wait_for_function("""() => { const s = document.querySelector('.bd-sidebar-primary');
            if (!s) return false; const r = s.getBoundingClientRect();
            return r.width > 100 && r.right > 100 && r.left < window.innerWidth / 2
                   && getComputedStyle(s).visibility !== 'hidden'; }""", timeout=3000)
        opened = True
    except Exception:
        opened = False
    page.keyboard.press("Escape")
    return [] if opened else [("menu button does not open the contents", "")]


def main(argv=None):
    import argparse
    sys.path.insert(0, str(ROOT / "tests"))
    from toc import toc_files
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pages", nargs="*", help="pages (e.g. chapters/05-variants/optimizers.html); default: all")
    ap.add_argument("--width", choices=["laptop", "phone", "1280", "390"], help="one width only")
    ap.add_argument("--json", type=Path, help="also write every problem to this JSON file")
    args = ap.parse_args(argv)
    paths = args.pages or [f + ".html" for f in toc_files()]
    widths = WIDTHS
    if args.width:
        key = {"1280": "laptop", "390": "phone"}.get(args.width, args.width)
        widths = {key: WIDTHS[key]}
    found = crawl(paths, widths)
    counts = {}
    for (path, width), probs in found.items():
        for kind, _ in probs:
            counts[(kind, width)] = counts.get((kind, width), 0) + 1
    print(f"{len(paths)} pages")
    for (kind, width), n in sorted(counts.items()):
        print(f"{n:6d}  {kind}  [{width}]")
    for (path, width), probs in found.items():
        for kind, detail in probs:
            print(f"{path} [{width}] {kind}: {detail}")
    if args.json:
        args.json.write_text(json.dumps({f"{p} [{w}]": v for (p, w), v in found.items()}, indent=1,
                                        ensure_ascii=False))
    return 1 if counts else 0


if __name__ == "__main__":
    sys.exit(main())
