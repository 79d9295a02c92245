# Two commands do all set-up on a fresh machine (Python 3.11, make, npm):
#   make book   build the HTML book into _build/html (executes every notebook, JOBS at a time)
#   make test   run every test: nnlib, exercises, every notebook of the book, the book build, a browser check
#   make test-portable  every notebook under three OpenBLAS kernels (1 thread) and the native one (2 threads)
# Both create .venv from requirements.txt and fetch the JavaScript assets from the npm registry first.

SHELL := bash

PYTHON_SYS ?= $(shell command -v python3.11 || command -v python3)
VENV       := .venv
PY         := $(VENV)/bin/python
JB         := $(VENV)/bin/jupyter-book
JOBS       ?= 2
VENDOR     := _vendor
UNIT       ?= tests

.PHONY: book test test-pages test-portable test-fast test-beside-book pdf test-pdf bench assets venv student translations clean help

help:
	@echo "make book    build the book into _build/html"
	@echo "make test    run the whole test suite (unit, exercises, notebooks, book build, browser)"
	@echo "make test-fast  the unit tests only (skips the tests marked slow: the book and the browser)"
	@echo "make test-pages  the API reference's pages that make test samples, in the browser (after make test)"
	@echo "make test-portable  run every notebook under BLAS kernels that round differently"
	@echo "make pdf     print the book, both editions, into _build/pdf/book-en.pdf and book-es.pdf"
	@echo "make test-pdf  make pdf, then check both PDFs"
	@echo "make bench   run the benchmarks, rewrite benchmarks/results*.md, print each ratio against its goal (QUICK=1, TORCH=1)"
	@echo "make student regenerate the student versions of the exercises"
	@echo "make translations  bring the Spanish edition's catalogs (locales/es/) in step with the sources"

# --- set-up ---------------------------------------------------------------------------------
$(VENV)/.stamp: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-compile -r requirements.txt
	# Then the bytecode of every installed module, once, on every core (about 18 s). Not left to the first import:
	# where PYTHONDONTWRITEBYTECODE is set (machines of our kind set it) no import ever writes it, and every
	# process, each of the book's kernels among them, would compile NumPy, SciPy, SymPy and matplotlib from
	# source again: about 5 s of CPU per process, a third of make test's time on a fresh clone.
	$(PY) -m compileall -q -j 0 $(VENV)/lib >/dev/null
	# The notebooks' kernel is this venv's Python, whatever else the machine has.
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib)" >/dev/null
	touch $@

venv: $(VENV)/.stamp

# MathJax 3, RequireJS and the Jupyter widget manager, from the npm registry (package-lock.json),
# copied into _vendor/ which the book serves as static files. Nothing third-party is committed.
$(VENDOR)/.stamp: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/widgets
	cp -r node_modules/mathjax/es5 $(VENDOR)/mathjax
	cp node_modules/requirejs/require.js $(VENDOR)/widgets/require.min.js
	cp node_modules/@jupyter-widgets/html-manager/dist/*.js $(VENDOR)/widgets/
	find node_modules/@jupyter-widgets/html-manager/dist -maxdepth 1 -type f \
	  \( -name '*.woff*' -o -name '*.ttf' -o -name '*.eot' -o -name '*.svg' \) -exec cp {} $(VENDOR)/widgets/ \;
	touch $@

assets: $(VENDOR)/.stamp

# Debian's chromium for the browser test (Python playwright drives it; it never downloads a browser).
/usr/bin/chromium:
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

# Debian's poppler-utils (pdftotext, pdfinfo, pdfimages): make pdf reads the first printing's page numbers with
# pdftotext, and make test-pdf checks the PDFs with all three. Only those two targets need it.
/usr/bin/pdftotext:
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils) >/dev/null \
	  || (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils)

# --- the two commands ---------------------------------------------------------------------------
# The one way to build the book (tests/build_book.py): every notebook executed JOBS at a time (a failing cell
# stops it at once and names the notebook, the cell and the assert; _build/notebook-budget.md gets each one's
# CPU time and memory), then Jupyter Book with -W -n takes their outputs from the cache it filled.
# When it fails it stops the process group of the make that runs it, if that make leads one: under make test
# that stops the unit tests running beside it (a plain `make book` fails either way).
book: venv assets
	$(PY) tests/build_book.py --jobs $(JOBS) || { kill -TERM -- -$$PPID 2>/dev/null; exit 1; }
	@echo
	@echo "The book is built. Open: file://$(CURDIR)/_build/html/index.html"

# 1. The book and every test that does not read it side by side (make -j2 book test-beside-book), in a process
#    group of its own (set -m) so that a failing notebook stops both within seconds, and Ctrl-C stops both; a
#    failing test lets the book finish, then make test fails.
# 2. Then the tests of the finished book in _build/html (marked needs_book): its build log, every page in a
#    browser.
test: venv assets /usr/bin/chromium
	@echo "[$$(date +%T)] make test: the book and the tests that need no built book, side by side"
	set -m; $(MAKE) --no-print-directory -j2 book test-beside-book & trap 'kill -TERM -- -$$!' INT TERM; wait $$!
	@echo "[$$(date +%T)] make test: the tests of the built book (its build, every page in a browser)"
	$(PY) -m pytest -m "needs_book and not every_page and not pdf" -n $(JOBS) --dist loadgroup -p no:cacheprovider --durations=10 tests
	@echo "[$$(date +%T)] make test: done"

# The API reference's module pages that make test samples (one in eight), each in the browser on a laptop and a
# phone as make test checks every other page; on the book make test (or make book) built. CI runs it after make test.
test-pages: venv assets /usr/bin/chromium
	$(PY) -m pytest -m every_page -n $(JOBS) -p no:cacheprovider tests/book/test_book_pages.py

# The printable edition (tests/build_pdf.py): each edition built as one web page (Sphinx's singlehtml builder,
# the outputs of make book's executed notebooks; make book runs first where there are none) and printed by
# Debian's chromium, twice (the second printing with the page numbers of the first): _build/pdf/book-en.pdf and
# _build/pdf/book-es.pdf. It does not touch _build/html. make test-pdf checks both PDFs; CI runs it after make test.
pdf: venv assets /usr/bin/chromium /usr/bin/pdftotext
	$(PY) tests/build_pdf.py

test-pdf: pdf
	$(PY) -m pytest -m pdf -n $(JOBS) -p no:cacheprovider tests/book/test_pdf.py

# The Spanish edition's catalogs, locales/es/LC_MESSAGES/<page>.po, in step with the book's sources
# (tests/translations.py: Sphinx's gettext builder, then sphinx-intl update; about 30 s). It prints what is left to
# translate; make book fails while a message of a page has no translation (_build/translations-todo-es.txt).
translations: venv
	$(PY) tests/translations.py

# Every notebook of the book under the OpenBLAS kernels SkylakeX (where the CPU has AVX-512), Haswell and
# Sandybridge with one thread, then the native kernel with two (tests/portable.py). KEEP_GOING=1 reports
# every failure instead of stopping at the first.
test-portable: venv
	$(PY) tests/portable.py --jobs $(JOBS) $(if $(KEEP_GOING),--keep-going)

# Every test not marked slow (UNIT: the folders or files to run, tests/ by default). It skips the book build,
# the checks of the built book and of every page in a browser, and the fail-fast test: make test runs those.
test-fast: venv
	@echo "make test-fast: the unit tests; it skips the tests marked slow (the built book, its pages in a browser, fail-fast)"
	$(PY) -m pytest -q -m "not slow" -n $(JOBS) --dist loadfile -p no:cacheprovider $(UNIT)

# What make test runs beside the book build: every test that does not read the built book (tests/conftest.py
# marks those needs_book): the unit tests, and the slow tests that build a one-page book of their own, drive the
# browser on it, or run make test on a copy of the repository with a failing notebook (fail-fast).
test-beside-book: venv
	$(PY) -m pytest -q -m "not needs_book and not pdf" -n $(JOBS) --dist loadfile -p no:cacheprovider --durations=5 $(UNIT)

# Every benchmarks/bench_*.py with one BLAS thread (a script that also measures two raises it itself with
# threadpoolctl), each rewriting its benchmarks/results*.md; then every goal line of every results file
# (benchmarks/report.py reads their "## Against the goals" sections); a script that fails lets the others
# run, then make bench fails naming it. QUICK=1: shorter, rougher runs (--quick).
# PyTorch fills the comparison columns when the venv imports it ("PyTorch not installed" otherwise);
# TORCH=1 installs its CPU build first, never the CUDA build of several GB that a plain `pip install torch`
# takes. TORCH_INDEX= (empty) skips the PyTorch index where pip finds that wheel locally.
TORCH_VERSION ?= 2.13.0
TORCH_INDEX   ?= https://download.pytorch.org/whl/cpu
bench: venv
	$(if $(TORCH),$(PY) -m pip install --quiet torch==$(TORCH_VERSION) $(if $(TORCH_INDEX),--extra-index-url $(TORCH_INDEX)))
	@failed=; for script in benchmarks/bench_*.py; do \
	  echo; echo "=== $$script"; \
	  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 $(PY) $$script $(if $(QUICK),--quick) \
	    || failed="$$failed $$script"; \
	done; \
	echo; echo "=== Against the goals (benchmarks/results*.md)"; \
	$(PY) benchmarks/report.py; \
	if [ -n "$$failed" ]; then echo "make bench: these scripts failed:$$failed"; exit 1; fi

student: venv
	$(PY) exercises/make_student.py

clean:
	rm -rf _build $(VENDOR) node_modules
