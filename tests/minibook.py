"""Build a one-page book with the repository's real configuration (for browser tests of widgets)."""
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def build_one_page_book(tmp_path_factory, title, code):
    """A book whose only page is a notebook with a title, a formula and one code cell; return its html dir."""
    src = tmp_path_factory.mktemp(f"{title.lower()}-src")
    for name in ("_config.yml", "references.bib"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "_ext", src / "_ext")
    (src / "_vendor").symlink_to(ROOT / "_vendor")
    (src / "_toc.yml").write_text("format: jb-book\nroot: index\n")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {title}\n\n$\\rho$"), nbformat.v4.new_code_cell(code)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, src / "index.ipynb")
    out = tmp_path_factory.mktemp(f"{title.lower()}-out")
    jb = Path(sys.executable).with_name("jupyter-book")
    proc = subprocess.run([str(jb), "build", str(src), "--builder", "html", "--path-output", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return out / "_build" / "html"
