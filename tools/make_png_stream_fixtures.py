#!/usr/bin/env python3
"""Writes the valid-but-odd PNG stream fixtures of Tests/ImageCodecsTests/Fixtures/pngstreams
and records Pillow's pixels for each in pillow_pixels.json.

One 24x16 RGB image of deterministic noise (rows with varied filters), whose zlib stream is
laid out in IDAT chunks in unusual ways that libpng 1.6 still decodes:
  extra_inflated_data.png  the zlib stream inflates to 20 KB more than the rows (libpng's
                           benign "Too much image data")
  extra_compressed_data.png  the stream ends, then an IDAT of 20 KB of bytes after it
                           (libpng's benign "Extra compressed data")
  empty_idat_between.png   an empty IDAT chunk between two full ones
  one_byte_idats.png       the stream split into 1-byte IDAT chunks
  bad_adler_last_idat.png  the Adler-32 is wrong and sits alone in the last IDAT
  bad_adler_same_idat.png  the Adler-32 is wrong, in the one IDAT with the data
  interlaced_extra_16.png, interlaced_extra_15.png  Adam7-interlaced, 24x16 and 24x15
                           (last row odd / even: pass 7 does / does not end the image),
                           each with the 20 KB of extra inflated data
The last two decide how a bad Adler-32 is handled: as libpng does (see RELIABILITY.md §2).
pillow_pixels.json maps each name to Pillow's decode: width, height, mode and the samples
(row-major, list of ints), or the error Pillow raised. Run from the repository root:
    /work/venv/bin/python tools/make_png_stream_fixtures.py
"""
import json
import random
import struct
import zlib
from pathlib import Path

from PIL import Image

OUT = Path("Tests/ImageCodecsTests/Fixtures/pngstreams")
WIDTH, HEIGHT = 24, 16


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(idats: list, height: int = HEIGHT, interlace: int = 0) -> bytes:
    ihdr = struct.pack(">IIBBBBB", WIDTH, height, 8, 2, 0, 0, interlace)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + b"".join(chunk(b"IDAT", d) for d in idats) + chunk(b"IEND", b""))


def rows() -> bytes:
    # Noise on a gradient; the filter type byte cycles through 0..4 (each is valid whatever
    # the bytes, so the raw rows are simply filtered data the decoder must undo).
    rng = random.Random(14)
    out = b""
    for y in range(HEIGHT):
        out += bytes([y % 5]) + bytes((x * 7 + y * 3 + rng.randrange(40)) % 256 for x in range(WIDTH * 3))
    return out


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def interlaced(height: int) -> bytes:
    """The first `height` rows of rows() as an Adam7 stream, every reduced row filter 0."""
    raw = rows()
    pixels = [raw[y * (WIDTH * 3 + 1) + 1:(y + 1) * (WIDTH * 3 + 1)] for y in range(height)]
    out = b""
    for x0, y0, dx, dy in ADAM7:
        columns = range(x0, WIDTH, dx)
        if not columns:
            continue
        for y in range(y0, height, dy):
            out += b"\x00" + b"".join(pixels[y][3 * x:3 * x + 3] for x in columns)
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    raw = rows()
    stream = zlib.compress(raw, 9)
    noise = random.Random(5).randbytes(20_000)
    body, adler = stream[:-4], stream[-4:]
    bad = struct.pack(">I", struct.unpack(">I", adler)[0] ^ 0x01010101)
    files = {
        "extra_inflated_data.png": png([zlib.compress(raw + noise, 9)]),
        "extra_compressed_data.png": png([stream, noise]),
        "empty_idat_between.png": png([stream[:len(stream) // 2], b"", stream[len(stream) // 2:]]),
        "one_byte_idats.png": png([stream[i:i + 1] for i in range(len(stream))]),
        "bad_adler_last_idat.png": png([body, bad]),
        "bad_adler_same_idat.png": png([body + bad]),
        "interlaced_extra_16.png": png([zlib.compress(interlaced(16) + noise, 9)], 16, 1),
        "interlaced_extra_15.png": png([zlib.compress(interlaced(15) + noise, 9)], 15, 1),
    }
    record = {}
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        try:
            with Image.open(OUT / name) as image:
                image.load()
                record[name] = {"width": image.width, "height": image.height, "mode": image.mode,
                                "samples": list(image.tobytes())}
        except Exception as error:  # recorded: the test checks vis refuses it too
            record[name] = {"error": f"{type(error).__name__}: {error}"}
        print(f"{name}: {len(data)} bytes, Pillow: {record[name].get('error', 'decodes')}")
    lines = [f"{json.dumps(name)}: {json.dumps(record[name], sort_keys=True, separators=(',', ':'))}"
             for name in sorted(record)]
    (OUT / "pillow_pixels.json").write_text("{\n" + ",\n".join(lines) + "\n}\n")  # one line a file


if __name__ == "__main__":
    main()
