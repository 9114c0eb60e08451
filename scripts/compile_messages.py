"""Compile every catalogue under locale/ (.po to the .mo beside it) in Python,
so no gettext tools are needed; `make messages` runs it after extracting.

    .venv/bin/python scripts/compile_messages.py

The .mo files are committed: a fresh `make install` has them.
tests/core/test_catalogues.py checks that each matches its .po.
"""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main() -> None:
    for source in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(source)).save_as_mofile(str(source.with_suffix(".mo")))
        print(f"compiled {source.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
