"""The Spanish edition's catalogs are complete, keep the pages' markup, and use the slides' terms (issue #18).

- Every message of every catalog in locales/es/LC_MESSAGES/ has its translation, none fuzzy, none obsolete
  (that the catalogs match the sources, with nothing missing or stale, is checked by the Spanish build itself:
  _ext/editions.py fails it and lists what to do).
- Every translation keeps the English's inline math, code spans, link URLs and role targets (tests/catalogs.py).
- The glossary of the notation page names each entry with the slides' Spanish term: its first term is the term
  the English entry gives in italics (``*red neuronal multicapa*. A neural network ...``).
- One word per concept: no page uses a variant that the glossary replaces (``VARIANTS``).
"""
import re

import pytest
from catalogs import ROOT, catalogs, entries, markup_problems, read

CATALOGS = catalogs("es")
# Words a translation might reach for, and the slides' term that the book uses instead.
VARIANTS = {
    r"\btasas? de aprendizaje\b": "factor de aprendizaje",
    r"\britmo de aprendizaje\b": "factor de aprendizaje",
    r"\bretro-?propagación de(l)? gradiente\b": "retropropagación del error",
    r"\bpropagación hacia atrás\b": "retropropagación del error",
    r"\bdescenso de gradiente\b": "descenso por gradiente",
    r"\bdescenso del gradiente\b": "descenso por gradiente",
    r"\bmini-?lotes?\b": "bloque (mini-batch)",
    r"\bmini lotes?\b": "bloque (mini-batch)",
    r"\bnormalización por lotes\b": "normalización a nivel de minibatch",
    r"\bdesvanec": "anulación del gradiente (se anula)",
    r"\btransparencias?\b": "diapositiva",
    r"\bneuronas? ocultas?\b": "nodo / unidad oculta",
}


def test_there_are_catalogs_for_every_page_of_the_book():
    from toc import toc_files
    missing = [f for f in toc_files() if f not in CATALOGS]
    assert not missing, f"pages without a Spanish catalog: {missing}; run `make translations`"


@pytest.mark.parametrize("page", sorted(CATALOGS))
def test_every_message_is_translated_and_keeps_its_markup(page):
    catalog = read(CATALOGS[page])
    todo = [m.id for m in entries(catalog) if not m.string]
    fuzzy = [m.id for m in entries(catalog) if m.string and m.fuzzy]
    obsolete = list(catalog.obsolete)
    assert not (todo or fuzzy or obsolete), (
        f"locales/es/LC_MESSAGES/{page}.po: {len(todo)} untranslated, {len(fuzzy)} fuzzy, {len(obsolete)} obsolete "
        f"(run `make translations`, then translate); the first: {(todo + fuzzy + obsolete)[:3]}")
    bad = [(m.id, p) for m in entries(catalog) for p in markup_problems(m.id, m.string)]
    assert not bad, f"{page}: translations that change the markup:\n" + "\n".join(
        f"  {p}\n    EN: {en[:200]}" for en, p in bad[:10])
    variants = [(m.string, better) for m in entries(catalog) for pat, better in VARIANTS.items()
                if re.search(pat, m.string, re.I)]
    assert not variants, f"{page}: the slides' term is {variants[0][1]!r}: {variants[0][0][:200]}"


def _glossary():
    """[(English terms of an entry, the Spanish term it gives in italics)] of the notation page's glossary."""
    text = (ROOT / "chapters/08-notation/notation.md").read_text()
    block = text.split("```{glossary}", 1)[1].split("\n```", 1)[0]
    out, terms = [], []
    for line in block.split("\n"):
        if not line.strip() or line.startswith(":"):
            continue
        if not line.startswith(" "):
            terms.append(line.strip())
        elif terms:
            spanish = re.match(r"\s+\*([^*]+)\*", line)
            added = "companion addition" in line  # a term the slides keep in English
            out.append((terms, spanish.group(1) if spanish and not added else None))
            terms = []
    return out


def _plain(term, keep_brackets=False):
    """'perceptrón multicapa (PM)' -> 'perceptrón multicapa' (or, keeping what the brackets say, 'perceptrón
    multicapa pm'); '$L_2$' -> 'l2'; lower case, single spaces."""
    term = re.sub(r"[$_{}]", "", term)
    term = re.sub(r"[()]", "", term) if keep_brackets else re.sub(r"\s*\([^)]*\)", "", term)
    return re.sub(r"\s+", " ", term).strip().lower()


def test_the_glossary_names_each_entry_with_the_slides_spanish_term():
    glossary = _glossary()
    assert len(glossary) >= 100, f"the glossary parsed into {len(glossary)} entries"
    translated = {m.id: m.string for m in entries(read(CATALOGS["chapters/08-notation/notation"]))}
    wrong = []
    for terms, spanish in glossary:
        if spanish is None:
            continue
        names = {_plain(spanish), _plain(spanish, keep_brackets=True)}
        names |= {_plain(s) for s in re.split(r"\s*/\s*|,\s*", spanish)}
        words = set(re.split(r"[\s/]+", _plain(spanish)))

        def slides(term):
            # "perceptrón de dos capas" names one of the entry "perceptrón de dos / tres capas"
            return _plain(term) in names or bool(term) and set(_plain(term).split()) <= words

        shown = [translated.get(t, "") for t in terms]
        if not any(slides(t) for t in shown):  # one of the entry's terms is the slides' own
            wrong.append(f"{terms!r} -> {shown!r}, the slides say {spanish!r}")
    assert not wrong, "glossary terms not named as on the slides:\n  " + "\n  ".join(wrong)
