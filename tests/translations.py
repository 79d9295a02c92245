"""Keep the Spanish edition's catalogs in step with the book's sources (``make translations``).

    python tests/translations.py

1. Sphinx's ``gettext`` builder extracts every translatable message of the book into ``_build/gettext/<page>.pot``
   (the notebooks are not executed: what they print is not translated; _ext/editions.py says what else is
   kept in English).
2. ``sphinx-intl update`` brings ``locales/es/LC_MESSAGES/<page>.po`` in step: new messages arrive empty, changed
   ones arrive *fuzzy* with the old translation as a starting point, and the entries that no longer match any
   message are dropped (after the fuzzy matching has used them). Catalogs of pages that left the book go too.
3. It prints how many messages of each catalog are still to translate (empty or fuzzy).

Then translate the empty and fuzzy entries (a fuzzy entry: check the translation against the new English, then
delete its ``#, fuzzy`` line). The Spanish build (``make book``) warns about, and ``make test`` fails on, every
message left; the full list is in ``_build/translations-todo-es.txt``.
"""
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
POT = BUILD / "gettext"
LANGUAGES = ["es"]


def gettext_config():
    """The book build's configuration (tests/build_book.py), without executing the notebooks."""
    from build_book import config
    cfg = config()
    cfg["execute"]["execute_notebooks"] = "off"
    return cfg


def extract():
    shutil.rmtree(POT, ignore_errors=True)
    BUILD.mkdir(exist_ok=True)
    config = BUILD / "config-gettext.yml"
    config.write_text(yaml.safe_dump(gettext_config(), allow_unicode=True, sort_keys=False))
    cmd = [sys.executable, str(ROOT / "tests" / "sphinx_build.py"), str(config), "--builder", "gettext",
           "--out", str(POT.relative_to(ROOT)), "--doctrees", "_build/.doctrees-gettext", "-W"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def update(language):
    from babel.messages.pofile import read_po, write_po
    locale = ROOT / "locales" / language / "LC_MESSAGES"
    subprocess.run([str(Path(sys.executable).with_name("sphinx-intl")), "update", "-p", str(POT), "-d",
                    str(ROOT / "locales"), "-l", language, "-w", "0"], check=True, stdout=subprocess.DEVNULL)
    pots = {p.relative_to(POT).with_suffix("") for p in POT.rglob("*.pot")}
    todo = []
    for po in sorted(locale.rglob("*.po")):
        name = po.relative_to(locale).with_suffix("")
        if name not in pots:  # a page that left the book
            po.unlink()
            po.with_suffix(".mo").unlink(missing_ok=True)
            continue
        with open(po, "rb") as f:
            catalog = read_po(f, locale=language)
        if catalog.obsolete or catalog.fuzzy:  # sphinx-intl marks a new catalog's header fuzzy
            catalog.obsolete.clear()
            catalog.fuzzy = False
            with open(po, "wb") as f:
                write_po(f, catalog, width=0, omit_header=False)
        left = sum(1 for m in catalog if m.id and (not m.string or m.fuzzy))
        if left:
            todo.append((left, len([m for m in catalog if m.id]), str(name)))
    for path in sorted(locale.rglob("*"), reverse=True):  # folders left empty
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return todo


def main():
    extract()
    for language in LANGUAGES:
        todo = update(language)
        total = sum(n for n, _, _ in todo)
        print(f"{language}: {total} messages to translate on {len(todo)} pages")
        for left, of, name in todo:
            print(f"  {left:5d} of {of:5d}  locales/{language}/LC_MESSAGES/{name}.po")


if __name__ == "__main__":
    main()
