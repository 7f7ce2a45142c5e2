"""Write the student worksheet (docs/worksheet.md) and its answer key (in docs/teachers.md, between
the two "worksheet answer key" markers) from the kit's data (explainer.worksheet).

Usage: python tools/build_worksheet.py [--check]
With --check nothing is written; the exit status is 1 if either file is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from explainer.worksheet import answer_key, student_worksheet

DOCS = Path(__file__).resolve().parents[1] / "docs"
WORKSHEET = DOCS / "worksheet.md"
TEACHERS = DOCS / "teachers.md"
BEGIN, END = "<!-- worksheet answer key -->", "<!-- end worksheet answer key -->"


def expected() -> dict[Path, str]:
    """The two files as the kit's data say they should read."""
    guide = TEACHERS.read_text(encoding="utf-8")
    head, found, rest = guide.partition(BEGIN)
    _, found_end, tail = rest.partition(END)
    if not (found and found_end):
        raise SystemExit(f"build_worksheet: {TEACHERS} lacks the markers {BEGIN} ... {END}")
    return {WORKSHEET: student_worksheet(), TEACHERS: f"{head}{BEGIN}\n{answer_key()}{END}{tail}"}


def main(argv: list[str]) -> int:
    if "--check" in argv:
        stale = [path for path, text in expected().items()
                 if not path.is_file() or path.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is out of date: run python tools/build_worksheet.py", file=sys.stderr)
        return 1 if stale else 0
    for path, text in expected().items():
        path.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
