"""nnlib.check is a package without an import circle: every check is registered however it is imported.

The checks live in one module per topic (nnlib/check/answers.py, mlp.py, backprop.py, optim.py, ...), which import
the shared plumbing of nnlib/check/_feedback.py; nnlib/check/__init__.py re-exports them with one explicit
``__all__``. Importing a topic module first, in a fresh interpreter, must still give the whole ``nnlib.check``.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from nnlib import check

PACKAGE = Path(check.__file__).resolve().parent
TOPICS = sorted(p.stem for p in PACKAGE.glob("[a-z]*.py"))

# nnlib.check.__all__ as it was before the checks were split into topic modules (commit 6ed8dc5)
NAMES = {
    "check_symbolic", "check_values", "check_maximum", "check_derivative", "check_array", "check_function",
    "check_choice", "check_layer", "check_classifier", "check_collapse", "check_output_delta", "check_delta",
    "check_backprop_step", "check_momentum_step", "check_adam_step", "check_batchnorm_backward",
    "check_inverted_dropout", "check_clip_by_norm", "check_l1_subgradient", "check_l1_step", "check_hflip_digits",
    "check_random_shift", "check_conv_output_size", "check_conv_param_count", "check_conv_by_hand",
    "check_bptt_by_hand", "bptt_one_unit", "check_attention", "check_precision_recall", "check_persistence",
    "check_inverse_model_data", "results", "summary",
    "language",   # added since: the language of the messages (nnlib/check/_feedback.py)
}


def _module(name):
    return ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8"))


def test_the_topic_modules_are_the_expected_ones():
    assert TOPICS == ["answers", "applications", "attention", "augment", "backprop", "conv", "mlp", "normalization",
                      "optim", "recurrent", "regularization"]


@pytest.mark.parametrize("first", ["_feedback", *TOPICS])
def test_importing_one_module_first_registers_every_check(first):
    code = (f"import json, nnlib.check.{first} as first, nnlib.check as check\n"
            "print(json.dumps([getattr(first, '__all__', []), check.__all__,\n"
            "                  [n for n in check.__all__ if not callable(getattr(check, n, None))]]))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    first_all, check_all, missing = json.loads(run.stdout)
    assert set(first_all) <= set(check_all)
    assert set(check_all) == NAMES and len(check_all) == len(NAMES)
    assert missing == []


def test_every_public_check_of_a_topic_module_is_in_all():
    from importlib import import_module
    exported = set()
    for topic in TOPICS:
        module = import_module(f"nnlib.check.{topic}")
        public = {n for n, v in vars(module).items()
                  if callable(v) and not n.startswith("_") and getattr(v, "__module__", None) == module.__name__}
        assert public == set(module.__all__), topic
        exported |= public
    assert exported | {"results", "summary", "language"} == set(check.__all__)


def test_all_is_one_explicit_list():
    tree = _module("__init__")
    assigned = [node for node in tree.body
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets)
                or isinstance(node, ast.AugAssign) and getattr(node.target, "id", None) == "__all__"]
    assert len(assigned) == 1 and isinstance(assigned[0], ast.Assign)
    assert all(isinstance(e, ast.Constant) for e in assigned[0].value.elts)
    assert not [node for node in tree.body if isinstance(node, (ast.For, ast.While))]


def _imports_within_the_package(name):
    """{module of nnlib.check: the names `name` imports from it}."""
    found = {}
    for node in ast.walk(_module(name)):
        if not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        path = (["nnlib", "check"][:3 - node.level] if node.level <= 2 else []) + (node.module or "").split(".")
        path = [p for p in path if p]
        if path[:2] != ["nnlib", "check"]:
            continue                                   # nnlib proper
        if len(path) == 2:                             # from . import x / from ..check import x
            modules = [(a.name, set()) if a.name in TOPICS or a.name == "_feedback" else ("__init__", {a.name})
                       for a in node.names]
        else:
            modules = [(path[2], {a.name for a in node.names})]
        for module, names in modules:
            found.setdefault(module, set()).update(names)
    return found


def test_no_circle_and_private_names_only_from_feedback():
    graph = {name: _imports_within_the_package(name) for name in ["__init__", "_feedback", *TOPICS]}
    assert graph["_feedback"] == {}, "the plumbing imports nothing from nnlib.check"
    for name, imported in graph.items():
        for module, names in imported.items():
            private = sorted(n for n in names if n.startswith("_"))
            assert not private or module == "_feedback", f"{name} imports private {private} from {module}"
            assert name == "__init__" or module != "__init__", f"{name} imports from the package itself"
    done, visiting = set(), []

    def visit(name):   # depth first: a module met again while it is being visited closes a circle
        assert name not in visiting, f"import circle: {' -> '.join(visiting + [name])}"
        if name not in done:
            visiting.append(name)
            for module in graph.get(name, {}):
                visit(module)
            visiting.pop()
            done.add(name)

    visit("__init__")
    assert done == set(graph)


@pytest.mark.parametrize("name", ["__init__", "_feedback", *TOPICS])
def test_no_star_import_and_no_import_inside_a_function(name):
    tree = _module(name)
    stars = [node.module for node in ast.walk(tree)
             if isinstance(node, ast.ImportFrom) and any(alias.name == "*" for alias in node.names)]
    assert not stars, f"{name}: star imports from {stars}"
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        nested = [n.module for n in ast.walk(function) if isinstance(n, ast.ImportFrom) and n.level]
        assert not nested, f"{name}.{function.name} imports {nested} of nnlib inside the function"
