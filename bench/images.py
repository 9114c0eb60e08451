"""What an upload costs: the time and peak memory of cleaning each image.

    .venv/bin/python -m bench.images

Cleans (core.images.clean_image: checks, orientation, metadata stripped,
re-encoded at every width) a phone-sized JPEG, a 12-megapixel one and a PNG
screenshot, then a decompression bomb (a 60,000 x 60,000 PNG of a few
hundred kilobytes), each in a fresh process. The extra memory is the peak
resident size (VmHWM, reset after start-up) less the size before cleaning.
"""

import io
import os
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024


def photo(width: int, height: int, kind: str) -> bytes:
    from PIL import Image

    image = Image.radial_gradient("L").resize((width, height)).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind, **({"quality": 90} if kind == "JPEG" else {}))
    return out.getvalue()


def bomb() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (60_000, 60_000)).save(out, "PNG")
    return out.getvalue()


CASES = {
    "phone photo, 1600 x 1200 JPEG": lambda: photo(1600, 1200, "JPEG"),
    "camera photo, 4000 x 3000 JPEG": lambda: photo(4000, 3000, "JPEG"),
    "screenshot, 2560 x 1440 PNG": lambda: photo(2560, 1440, "PNG"),
    "decompression bomb, 60,000 x 60,000 PNG": bomb,
}


def resident_peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def measure(name: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "true")
    import django

    django.setup()
    from core.images import ImageRefused, clean_image

    content = CASES[name]()
    Path("/proc/self/clear_refs").write_text("5")
    before = resident_peak_kb()
    started = time.perf_counter()
    try:
        clean = clean_image(content)
        outcome = f"stored {len(clean.renditions)} widths"
    except ImageRefused as refusal:
        outcome = f"refused: {refusal}"
    took = time.perf_counter() - started
    extra = (resident_peak_kb() - before) / 1024
    print(
        f"{name}: {len(content) / MB:.2f} MB in, {took * 1000:.0f} ms, "
        f"+{extra:.1f} MB peak; {outcome}"
    )


def main() -> None:
    if len(sys.argv) > 1:
        measure(sys.argv[1])
        return
    for name in CASES:
        subprocess.run(
            [sys.executable, "-m", "bench.images", name], cwd=PROJECT, check=True
        )


if __name__ == "__main__":
    main()
