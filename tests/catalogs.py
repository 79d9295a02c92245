"""The Spanish edition's catalogs (locales/<language>/LC_MESSAGES/*.po): reading them and checking a translation's
markup against its English (shared by tests/test_translations.py and the translators' tooling).

A translation must keep what the reader does not read as prose exactly as the English has it: inline math, code
spans, link URLs, and the target of every MyST role — a glossary term is shown in Spanish but points at the
English term, ``{term}`función de activación <activation function>``.
"""
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"

ROLE = re.compile(r"\{(term|doc|ref|numref|eq|cite|cite:p|cite:t|cite:ps|cite:ts|download|abbr|prf:ref)\}`([^`]*)`")
MATH = re.compile(r"(?<![\\$])\$(?!\$)(.+?)(?<![\\])\$")
CODE = re.compile(r"(?<![}`])`([^`]+)`")
URL = re.compile(r"\]\(([^)\s]+)\)")


def catalogs(language="es"):
    """Every catalog of a language: {page: path of its .po}."""
    folder = LOCALES / language / "LC_MESSAGES"
    return {str(p.relative_to(folder).with_suffix("")): p for p in sorted(folder.rglob("*.po"))}


def read(path, language="es"):
    from babel.messages.pofile import read_po
    with open(path, "rb") as f:
        return read_po(f, locale=language)


def entries(catalog):
    """The messages of a catalog (its header excluded), in file order."""
    return [m for m in catalog if m.id]


def _target(role, text):
    explicit = re.search(r"<([^<>]+)>\s*$", text)
    return role, (explicit.group(1) if explicit else text).strip()


def markup_problems(english, translated):
    """What the translation changed that it must keep: role targets, inline math, code spans, link URLs."""
    out = []
    t_en = Counter(_target(r, t) for r, t in ROLE.findall(english))
    t_tr = Counter(_target(r, t) for r, t in ROLE.findall(translated))
    if t_en != t_tr:
        out.append(f"role targets differ: {sorted(t_en.elements())} vs {sorted(t_tr.elements())}")
    for name, pattern in (("inline math", MATH), ("code spans", CODE)):
        a, b = Counter(pattern.findall(ROLE.sub("", english))), Counter(pattern.findall(ROLE.sub("", translated)))
        if a != b:
            out.append(f"{name} differ: only in the English {sorted((a - b).elements())}, "
                       f"only in the translation {sorted((b - a).elements())}")
    if Counter(URL.findall(english)) != Counter(URL.findall(translated)):
        out.append("link URLs differ")
    if english.count("$$") != translated.count("$$"):
        out.append("display math ($$) differs")
    # Sphinx parses a translation as one paragraph: one that starts as a list, a heading or a quote is dropped
    # (a heading "1. The loss..." must be translated "1\\. La pérdida...")
    if re.match(r"\d+[.)] |[-*+>] |#+ ", translated):
        out.append("starts like a Markdown list, heading or quote: escape its first mark (1\\. ...)")
    return out
