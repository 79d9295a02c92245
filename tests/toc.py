"""The pages of the book, read from _toc.yml (shared by the repository and book tests)."""
import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def toc_files():
    """Every file of _toc.yml (root first, then parts, chapters and sections in order), without suffix."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]

    def walk(entries):
        for e in entries:
            files.append(e["file"])
            walk(e.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return files


def page_markdown(path):
    """The markdown of a page: a .md file, or the markdown cells of a notebook (joined by blank lines)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".ipynb":
        return text
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


if __name__ == "__main__":
    # `python tests/toc.py`: the book's source files, one per line.
    for f in toc_files():
        for ext in (".ipynb", ".md"):
            if (ROOT / (f + ext)).exists():
                print(ROOT / (f + ext))
