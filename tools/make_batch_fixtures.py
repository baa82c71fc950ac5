"""Independent reference values for Tests/BatchTests (run once, paste the printed Swift).

- A tiny baseline JPEG (6x4 RGB gradient, quality 90) made by Pillow, as a byte literal.
- FNV-1a 64 of a few strings, computed here from the algorithm's definition, and the
  shard (1-based) each relative path falls in for N = 2 and N = 3.

Usage: /work/venv/bin/python tools/make_batch_fixtures.py
"""
import io

from PIL import Image


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def main() -> None:
    img = Image.new("RGB", (6, 4))
    img.putdata([(x * 40, y * 60, 128) for y in range(4) for x in range(6)])
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=90)
    data = buf.getvalue()
    print("// tiny JPEG, %d bytes" % len(data))
    print("static let bytes: [UInt8] = [")
    for i in range(0, len(data), 16):
        print("    " + ", ".join("0x%02X" % b for b in data[i:i + 16]) + ",")
    print("]")
    for s in ["", "a", "foobar", "cats/tabby.jpg", "dogs/rex.png", "top.png"]:
        h = fnv1a64(s.encode())
        print('("%s", 0x%016X, %d, %d),' % (s, h, h % 2 + 1, h % 3 + 1))


if __name__ == "__main__":
    main()
