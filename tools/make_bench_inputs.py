"""The end-to-end benchmarks' inputs, made offline from samples/ with Pillow (nothing committed).

    python tools/make_bench_inputs.py DIR COUNT [--24mp]

DIR/photo12.jpg: samples' first photo, bicubic upscale to 4000x3000 (quality 90);
DIR/photo24.jpg (with --24mp): the same at 6000x4000; DIR/folder/: COUNT JPEGs of about
0.8 MP (1024-1136 x 768-832), the samples in turn, every other cycle mirrored.
Used by tools/bench_end_to_end.sh and tools/bench_png_backends.sh.
"""
import sys
from pathlib import Path

from PIL import Image, ImageOps

out, count = Path(sys.argv[1]), int(sys.argv[2])
samples = [Image.open(p).convert("RGB") for p in sorted(Path("samples").glob("*")) if p.suffix in (".png", ".jpg")]
samples[0].resize((4000, 3000), Image.BICUBIC).save(out / "photo12.jpg", quality=90)
if "--24mp" in sys.argv:
    samples[0].resize((6000, 4000), Image.BICUBIC).save(out / "photo24.jpg", quality=90)
(out / "folder").mkdir()
for i in range(count):
    image = samples[i % len(samples)]
    if i // len(samples) % 2:
        image = ImageOps.mirror(image)
    width, height = 1024 + 16 * (i % 8), 768 + 16 * (i % 5)
    image.resize((width, height), Image.BICUBIC).save(out / "folder" / f"image{i:03d}.jpg", quality=90)
