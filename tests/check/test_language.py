"""nnlib.check speaks Spanish when asked (``check.language("es")`` or ``NNLIB_LANG=es``) and English by default.

Every message of the checks is built by ``_feedback._t("English template", name=value)`` from a literal template;
``nnlib/check/_es.py`` maps each template to its Spanish one. These tests read the sources with ``ast``: each
``_t`` call has a literal template, each template a Spanish entry with the same placeholders, each entry a use.
"""
import ast
import os
import string
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

from nnlib import check
from nnlib.check import _feedback
from nnlib.check import optim as check_optim
from nnlib.check._es import ES

PACKAGE = Path(check.__file__).resolve().parent
MODULES = sorted(PACKAGE.glob("*.py"))


@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test starts in English and leaves the checks speaking English, the default, whatever it set."""
    check.language("en")
    yield
    check.language("en")


def _t_calls():
    """[(module file name, line, the ast.Call)] of every call of ``_t`` in nnlib/check."""
    calls = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_t":
                calls.append((path.name, node.lineno, node, parents))
    return calls


CALLS = _t_calls()


def _templates():
    return {call.args[0].value for _, _, call, _ in CALLS
            if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)}


def _fields(template):
    """The sorted (name, conversion, format spec) of every placeholder of a str.format template."""
    return sorted((name, conversion or "", spec or "")
                  for _, name, spec, conversion in string.Formatter().parse(template) if name is not None)


# ------------------------------------------------------------------------------ the table covers the sources

def test_the_sources_have_many_templates():
    assert len(CALLS) > 400 and len(_templates()) > 400


def test_every_template_is_a_literal_string():
    """No template is built at run time (an f-string, a concatenation, a variable): the table could not hold it."""
    dynamic = [f"{name}:{line}" for name, line, call, _ in CALLS
               if len(call.args) != 1 or not isinstance(call.args[0], ast.Constant)
               or not isinstance(call.args[0].value, str)]
    assert not dynamic, f"_t needs one literal template: {dynamic}"


def test_every_template_has_a_spanish_entry():
    missing = sorted(_templates() - set(ES))
    assert not missing, f"{len(missing)} templates without a Spanish entry in nnlib/check/_es.py: {missing[:5]}"


def test_every_spanish_entry_is_used():
    unused = sorted(set(ES) - _templates())
    assert not unused, f"{len(unused)} entries of nnlib/check/_es.py that no _t call uses: {unused[:5]}"


def test_the_spanish_templates_have_the_english_placeholders():
    differ = {en: (_fields(en), _fields(es)) for en, es in ES.items() if _fields(en) != _fields(es)}
    assert not differ, differ


def test_the_spanish_templates_are_translated_and_keep_the_outer_spaces():
    for en, es in ES.items():
        assert es.strip() and es.startswith(" ") == en.startswith(" ") and es.endswith(" ") == en.endswith(" "), en
    same = [en for en, es in ES.items() if en == es]
    assert not same, f"entries left in English: {same}"


def test_every_call_fills_exactly_the_placeholders_of_its_template():
    """A placeholder without its value would raise KeyError in a message no test happens to print."""
    wrong = []
    for name, line, call, _ in CALLS:
        template = call.args[0].value
        given = {keyword.arg for keyword in call.keywords}
        if None in given or {field for field, _, _ in _fields(template)} != given:
            wrong.append(f"{name}:{line}")
    assert not wrong, wrong


def test_no_message_is_built_when_a_module_is_imported():
    """A message made at import time would keep the language of that moment: every _t runs inside a function."""
    at_import = []
    for name, line, call, parents in CALLS:
        node = call
        while node in parents and not isinstance(node, (ast.FunctionDef, ast.Lambda)):
            node = parents[node]
        if not isinstance(node, (ast.FunctionDef, ast.Lambda)):
            at_import.append(f"{name}:{line}")
    assert not at_import, at_import


# ------------------------------------------------------------------------------ the language setting

def test_the_setting_round_trips():
    """(English as the default, without NNLIB_LANG=es, is checked in a fresh interpreter below.)"""
    assert check.language("es") == "es" and check.language() == "es"
    assert check.language("en") == "en" and check.language() == "en"
    assert "language" in check.__all__ and check.language is _feedback.language


@pytest.mark.parametrize("code", ["fr", "ES", "spanish", "", 1, ["es"]])
def test_a_bad_code_raises_value_error_naming_the_argument(code):
    with pytest.raises(ValueError, match=r"^code must be 'en' \(English\) or 'es' \(Spanish\); got ") as info:
        check.language(code)
    assert repr(code) in str(info.value)
    assert check.language() == "en"


def _language_in_a_fresh_interpreter(value):
    env = {k: v for k, v in os.environ.items() if k != "NNLIB_LANG"}
    if value is not None:
        env["NNLIB_LANG"] = value
    code = ("from nnlib import check\n"
            "print(check.language())\n"
            "check.check_values(0.5, 0.25, 'q')\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_nnlib_lang_es_starts_in_spanish():
    out = _language_in_a_fresh_interpreter("es")
    assert out.startswith("es\n✘ Todavía no.\n  Esperado: q = 0.25\n  Obtenido: q = 0.5\n  Pista:    "), out


@pytest.mark.parametrize("value", [None, "en", "de", ""])
def test_without_nnlib_lang_es_the_checks_speak_english(value):
    out = _language_in_a_fresh_interpreter(value)
    assert out.startswith("en\n✘ Not quite.\n  Expected: q = 0.25\n  Got:      q = 0.5\n  Hint:     "), out


# ------------------------------------------------------------------------------ real checks in Spanish

z = sp.Symbol("z", real=True)
DG_S = sp.diff(1 / (1 + sp.exp(-z)), z)


def _adam(theta, g, m, v, t, rho, beta1, beta2, eps):
    t = t + 1
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g ** 2
    return theta - rho * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v, t


def _adam_uphill(*args):
    theta, m, v, t = _adam(*args)
    return 2 * args[0] - theta, m, v, t


def _not_answered(*args):
    raise NotImplementedError("Your turn")


RIGHT = {
    "symbolic": lambda: check.check_symbolic(sp.exp(-z) / (1 + sp.exp(-z)) ** 2, DG_S, z, name="g'_S(z)"),
    "array": lambda: check.check_array([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], name="Θ"),
    "adam": lambda: check.check_adam_step(_adam),
}

WRONG = {   # a wrong answer, and words of its hint in Spanish
    "symbolic": (lambda: check.check_symbolic(-DG_S, DG_S, z, name="g'_S(z)"), ["signo", "opuesta"]),
    "array": (lambda: check.check_array([[1.0, 3.0], [2.0, 4.0]], [[1.0, 2.0], [3.0, 4.0]], name="Θ"),
              ["Θ[0, 1]", "a mano"]),
    "adam": (lambda: check.check_adam_step(_adam_uphill), ["Cuidado con el signo", "cuesta abajo"]),
    "not answered": (lambda: check.check_values(_not_answered, 1.0, "q"), ["Aún sin responder", "esta comprobación"]),
}


@pytest.mark.parametrize("case", sorted(RIGHT))
def test_a_right_answer_is_correct_in_spanish_then_in_english_again(capsys, case):
    check.language("es")
    assert RIGHT[case]() is True
    out = capsys.readouterr().out
    assert out.startswith("✔ ¡Correcto! ") and "Correct!" not in out, out
    check.language("en")
    assert RIGHT[case]() is True
    assert capsys.readouterr().out.startswith("✔ Correct! ")


@pytest.mark.parametrize("case", sorted(WRONG))
def test_a_wrong_answer_is_rejected_in_spanish_then_in_english_again(capsys, case):
    run, words = WRONG[case]
    check.language("es")
    assert run() is False
    out = capsys.readouterr().out
    if case == "not answered":
        assert out.startswith("✘ Aún sin responder: q todavía lanza NotImplementedError."), out
    else:
        assert out.startswith("✘ Todavía no.\n  Esperado: ") and "\n  Obtenido: " in out and "\n  Pista:    " in out
    for word in words:
        assert word in out, (word, out)
    for english in ("Not quite", "Expected:", "Got:", "Hint:", "Not answered yet"):
        assert english not in out, out
    check.language("en")
    assert run() is False
    out = capsys.readouterr().out
    assert out.startswith("✘ Not answered yet:" if case == "not answered" else "✘ Not quite.\n  Expected: "), out


def test_the_summary_and_the_tables_of_hints_follow_the_language(capsys):
    _feedback._RESULTS.clear()
    check.language("es")
    check.summary()
    check.check_values(0.5, 0.25, "q")
    check.summary()
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("Todavía no se ha ejecutado ninguna comprobación: ejecute las celdas anteriores, "
                      "desde el principio.")
    assert out[-1] == "0 de 1 comprobaciones correctas hasta ahora. Quedan por hacer: q."
    assert check_optim._ADAM_MISTAKES[0][1].startswith("Falta la corrección del sesgo")
    check.language("en")
    assert check_optim._ADAM_MISTAKES[0][1].startswith("The bias correction is missing")
    _feedback._RESULTS.clear()


def test_the_spanish_labels_keep_the_continuation_lines_under_their_text(capsys, monkeypatch):
    """Wrapped at 80 columns, a long Esperado/Obtenido/Pista goes on under its text, as the English does."""
    monkeypatch.setattr(_feedback, "_WIDTH", 80)
    check.language("es")
    long = "una frase que sigue y sigue " * 5
    _feedback._wrong(long, long + "más", long)
    out = capsys.readouterr().out
    lines = out.rstrip("\n").split("\n")
    assert max(len(line) for line in lines) <= 80, out
    assert lines[0] == "✘ Todavía no." and lines[1].startswith("  Esperado: una frase")
    assert lines[2].startswith(" " * 12) and lines[2][12] != " ", out   # under the text of "Esperado:"
    starts = [line[:12] for line in lines if not line.startswith(" " * 12)]
    assert starts == ["✘ Todavía no", "  Esperado: ", "  Obtenido: ", "  Pista:    "], out
