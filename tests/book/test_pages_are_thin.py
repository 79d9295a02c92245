"""The book's pages stay thin (issue #14): import -> call -> plot -> assert, helpers in nnlib.

The numbers come from tools/page_stats.py, which prints the per-page table.
"""
import importlib.util
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("page_stats", ROOT / "tools" / "page_stats.py")
page_stats = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_stats)


def test_the_median_chapter_page_shows_at_most_40_lines_of_code_and_none_more_than_100():
    counts = {p.relative_to(ROOT).as_posix(): page_stats.visible_lines(p) for p in page_stats.chapter_pages()}
    assert len(counts) >= 30, counts
    assert statistics.median(counts.values()) <= page_stats.MEDIAN_LIMIT, sorted(counts.items(), key=lambda kv: -kv[1])
    assert max(counts.values()) <= page_stats.PAGE_LIMIT, {p: n for p, n in counts.items() if n > page_stats.PAGE_LIMIT}


def test_no_function_or_class_is_defined_in_more_than_one_notebook():
    assert page_stats.twice_defined() == {}


def test_hidden_cells_do_not_count_and_a_twice_defined_helper_is_found(tmp_path):
    import nbformat
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\n\n# a comment\nx = np.ones(3)"),
                nbformat.v4.new_code_cell("def helper():\n    return 1", metadata={"tags": ["hide-input"]})]
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    assert page_stats.visible_lines(path) == 2
    assert page_stats.defined_names(path) == {"helper"}
