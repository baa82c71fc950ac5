#!/usr/bin/env python3
"""Recomputes every chunk CRC of a PNG (standard library only).

The png harness is built with -DVIS_FUZZING, so its crashers may carry wrong CRCs that the
normal build rejects before reaching the bug. Fix them before committing a crasher as a
regression input:  python3 fuzz/fix_png_crcs.py IN.png OUT.png
Chunks that run past the end of the file are copied as they are.
"""
import struct
import sys
import zlib


def fix(data: bytes) -> bytes:
    out = bytearray(data[:8])
    i = 8
    while i + 8 <= len(data):
        length = struct.unpack(">I", data[i:i + 4])[0]
        end = i + 12 + length
        if end > len(data):
            break
        kind_and_body = data[i + 4:i + 8 + length]
        out += data[i:i + 8 + length] + struct.pack(">I", zlib.crc32(kind_and_body))
        i = end
    out += data[i:]
    return bytes(out)


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    with open(source, "rb") as f:
        fixed = fix(f.read())
    with open(target, "wb") as f:
        f.write(fixed)
