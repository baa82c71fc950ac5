#!/usr/bin/env python3
"""Writes the decompression-bomb fixtures of Tests/ImageCodecsTests/Fixtures/bombs.

Each file is small on disk and asks for far more memory than its size: a declared size of
100000x100000 (PNG) or 65500x65500 (JPEG), an IDAT stream that inflates to 64 MB for a
16x16 image, and zTXt / iCCP chunks that inflate to 64 MB. Standard library only (zlib,
struct); the JPEG is patched from the IJG test image. Run from the repository root:
    python3 tools/make_bomb_fixtures.py
"""
import struct
import zlib
from pathlib import Path

OUT = Path("Tests/ImageCodecsTests/Fixtures/bombs")
BIG = 64 * 1024 * 1024


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, idat: bytes, extra: bytes = b"", depth: int = 8, color: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, depth, color, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + extra + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def small_rows(width: int, height: int) -> bytes:
    # Grey 8-bit rows, filter 0, a diagonal gradient.
    return b"".join(b"\x00" + bytes((x + y) * 8 % 256 for x in range(width)) for y in range(height))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # 1. Declared 100000x100000 (10^10 pixels), one tiny IDAT.
    (OUT / "png_100000x100000.png").write_bytes(png(100_000, 100_000, zlib.compress(b"\x00" * 64, 9)))
    # 2. 16x16 grey whose IDAT inflates to 64 MB: the image data, then zeros.
    rows = small_rows(16, 16)
    (OUT / "png_idat_inflates_64mb.png").write_bytes(png(16, 16, zlib.compress(rows + bytes(BIG), 9)))
    # 3. zTXt whose text inflates to 64 MB, on a valid 16x16 image.
    ztxt = b"Comment\x00\x00" + zlib.compress(bytes(BIG), 9)
    (OUT / "png_ztxt_inflates_64mb.png").write_bytes(png(16, 16, zlib.compress(rows, 9), chunk(b"zTXt", ztxt)))
    # 4. iCCP whose profile inflates to 64 MB.
    iccp = b"bomb\x00\x00" + zlib.compress(bytes(BIG), 9)
    (OUT / "png_iccp_inflates_64mb.png").write_bytes(png(16, 16, zlib.compress(rows, 9), chunk(b"iCCP", iccp)))
    # 5. The IJG test image with its SOF0 patched to 65500x65500 (4.3 G pixels).
    jpeg = bytearray(Path("Tests/ImageCodecsTests/Fixtures/jpeg/testorig.jpg").read_bytes())
    sof = jpeg.index(b"\xff\xc0")
    struct.pack_into(">HH", jpeg, sof + 5, 65500, 65500)
    (OUT / "jpeg_65500x65500.jpg").write_bytes(bytes(jpeg))
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
