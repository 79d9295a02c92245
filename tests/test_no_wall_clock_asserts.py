"""No notebook asserts a wall-clock figure: a time depends on the machine and its load, so it is shown, never asserted.

The check follows the values: a name assigned from a clock (``time.perf_counter()``, ``time.time()``,
``time.process_time()``, ``time.monotonic()``, ``timeit``), from a recorded duration (``.seconds``), or from
anything computed with such a name, is a measured time; an ``assert`` that reads one fails this test.
"""
import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for d in ("chapters", "exercises") for p in (ROOT / d).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)
CLOCKS = {"perf_counter", "perf_counter_ns", "time", "time_ns", "process_time", "process_time_ns", "monotonic",
          "monotonic_ns", "timeit", "repeat", "default_timer"}


def _is_clock(node):
    """A call of a clock, or a read of a recorded duration (`hist.seconds`)."""
    if isinstance(node, ast.Attribute) and node.attr == "seconds":
        return True
    if isinstance(node, ast.Call):
        f = node.func
        name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
        owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else None
        if name in CLOCKS and (owner in ("time", "timeit") or (owner is None and name != "time")):
            return True
    return False


TIME_KEYS = {"seconds", "time", "times", "wall", "cpu", "elapsed"}


def _reads_time(node, timed):
    """Does `node` read a clock, a timed variable, or a timed entry (`run["seconds"]`)?

    A dict display is judged entry by entry: `{"epochs": e, "seconds": s}` makes only its "seconds" entry timed,
    and reading that entry back is caught by its key.
    """
    if _is_clock(node) or (isinstance(node, ast.Name) and node.id in timed):
        return True
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value in TIME_KEYS:
        return True
    if isinstance(node, ast.Dict):
        return any(_reads_time(v, timed) for k, v in zip(node.keys, node.values)
                   if not (isinstance(k, ast.Constant) and isinstance(k.value, str)))
    return any(_reads_time(child, timed) for child in ast.iter_child_nodes(node))


def _base(target):
    """The variable a target writes: `acc` for `acc[name]` or `acc.x`, `a` for `a`."""
    while isinstance(target, (ast.Subscript, ast.Attribute, ast.Starred)):
        target = target.value
    return target.id if isinstance(target, ast.Name) else None


def _timed_targets(node, timed):
    """The variables an assignment makes timed: element by element when a tuple is unpacked from a tuple."""
    out = []
    for t in node.targets if isinstance(node, ast.Assign) else [node.target]:
        if isinstance(t, ast.Tuple) and isinstance(node.value, ast.Tuple) and len(t.elts) == len(node.value.elts):
            out += [_base(e) for e, v in zip(t.elts, node.value.elts) if _reads_time(v, timed)]
        elif isinstance(t, ast.Tuple):
            out += [_base(e) for e in t.elts]
        else:
            out.append(_base(t))
    return [name for name in out if name]


def timed_asserts(sources):
    """The assert statements (as source) that read a measured time, in a notebook's code cells."""
    trees = []
    for src in sources:
        lines = [l for l in src.splitlines() if not l.lstrip().startswith(("%", "!"))]
        try:
            trees.append(ast.parse("\n".join(lines)))
        except SyntaxError:
            continue
    timed = set()
    for _ in range(5):  # propagate through assignments (and loops over timed values) until nothing changes
        for tree in trees:
            for node in ast.walk(tree):
                if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None \
                        and _reads_time(node.value, timed):
                    timed.update(_timed_targets(node, timed))
                elif isinstance(node, (ast.For, ast.comprehension)) and _reads_time(node.iter, timed):
                    timed.update(n.id for n in ast.walk(node.target) if isinstance(n, ast.Name))
    return [ast.unparse(node) for tree in trees for node in ast.walk(tree)
            if isinstance(node, ast.Assert) and _reads_time(node.test, timed)]


def test_the_check_finds_a_timed_assert():
    assert timed_asserts(["import time\nt0 = time.perf_counter()\nf()\ndt = time.perf_counter() - t0",
                          "ratio = dt / 2\nassert ratio < 1"]) == ["assert ratio < 1"]
    assert timed_asserts(["h = fit()\nassert h.seconds < 3"]) == ["assert h.seconds < 3"]
    assert timed_asserts(["n = count()\nassert n == 4"]) == []
    assert timed_asserts(["acc[k], s[k] = h.acc, h.seconds\nassert acc[k] > 0.9"]) == []
    assert timed_asserts(["c = {'epochs': h.epochs, 'seconds': h.seconds}\nassert c['epochs'] > 2"]) == []
    assert timed_asserts(["c = {'epochs': h.epochs, 'seconds': h.seconds}\nassert c['seconds'] > 2"]) == [
        "assert c['seconds'] > 2"]


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_notebook_asserts_a_wall_clock_time(nb):
    sources = ["".join(c["source"]) for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code"]
    found = timed_asserts(sources)
    assert not found, (f"{nb.relative_to(ROOT)} asserts a measured time, which depends on the machine and its load: "
                       f"{found}. Show the time; assert an operation count or an ordering that does not depend on it.")
