"""The one book build (tests/build_book.py): Jupyter Book finds every executed notebook in the runner's cache.

Jupyter Book matches a notebook to its cached execution by its code cells and their metadata; an executed
notebook that differed from its stripped source (timing metadata in its cells, say) would be executed again,
one at a time, by the build. These tests execute a small notebook as the build does and look it up as Jupyter
Book does, and check the configuration the build passes to ``jupyter-book build --config``.
"""
import subprocess
import sys
from pathlib import Path

import nbformat
import yaml

import build_book
import execute_notebooks

ROOT = Path(__file__).resolve().parents[1]


def test_an_executed_notebook_is_found_in_the_cache_by_its_stripped_source(tmp_path):
    from jupyter_cache import get_cache
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# A page"), nbformat.v4.new_code_cell("x = 6 * 7\nprint(x)")]
    nb.cells[1].metadata["tags"] = ["hide-input"]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "page.ipynb"
    nbformat.write(nb, path)
    cache = tmp_path / "cache"
    proc = subprocess.run([sys.executable, execute_notebooks.__file__, "--cache", str(cache), str(path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    _, merged = get_cache(str(cache)).merge_match_into_notebook(nbformat.read(path, as_version=4))
    assert merged.cells[1].outputs[0]["text"] == "42\n"
    assert nbformat.read(path, as_version=4).cells[1].outputs == [], "the source notebook must stay stripped"
    assert sorted(p.name for p in cache.glob("*.ipynb")) == [], "the runner's working copies are left behind"


def test_the_build_configuration_is_config_yml_with_execution_from_the_cache():
    ours = yaml.safe_load((ROOT / "_config.yml").read_text())
    built = build_book.config()
    assert built["execute"]["execute_notebooks"] == "cache"
    assert Path(built["execute"]["cache"]) == ROOT / "_build" / ".jupyter_cache"
    for name, path in built["sphinx"]["local_extensions"].items():
        assert (Path(path) / f"{name}.py").exists(), f"the local extension {name} is not at {path}"
    for key in ours:
        if key not in ("execute", "sphinx"):
            assert built[key] == ours[key], key
    assert {k: v for k, v in built["execute"].items() if k not in ("execute_notebooks", "cache")} == \
        {k: v for k, v in ours["execute"].items() if k != "execute_notebooks"}
