"""Build the printable edition: _build/pdf/book-en.pdf and _build/pdf/book-es.pdf (``make pdf``, issue #19).

    python tests/build_pdf.py [--languages en es]

1. The notebooks' outputs come from the jupyter-caches of the last ``make book`` (_build/.jupyter_cache and
   the Spanish edition's copy); where they are missing, tests/build_book.py runs first.
2. Each edition is built with Sphinx's ``singlehtml`` builder (the whole book as one web page) from the same
   sources, configuration and catalogs as its HTML edition, ``-W``, both at once (one core each), into
   _build/pdf/<language>/html; their logs are _build/pdf/book-<language>.log. _ext/printing.py adds the print
   style and script to that page.
3. Debian's chromium (the one the browser tests use, driven by Playwright) opens the page offline, waits for
   MathJax, and runs ``nnlibPrint.prepare``: title page, contents, the parts and pages in the book's order with
   their numbers, answers and solutions at the end of each part, explorers as strips of frames. It prints
   once; ``pdftotext`` (Debian's poppler-utils) tells on which page each marked place landed; the page numbers
   go into the contents and the cross-references, and it prints again, on A4 with page numbers, the PDF's
   outline (bookmarks) made from the headings, and the links.

Why Chromium and not LaTeX: see the README ("The printable edition"). Nothing is downloaded at run time.
"""
import argparse
import asyncio
import datetime
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_book import BUILD, CACHE, EDITIONS, ROOT, _build_side_by_side, config, edition_cache  # noqa: E402

OUT = BUILD / "pdf"
CHROMIUM = "/usr/bin/chromium"
MARK = re.compile(r"QZ(\d+)QZ")

#: The printed edition's own words (the pages' words come from the book and its catalogs).
WORDS = {
    "en": {
        "contents": "Contents", "about": "About this book", "part": "Part", "page": "p.",
        "answers": "Answers and solutions", "answerTitle": "Answer", "question": "Question",
        "answerAt": "Answer at the end of the part", "solutionAt": "Solution at the end of the part",
        "strip": "{shown} of the explorer's {total} pre-rendered frames; in the online book a slider shows them all.",
        "frameAlt": "Pre-rendered frame of the explorer for",
        "live": "Live explorer: it runs in a notebook. Open this page in Binder or Colab, or run it with "
                "Jupyter after make book, to use it.",
        "kicker": "A companion to the slides «5. Redes Neuronales Multicapa»",
        "edition": "English edition · printed {date}{commit}",
    },
    "es": {
        "contents": "Índice", "about": "Sobre este libro", "part": "Parte", "page": "pág.",
        "answers": "Respuestas y soluciones", "answerTitle": "Respuesta", "question": "Pregunta",
        "answerAt": "Respuesta al final de la parte", "solutionAt": "Solución al final de la parte",
        "strip": "{shown} de los {total} fotogramas precalculados del explorador; en el libro en línea un "
                 "deslizador los muestra todos.",
        "frameAlt": "Fotograma precalculado del explorador para",
        "live": "Explorador interactivo: funciona en un cuaderno. Abra esta página en Binder o Colab, o "
                "ejecútela con Jupyter después de make book, para usarlo.",
        "kicker": "Libro complementario de las diapositivas «5. Redes Neuronales Multicapa»",
        "edition": "Edición en español · impresa el {date}{commit}",
    },
}
COMMIT = {"en": " from commit {}", "es": " a partir del commit {}"}

PDF_OPTIONS = dict(format="A4", print_background=True, outline=True, tagged=True, display_header_footer=True,
                   margin=dict(top="17mm", bottom="19mm", left="18mm", right="18mm"))


def toc_parts():
    """_toc.yml's parts: [{"caption", "chapters": [{"file", "sections": [file, ...]}]}] (two levels, as the book)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    parts = []
    for part in toc["parts"]:
        chapters = []
        for ch in part["chapters"]:
            sections = [s["file"] for s in ch.get("sections", [])]
            if any(s.get("sections") for s in ch.get("sections", [])):
                raise SystemExit(f"{ch['file']}: the printed edition numbers two levels of pages, not three")
            chapters.append({"file": ch["file"], "sections": sections})
        parts.append({"caption": part["caption"], "chapters": chapters})
    return parts


def page_of_marks(text):
    """{mark number: page} from pdftotext's text (pages separated by form feeds), pages counted from 1."""
    pages = {}
    for number, page in enumerate(text.split("\f"), start=1):
        for m in MARK.finditer(page):
            pages.setdefault(int(m.group(1)), number)
    return pages


def _commit():
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def book_info(language, cfg):
    words = WORDS[language]
    commit = _commit()
    edition = words["edition"].format(date=datetime.date.today().isoformat(),
                                      commit=COMMIT[language].format(commit) if commit else "")
    return {"lang": language, "title": cfg["title"], "author": cfg["author"], "kicker": words["kicker"],
            "edition": edition, "url": cfg["repository"]["url"], "parts": toc_parts(), "words": words}


def _caches_ready():
    return CACHE.is_dir() and all(edition_cache(e).is_dir() for e in EDITIONS)


def build_single_pages(languages, env):
    """The single-page HTML of each edition, side by side; the worst exit status."""
    builds = {}
    for language in languages:
        cfg_path = OUT / f"config-{language}.yml"
        cfg_path.write_text(yaml.safe_dump(config(language), allow_unicode=True, sort_keys=False))
        shutil.rmtree(OUT / language, ignore_errors=True)
        builds[{"en": "English", **EDITIONS}[language]] = ([sys.executable, str(ROOT / "tests" / "sphinx_build.py"), str(cfg_path), "--builder",
                             "singlehtml", "--out", f"_build/pdf/{language}/html", "--doctrees",
                             f"_build/pdf/{language}/.doctrees", "-W"], OUT / f"book-{language}.log")
    return _build_side_by_side(builds, env, echo=None, what="single-page HTML")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve_folder(folder):
    """A web server on 127.0.0.1 (any free port) serving `folder`, in a thread; stop it with .shutdown().
    The book's browser tests use it too (tests/book/conftest.py)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def _pdftotext(path):
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _footer(title):
    return ('<div style="font-size:7.5pt;color:#666;width:100%;margin:0 18mm;display:flex;'
            'justify-content:space-between;font-family:sans-serif">'
            f'<span>{title}</span><span class="pageNumber"></span></div>')


#: How Debian's chromium is started here and in the browser tests (tests/book/conftest.py): headless as root, no
#: background connections, and no host but 127.0.0.1 resolves, so nothing leaves the machine.
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]


async def print_edition(pw, language, info):
    """Print _build/pdf/<language>/html/index.html into _build/pdf/book-<language>.pdf (two printings), in a
    Chromium of its own: the editions print at once, one core each."""

    httpd = serve_folder(OUT / language / "html")
    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
    page = await browser.new_page(viewport={"width": 900, "height": 1200})
    page.set_default_timeout(900_000)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        start = time.perf_counter()
        await page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/index.html", wait_until="load")
        await page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        await page.evaluate("() => MathJax.startup.promise")
        loaded = time.perf_counter()
        done = await page.evaluate("book => nnlibPrint.prepare(book)", info)
        if errors:
            raise SystemExit(f"the {language} page raised: {errors}")
        await page.emulate_media(media="print")
        options = dict(PDF_OPTIONS, header_template="<span></span>", footer_template=_footer(info["title"]))
        first = OUT / f"first-{language}.pdf"
        prepared = time.perf_counter()
        await page.pdf(path=str(first), **options)
        printed = time.perf_counter()
        pages = page_of_marks(await asyncio.to_thread(_pdftotext, first))
        missing = await page.evaluate("pages => nnlibPrint.fill(pages)", {str(k): v for k, v in pages.items()})
        if missing:
            raise SystemExit(f"the {language} edition: no page found for {len(missing)} places: {missing[:10]} "
                             f"(the first printing is {first.relative_to(ROOT)})")
        out = OUT / f"book-{language}.pdf"
        await page.pdf(path=str(out), **options)
        first.unlink()
        text = await asyncio.to_thread(_pdftotext, out)
        print(f"  {out.relative_to(ROOT)}: {text.count(chr(12))} pages, {out.stat().st_size / 2**20:.1f} MiB, "
              f"{done['documents']} documents, {done['marks']} page references; {time.perf_counter() - start:.0f} s "
              f"(loaded and typeset {loaded - start:.0f} s, prepared {prepared - loaded:.0f} s, "
              f"each printing {printed - prepared:.0f} s)", flush=True)
    finally:
        await browser.close()
        httpd.shutdown()


async def print_editions(languages):

    from playwright.async_api import async_playwright
    async with async_playwright() as pw:
        await asyncio.gather(*(print_edition(pw, language, book_info(
            language, yaml.safe_load((OUT / f"config-{language}.yml").read_text()))) for language in languages))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--languages", nargs="+", default=["en", *EDITIONS], choices=["en", *EDITIONS])
    p.add_argument("--print-only", action="store_true",
                   help="print the single pages built last time again (after a change to print.js or print.css)")
    args = p.parse_args(argv)
    start = time.perf_counter()
    if args.print_only:  # the single pages of last time, with the print style and script as they are now
        for language in args.languages:
            for name in ("print.css", "print.js"):
                shutil.copy(ROOT / "_ext" / "static" / name, OUT / language / "html" / "_static" / name)
    elif not _caches_ready():
        print("make pdf: no executed notebooks from make book yet; building the book first", flush=True)
        if subprocess.run([sys.executable, str(ROOT / "tests" / "build_book.py")]).returncode:
            return 1
    OUT.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    if not args.print_only and build_single_pages(args.languages, env):
        return 1
    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: `make pdf` installs Debian's chromium with apt-get")
    print("Printing with Chromium (two printings each: the second with the page numbers):", flush=True)

    asyncio.run(print_editions(args.languages))
    print(f"make pdf: done in {time.perf_counter() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
