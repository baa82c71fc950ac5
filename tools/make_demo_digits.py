"""Writes samples/digits/: the first test image of each digit 0-9 from data/mnist as 28x28 grey
PNGs (MNIST test set, CC BY-SA 3.0), named mnist_<index>_<label>.png. Standard library only."""
import gzip
import struct
import zlib
from pathlib import Path

root = Path(__file__).resolve().parent.parent
images = gzip.open(root / "data/mnist/t10k-images-idx3-ubyte.gz").read()[16:]
labels = gzip.open(root / "data/mnist/t10k-labels-idx1-ubyte.gz").read()[8:]
out = root / "samples/digits"
out.mkdir(parents=True, exist_ok=True)


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(pixels: bytes, width: int, height: int) -> bytes:
    rows = b"".join(b"\0" + pixels[r * width:(r + 1) * width] for r in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


for digit in range(10):
    index = labels.index(digit)
    (out / f"mnist_{index:04d}_{digit}.png").write_bytes(png(images[index * 784:(index + 1) * 784], 28, 28))
(out / "README.md").write_text(
    "# Digits for the trained-model demo\n\n"
    "The first image of each digit 0-9 in the MNIST test set (`data/mnist/`), as 28x28 grey PNGs\n"
    "named `mnist_<index>_<label>.png`; written by `tools/make_demo_digits.py`. MNIST: Y. LeCun,\n"
    "C. Cortes and C. J. C. Burges; Creative Commons Attribution-Share Alike 3.0.\n")
