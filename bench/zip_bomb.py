"""The worst programme imports: peak extra memory and time of reading each.

    .venv/bin/python -m bench.zip_bomb [--inflates-mb 2048]

Builds hostile zips whose headers lie about their sizes (a 2 MB zip inflating
to 2 GB), one that inflates exactly to the limit, a bzip2 one, and the largest
programme that passes every check, then reads each with
programmes.portable.read_portable_file in a fresh process. The extra memory is
the process's peak resident size (VmHWM, reset after start-up) less its size
before the read. tests/hostile/test_zip_limits.py asserts it stays bounded.
"""

import argparse
import io
import json
import os
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
DEFLATE, BZIP2 = 8, 12
PROGRAMME_MD = b'---\ntitle: "Bomb"\nslug: "bomb"\n---\n'


def zip_of(members: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip of (name, stored data, method, crc, claimed size): the claimed
    size goes in the local header and the central directory alike."""
    out = io.BytesIO()
    central = []
    for name, data, method, crc, claimed in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                claimed,
                len(encoded),
                0,
            )
        )
        out.write(encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(data),
                claimed,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(central))
    size = out.tell() - start
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), size, start, 0
        )
    )
    return out.getvalue()


def deflated(content: bytes) -> tuple[bytes, int]:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(content) + packer.flush(), zlib.crc32(content)


def deflated_zeros(size: int) -> bytes:
    """Raw deflate of `size` zero bytes, about size / 1030 long."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = bytes(MB)
    parts = [packer.compress(block) for _ in range(size // MB)]
    return b"".join(parts) + packer.flush()


def programme_member() -> tuple[str, bytes, int, int, int]:
    data, crc = deflated(PROGRAMME_MD)
    return "programme.md", data, DEFLATE, crc, len(PROGRAMME_MD)


def understated(inflates: int) -> bytes:
    """One Thing that claims 1 kB and inflates to `inflates` bytes."""
    bomb = deflated_zeros(inflates)
    return zip_of([programme_member(), ("things/01-a.md", bomb, DEFLATE, 0, 1024)])


def just_under_the_limit(inflates: int) -> bytes:
    """Claims just under the 20 MB limit; inflates to `inflates` bytes."""
    from programmes.portable import MAX_UNPACKED_BYTES

    bomb = deflated_zeros(inflates)
    member = ("things/01-a.md", bomb, DEFLATE, 0, MAX_UNPACKED_BYTES - MB)
    return zip_of([programme_member(), member])


def all_of_the_budget(_inflates: int) -> bytes:
    """Every file inflates to what it claims, 20 MB in all, with true CRCs."""
    from programmes.portable import MAX_FILES, MAX_UNPACKED_BYTES

    count = MAX_FILES - 1
    each = MAX_UNPACKED_BYTES // count - 64
    data, crc = deflated(b"\0" * each)
    members = [(f"things/{n:03d}-a.md", data, DEFLATE, crc, each) for n in range(count)]
    return zip_of([programme_member(), *members])


def bzip2(_inflates: int) -> bytes:
    import bz2

    data = bz2.compress(bytes(256 * MB))
    member = ("things/01-a.md", data, BZIP2, 0, 1024)
    return zip_of([programme_member(), member])


def largest_valid(_inflates: int) -> bytes:
    """The most text that passes every check: each Thing at its longest, one
    emoji per field so Python holds every character in four bytes."""
    from programmes.portable import MAX_FILES, MAX_QUESTIONS_LENGTH

    emoji = "\N{GRINNING FACE}"
    members = [programme_member()]
    for number in range(1, MAX_FILES):
        questions = ["q" * 998 + emoji] * (MAX_QUESTIONS_LENGTH // 1000)
        front = {
            "number": number,
            "title": "t" * 199 + emoji,
            "slug": f"thing-{number}",
            "questions": questions,
            "action": "a" * 1999 + emoji,
        }
        text = "---\n" + "".join(
            f"{key}: {json.dumps(value, ensure_ascii=False)}\n"
            for key, value in front.items()
        )
        text += "---\n\n" + "i" * 19_998 + emoji
        data, crc = deflated(text.encode())
        members.append(
            (f"things/{number:03d}-t.md", data, DEFLATE, crc, len(text.encode()))
        )
    return zip_of(members)


CASES: dict[str, Callable[[int], bytes]] = {
    "header claims 1 kB": understated,
    "header claims 19 MB": just_under_the_limit,
    "199 files inflate 20 MB in all": all_of_the_budget,
    "bzip2, 256 MB": bzip2,
    "largest valid programme": largest_valid,
}


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def measure(path: str) -> dict:
    """Read one zip as an import would; in a process of its own."""
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from programmes.portable import PortableFileError, read_portable_file

    content = Path(path).read_bytes()
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to VmRSS
    before = _status_kb("VmRSS")
    started = time.perf_counter()
    try:
        data = read_portable_file(io.BytesIO(content), "programme.zip")
        outcome = f"read, {len(data.things)} Things"
    except PortableFileError as refused:
        outcome = refused.problems[0]
    seconds = time.perf_counter() - started
    extra_kb = _status_kb("VmHWM") - before
    return {"extra_mb": round(extra_kb / 1024, 1), "seconds": round(seconds, 2),
            "outcome": outcome[:110]}  # fmt: skip


def measure_in_subprocess(content: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".zip") as file:
        file.write(content)
        file.flush()
        out = subprocess.run(
            [sys.executable, "-m", "bench.zip_bomb", "--measure", file.name],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inflates-mb", type=int, default=2048)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(f"{'case':32} {'zip':>8} {'extra MB':>9} {'seconds':>8}  outcome")
    for name, build in CASES.items():
        content = build(args.inflates_mb * MB)
        result = measure_in_subprocess(content)
        size = f"{len(content) / MB:.1f} MB"
        print(
            f"{name:32} {size:>8} {result['extra_mb']:>9} {result['seconds']:>8}"
            f"  {result['outcome']}"
        )


if __name__ == "__main__":
    main()
