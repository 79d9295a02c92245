"""The repository keeps its promises: pinned requirements, stripped notebooks, no vendored JavaScript."""
import json
import subprocess
from pathlib import Path

import pytest
from toc import toc_files

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p for d in ("chapters", "exercises") for p in (ROOT / d).rglob("*.ipynb")
                   if ".ipynb_checkpoints" not in p.parts)


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under chapters/ or exercises/"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_is_committed_with_outputs_stripped(nb):
    cells = json.loads(nb.read_text())["cells"]
    dirty = [i for i, c in enumerate(cells)
             if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    assert not dirty, f"{nb.name}: cells {dirty} keep outputs; strip them before committing"


def test_requirements_are_pinned_and_install_nnlib():
    lines = [l.strip() for l in (ROOT / "requirements.txt").read_text().splitlines()
             if l.strip() and not l.startswith("#")]
    assert lines[-1] == "-e .", "requirements.txt must end with `-e .` so nnlib is importable"
    loose = [l for l in lines[:-1] if "==" not in l]
    assert not loose, f"unpinned requirements: {loose}"


def test_no_third_party_javascript_is_tracked():
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    # _ext/static/ holds the book's own script and style sheet, written here (not a third-party asset)
    js = [f for f in tracked if (f.endswith((".js", ".woff", ".woff2")) and not f.startswith("_ext/static/"))
          or f.startswith(("node_modules/", "_vendor/"))]
    assert not js, f"third-party assets must be fetched at build time, not committed: {js}"
    assert "package-lock.json" in tracked, "package-lock.json pins the JavaScript assets; commit it"


def test_toc_lists_existing_pages_and_every_page_is_listed():
    files = toc_files()
    missing = [f for f in files if not any((ROOT / (f + ext)).exists() for ext in (".md", ".ipynb"))]
    assert not missing, f"_toc.yml names pages that do not exist: {missing}"
    pages = {str(p.relative_to(ROOT).with_suffix("")) for d in ("chapters", "exercises/solutions")
             for p in (ROOT / d).rglob("*") if p.suffix in (".md", ".ipynb") and ".ipynb_checkpoints" not in p.parts}
    orphans = sorted(pages - set(files))
    assert not orphans, f"pages not in _toc.yml (the book would skip them): {orphans}"


@pytest.mark.parametrize("nb", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_installs_nnlib_when_opened_in_colab(nb):
    """Colab has no nnlib: the first code cell installs it from the repository of _config.yml."""
    import yaml
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    first = next(c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
    source = "".join(first["source"])
    assert '"google.colab" in sys.modules' in source and f"git+{url}" in source, (
        f"{nb.name}: the first code cell must install nnlib on Colab from {url} (copy it from any chapter)")
    assert "remove-cell" in first.get("metadata", {}).get("tags", []), "tag it remove-cell: the book hides it"


def test_every_public_module_of_nnlib_has_its_api_page():
    """The API reference is one page per module (issue #15: one 127,000-px page was unusable), all in _toc.yml."""
    import pkgutil

    import nnlib
    from toc import toc_files
    modules = sorted(m.name for m in pkgutil.walk_packages(nnlib.__path__, "nnlib.")
                     if not any(part.startswith("_") for part in m.name.split(".")) and not m.ispkg)
    pages = set(toc_files())
    missing = [m for m in modules if f"chapters/appendix/api/{m.replace('.', '-')}" not in pages
               or f"automodule:: {m}\n" not in (ROOT / f"chapters/appendix/api/{m.replace('.', '-')}.md").read_text()]
    assert not missing, f"modules without an API page in _toc.yml: {missing}"
