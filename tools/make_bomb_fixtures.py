#!/usr/bin/env python3
"""Writes the decompression-bomb fixtures of Tests/ImageCodecsTests/Fixtures/bombs.

Each file is small on disk and asks for far more memory than its size: a declared size of
100000x100000 (PNG) or 65500x65500 (JPEG), an IDAT stream that inflates to 64 MB for a
16x16 image (and two with a smaller excess that decode), zTXt / iCCP chunks that inflate to 64 MB, and a progressive JPEG with 1100
scans, and a 527-byte progressive JPEG declaring 13000x13000. The standard library (zlib, struct) and Pillow for the progressive JPEG; the 65500²
JPEG is patched from the IJG test image. Run from the repository root:
    /work/venv/bin/python tools/make_bomb_fixtures.py
"""
import io
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


def last_scan(jpeg: bytes) -> tuple:
    """(start, end) of the last SOS segment with its entropy-coded data."""
    i, scans = 2, []
    while i < len(jpeg) and jpeg[i + 1] != 0xD9:
        length = jpeg[i + 2] << 8 | jpeg[i + 3]
        if jpeg[i + 1] == 0xDA:
            j = i + 2 + length
            while not (jpeg[j] == 0xFF and jpeg[j + 1] != 0x00 and not 0xD0 <= jpeg[j + 1] <= 0xD7):
                j += 1
            scans.append((i, j))
            i = j
        else:
            i += 2 + length
    return scans[-1]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    # 1. Declared 100000x100000 (10^10 pixels), one tiny IDAT.
    (OUT / "png_100000x100000.png").write_bytes(png(100_000, 100_000, zlib.compress(b"\x00" * 64, 9)))
    # 2. 16x16 grey whose IDAT inflates to 64 MB: the image data, then zeros.
    rows = small_rows(16, 16)
    (OUT / "png_idat_inflates_64mb.png").write_bytes(png(16, 16, zlib.compress(rows + bytes(BIG), 9)))
    # 2b. The same image with only 2000 bytes of excess (a few compressed bytes): libpng
    #     inflates it and warns "Too much image data" (benign); the file decodes.
    (OUT / "png_idat_small_excess.png").write_bytes(png(16, 16, zlib.compress(rows + bytes(2000), 9)))
    # 2b'. 8 MiB of zeros after the rows (8 KB compressed): more than libpng may read after the
    #     rows, so the shim counts the stream itself; within its 16 MiB margin, it decodes.
    (OUT / "png_idat_excess_8mb.png").write_bytes(png(16, 16, zlib.compress(rows + bytes(8 << 20), 9)))
    # 2c. A valid image whose IDAT stream is split into 1-byte chunks (must decode exactly).
    stream = zlib.compress(rows, 9)
    split = b"".join(chunk(b"IDAT", stream[i:i + 1]) for i in range(len(stream)))
    ihdr = struct.pack(">IIBBBBB", 16, 16, 8, 0, 0, 0, 0)
    (OUT / "png_idat_one_byte_chunks.png").write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + split + chunk(b"IEND", b""))
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
    # 6. A 16x16 progressive JPEG (Pillow) with its last scan repeated 1100 times: a CPU bomb
    #    (each scan is a pass over the image) that the shim's 1000-scan limit stops.
    from PIL import Image  # the only non-stdlib part: run with /work/venv/bin/python
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 60)).save(buffer, "JPEG", progressive=True, quality=90)
    prog = buffer.getvalue()
    last = last_scan(prog)
    (OUT / "jpeg_1100_scans.jpg").write_bytes(prog[:last[1]] + prog[last[0]:last[1]] * 1100 + prog[last[1]:])
    # 7. A 16x16 progressive 4:4:4 JPEG (Pillow) whose SOF2 is patched to 13000x13000
    #    (169 M pixels, under the default limit): its data ends after a few blocks.
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 60)).save(buffer, "JPEG", progressive=True, quality=90, subsampling=0)
    small = bytearray(buffer.getvalue())
    struct.pack_into(">HH", small, small.index(b"\xff\xc2") + 5, 13000, 13000)
    (OUT / "jpeg_13000x13000_progressive.jpg").write_bytes(bytes(small))
    for path in sorted(OUT.iterdir()):
        print(f"{path.name}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
