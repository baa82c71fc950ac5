#!/usr/bin/env python3
"""Makes the ImageCodecs test fixtures from ../shared/testdata and ../shared/samples.

Independent references: pypng (PNG, raw rows expanded here by the PNG spec's rules) and
Pillow 13 (JPEG). Run offline with a venv holding pillow, pypng and numpy:

    python3 tools/make_codec_fixtures.py ../shared

Writes Tests/ImageCodecsTests/Fixtures/:
  pngsuite/           the PngSuite files with their licence (copied byte for byte)
  pngsuite.json       per valid file: width, height, channels, bit depth, sha256 of the
                      expanded samples (8-bit bytes, or 16-bit little-endian)
  crashers/           libpng's contrib/testpngs/crashers (must be rejected or decoded, never crash)
  jpeg/               libjpeg-turbo test images and generated variants (progressive,
                      restart markers, arithmetic, grey, CMYK, EXIF orientation 1-8,
                      truncated), each with expected/<name>.png = Pillow's decode
  jpeg.json           per JPEG: expected size, channels, and what must happen
"""
import hashlib, io, json, os, shutil, subprocess, sys

import numpy as np
import png  # pypng
from PIL import Image, ImageOps

shared = sys.argv[1] if len(sys.argv) > 1 else "../shared"
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
out = os.path.join(root, "Tests/ImageCodecsTests/Fixtures")


def expand_png(path):
    """Decodes with pypng's raw reader, then expands as libpng's png_set_expand does."""
    r = png.Reader(filename=path)
    w, h, rows, meta = r.read()
    rows = [np.array(row, dtype=np.uint32) for row in rows]
    planes = meta["planes"]
    depth = meta["bitdepth"]
    a = np.stack(rows).reshape(h, w, planes)
    color_type = r.color_type
    if color_type == 3:  # palette -> RGB or RGBA (alpha from tRNS)
        pal = np.array(r.palette(alpha="force"), dtype=np.uint32)
        has_alpha = r.trns is not None
        a = pal[a[:, :, 0]]
        if not has_alpha:
            a = a[:, :, :3]
        return w, h, a.shape[2], 8, a.astype(np.uint8)
    trns = r.trns
    if trns is not None and color_type in (0, 2):
        # pypng keeps the tRNS chunk raw: 2 bytes per sample, big-endian.
        values = [int.from_bytes(trns[i:i + 2], "big") for i in range(0, len(trns), 2)]
        key = np.array(values, dtype=np.uint32)
        transparent = np.all(a == key.reshape(1, 1, -1), axis=2)
        maxv = 65535 if depth == 16 else 255
        alpha = np.where(transparent, 0, maxv).astype(np.uint32)[:, :, None]
        if depth < 8:
            a = a * (255 // ((1 << depth) - 1))
        a = np.concatenate([a, alpha], axis=2)
    elif depth < 8:
        a = a * (255 // ((1 << depth) - 1))
    bits = 16 if depth == 16 else 8
    arr = a.astype(np.uint16 if bits == 16 else np.uint8)
    return w, h, arr.shape[2], bits, arr


def sha(arr):
    if arr.dtype == np.uint16:
        return hashlib.sha256(arr.astype("<u2").tobytes()).hexdigest()
    return hashlib.sha256(arr.tobytes()).hexdigest()


def pngsuite():
    src = os.path.join(shared, "testdata/pngsuite")
    dst = os.path.join(out, "pngsuite")
    shutil.rmtree(dst, ignore_errors=True)
    shutil.copytree(src, dst)
    expected = {}
    for name in sorted(os.listdir(src)):
        if not name.endswith(".png") or name.startswith("x"):
            continue
        w, h, c, bits, arr = expand_png(os.path.join(src, name))
        expected[name] = {"width": w, "height": h, "channels": c, "bitDepth": bits, "sha256": sha(arr)}
    with open(os.path.join(out, "pngsuite.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    print(f"pngsuite: {len(expected)} valid files with expected hashes")
    crash = os.path.join(out, "crashers")
    shutil.rmtree(crash, ignore_errors=True)
    shutil.copytree(os.path.join(shared, "testdata/libpng-testpngs/crashers"), crash)


def save_expected(im, name):
    os.makedirs(os.path.join(out, "jpeg/expected"), exist_ok=True)
    im.save(os.path.join(out, "jpeg/expected", name + ".png"))


def jpegs():
    src = os.path.join(shared, "testdata/jpeg")
    dst = os.path.join(out, "jpeg")
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    for f in ("LICENSE.md", "README.ijg", "LICENSE-testimages-from-main.txt"):
        shutil.copy(os.path.join(src, f), dst)
    cases = {}

    def decoded(name, im, **extra):
        im = ImageOps.exif_transpose(im)
        if im.mode == "CMYK":
            im = im.convert("RGB")
        save_expected(im, name)
        cases[name] = {"width": im.width, "height": im.height, "channels": len(im.getbands()), "expect": "pixels", **extra}

    for name in ("testorig.jpg", "testimgint.jpg", "testimgari.jpg", "testorig12.jpg"):
        shutil.copy(os.path.join(src, name), dst)
    for name in ("testorig.jpg", "testimgint.jpg", "testimgari.jpg"):
        decoded(name, Image.open(os.path.join(dst, name)))
    cases["testorig12.jpg"] = {"expect": "unsupportedVariant"}

    # DCT scaling: Pillow's draft() selects libjpeg's scale_denom as our decoder does.
    for denom in (2, 4, 8):
        im = Image.open(os.path.join(dst, "testorig.jpg"))
        # Pillow picks the largest scale with size // request >= scale.
        im.draft("RGB", (227 // denom, 149 // denom))
        im.load()
        assert im.size == ((227 + denom - 1) // denom, (149 + denom - 1) // denom), im.size
        name = f"testorig.jpg@1-{denom}"
        save_expected(im, name)
        cases[name] = {"width": im.width, "height": im.height, "channels": 3, "expect": "pixels",
                       "file": "testorig.jpg", "scaleDenominator": denom,
                       "minimumWidth": (227 + denom - 1) // denom, "minimumHeight": (149 + denom - 1) // denom}

    ppm = os.path.join(src, "testorig.ppm")
    def cjpeg(name, *args):
        path = os.path.join(dst, name)
        subprocess.run(["cjpeg", *args, "-outfile", path, ppm], check=True)
        decoded(name, Image.open(path))
    cjpeg("progressive.jpg", "-progressive", "-quality", "85")
    cjpeg("restart.jpg", "-restart", "2", "-quality", "90")
    cjpeg("grey.jpg", "-grayscale")
    cjpeg("progressive-arithmetic.jpg", "-progressive", "-arithmetic")
    cjpeg("restart-444.jpg", "-restart", "1B", "-sample", "1x1")

    # CMYK (Pillow writes an Adobe APP14 marker with inverted inks).
    sample = Image.open(os.path.join(shared, "samples/chelsea.png")).convert("RGB").resize((90, 60))
    sample.convert("CMYK").save(os.path.join(dst, "cmyk.jpg"), quality=92)
    decoded("cmyk.jpg", Image.open(os.path.join(dst, "cmyk.jpg")), check="plausible")

    # EXIF orientation 1-8: an asymmetric picture stored so that upright it is `sample`.
    inverse = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
               4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
               6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_270}
    for o in range(1, 9):
        stored = sample if inverse[o] is None else sample.transpose(inverse[o])
        exif = Image.Exif()
        exif[0x0112] = o
        name = f"exif-orientation-{o}.jpg"
        stored.save(os.path.join(dst, name), quality=95, exif=exif.tobytes())
        decoded(name, Image.open(os.path.join(dst, name)), orientation=o)
        assert cases[name]["width"] == 90 and cases[name]["height"] == 60

    # Truncated: the first 60% of testorig.jpg.
    data = open(os.path.join(dst, "testorig.jpg"), "rb").read()
    open(os.path.join(dst, "truncated.jpg"), "wb").write(data[: len(data) * 6 // 10])
    cases["truncated.jpg"] = {"expect": "truncated", "width": 227, "height": 149}
    with open(os.path.join(out, "jpeg.json"), "w") as f:
        json.dump(cases, f, indent=1, sort_keys=True)
    print(f"jpeg: {len(cases)} cases")


if __name__ == "__main__":
    pngsuite()
    jpegs()
