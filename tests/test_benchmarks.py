"""The benchmarks' shared helpers and the results files they write (no benchmark is run: they are not tests).

- ``benchmarks/report.py``: a Goal is met when its value is on the right side of its bound (higher or lower),
  its line reads as the results files print it, the header says when, on what and under which load;
- every ``benchmarks/results*.md`` opens with that header and ends with its goals, and the book's benchmark
  appendix shows it;
- every ``benchmarks/bench_*.py`` has a ``--quick`` flag (for ``make bench QUICK=1``) and runs only as a script.
"""
import ast
import datetime
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
APPENDIX = ROOT / "chapters" / "appendix" / "benchmarks.md"
RESULTS = sorted(BENCH.glob("results*.md"))
SCRIPTS = sorted(BENCH.glob("bench_*.py"))


def _load_report():
    spec = importlib.util.spec_from_file_location("bench_report", BENCH / "report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


report = _load_report()


# ----------------------------------------------------------------------------------------- Goal

@pytest.mark.parametrize("value, goal, better, met", [
    (1.62, 1.5, "higher", True), (1.5, 1.5, "higher", True), (1.49, 1.5, "higher", False),
    (0.76, 0.8, "lower", True), (0.8, 0.8, "lower", True), (1.04, 0.8, "lower", False),
])
def test_goal_met_on_the_right_side_of_its_bound(value, goal, better, met):
    assert report.Goal("x", value, goal, "×", better).met is met


def test_goal_line_reads_value_goal_and_verdict():
    assert (report.Goal("MNIST-shaped float32, nnlib / scikit-learn", 1.6234, 1.5).line()
            == "- MNIST-shaped float32, nnlib / scikit-learn: 1.62× (goal ≥ 1.5×): met")
    assert (report.Goal("LSTM float32, nnlib / PyTorch", 1.25, 1.0, "×", "lower").line()
            == "- LSTM float32, nnlib / PyTorch: 1.25× (goal ≤ 1×): not met")
    assert (report.Goal("Sequential.fit per update", 32.44, 50, "µs", "lower").line()
            == "- Sequential.fit per update: 32.4 µs (goal ≤ 50 µs): met")
    assert report.Goal("GEMM share", 44.0, 80, "%").line() == "- GEMM share: 44.0% (goal ≥ 80%): not met"


def test_goal_not_measured_is_neither_met_nor_failed():
    g = report.Goal("conv, nnlib / PyTorch", None, 1.25, "×", "lower", why="PyTorch not installed")
    assert g.met is None
    assert g.line() == "- conv, nnlib / PyTorch: – (goal ≤ 1.25×): PyTorch not installed"


def test_goal_rejects_an_unknown_direction():
    with pytest.raises(ValueError, match=r"Goal\.better.*'higher' or 'lower'.*'faster'"):
        report.Goal("x", 1.0, 1.0, "×", "faster")


def test_goals_section_lists_every_goal_and_counts_the_met(capsys):
    goals = [report.Goal("a", 2.0, 1.5), report.Goal("b", 1.0, 1.5),
             report.Goal("c", 0.5, 1.0, "×", "lower"), report.Goal("d", None, 1.0, why="not installed")]
    lines = report.goals_section(goals, "1 thread.")
    assert lines[1] == report.GOALS_TITLE and "1 thread." in lines
    assert [l for l in lines if l.startswith("- ")] == [g.line() for g in goals]
    assert lines[-1] == "2 of 4 goals met (1 not measured)."
    assert "2 of 4 goals met" in capsys.readouterr().out


# ----------------------------------------------------------------------------- header and footer

def test_header_says_when_what_where_and_the_load():
    started = report.Start(datetime.datetime(2026, 12, 6, 10, 5, tzinfo=datetime.timezone.utc), (0.25, 0.5, 1.0))
    line = report.header(BENCH / "bench_conv.py", ["numpy", "no_such_module_xyz"], started)[0]
    assert line.startswith("Measured 2026-12-06 10:05 UTC with `benchmarks/bench_conv.py")
    for part in ("numpy ", "no_such_module_xyz not installed", "Python ", "BLAS ", "CPU ", " cores",
                 "load average 0.25, 0.50, 1.00 at the start"):
        assert part in line, part


def test_footer_warns_only_when_the_machine_was_busy(monkeypatch):
    monkeypatch.setattr(report, "cores", lambda: 2)
    quiet = report.Start(datetime.datetime.now(datetime.timezone.utc), (0.3, 0.3, 0.3))
    busy = report.Start(quiet.when, (3.0, 2.0, 1.0))
    monkeypatch.setattr(report.os, "getloadavg", lambda: (1.2, 0.8, 0.5))     # our own thread, about 1
    assert report.footer(quiet)[1] == "Load average 1.20, 0.80, 0.50 at the end (1, 5, 15 min)."
    assert not any("busy" in l for l in report.footer(quiet))
    assert any("machine was busy" in l for l in report.footer(busy))
    assert any("machine was busy" in l for l in report.footer((3.0, 2.0, 1.0)))  # a bare load tuple
    monkeypatch.setattr(report.os, "getloadavg", lambda: (2.9, 1.0, 0.5))     # others joined during the run
    assert any("machine was busy" in l for l in report.footer(quiet))


def test_side_by_side_calls_each_function_warmup_plus_repeats_times():
    calls = {"a": 0, "b": 0}
    out = report.side_by_side([lambda: calls.__setitem__("a", calls["a"] + 1),
                               lambda: calls.__setitem__("b", calls["b"] + 1)], repeats=4, warmup=2)
    assert calls == {"a": 6, "b": 6} and len(out) == 2 and all(isinstance(t, report.Timing) for t in out)


def test_summary_reads_the_goals_sections(tmp_path, capsys):
    (tmp_path / "results-x.md").write_text(
        "# X\n\nMeasured 2026-12-06 10:05 UTC with `benchmarks/bench_x.py`: numpy.\n\n## Table\n\n- not a goal\n"
        "\n## Against the goals\n\n- a: 2.00× (goal ≥ 1.5×): met\n- b: 1.00× (goal ≥ 1.5×): not met\n"
        "- c: – (goal ≥ 1×): PyTorch not installed\n\n1 of 3 goals met (1 not measured).\n", encoding="utf-8")
    counts = report.main([tmp_path / "results-x.md"])
    assert counts == {"met": 1, "not met": 1, "other": 1}
    out = capsys.readouterr().out
    assert "results-x.md: Measured 2026-12-06 10:05 UTC" in out and "not a goal" not in out


# -------------------------------------------------------------------------------- the results files

def test_there_are_results_files():
    assert RESULTS and SCRIPTS


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: p.name)
def test_results_file_has_the_header_and_the_goals(path):
    text = path.read_text(encoding="utf-8")
    measured = [l for l in text.splitlines() if l.startswith("Measured ")]
    assert measured, f"{path.name}: no 'Measured ...' line (report.header)"
    m = re.match(r"Measured \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC with `benchmarks/(bench_\w+\.py)", measured[0])
    assert m, f"{path.name}: the Measured line lacks the UTC date and time or the script: {measured[0][:100]}"
    assert (BENCH / m.group(1)).exists(), f"{path.name}: {m.group(1)} is not in benchmarks/"
    for part in ("load average", "CPU ", "BLAS "):
        assert part in measured[0], f"{path.name}: the Measured line does not give the {part.strip()}"
    assert re.search(r"^Load average .* at the end", text, re.M), f"{path.name}: no load at the end (report.footer)"
    assert report.goal_lines(path), f"{path.name}: no goal lines under '{report.GOALS_TITLE}'"
    assert re.search(r"^\d+ of \d+ goals met", text, re.M), f"{path.name}: no 'k of n goals met' line"


@pytest.mark.parametrize("path", RESULTS, ids=lambda p: p.name)
def test_results_file_is_shown_in_the_appendix(path):
    assert f"{{include}} ../../benchmarks/{path.name}" in APPENDIX.read_text(encoding="utf-8"), (
        f"chapters/appendix/benchmarks.md does not include benchmarks/{path.name}")


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_bench_script_has_quick_and_runs_only_as_a_script(path):
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    assert "--quick" in source, f"{path.name}: no --quick flag (make bench QUICK=1 passes it)"
    assert any(isinstance(node, ast.If) and "__main__" in ast.unparse(node.test) for node in tree.body), (
        f"{path.name}: no `if __name__ == '__main__':` guard")
