#!/usr/bin/env python3
"""The Python baseline for `vis PATH --mode axial`: the same work with Pillow, numpy and torch.

    /work/venv/bin/python tools/bench_python_pipeline.py PATH... --out DIR [--threads 2]

For each image (PATH may be a file or a folder, walked recursively): Pillow decode with the
EXIF orientation applied; the canvas area-resampled to a 64-cell grid of 8-pixel cells (as
`SceneImage`); weight-free features of the same kind and cost as vis's default
(`WeightFreeDefaults.featureGrid`): mean colour and 8 texture components from the
eigen-decomposition of the 8×8 grey-patch covariance (numpy `eigh` instead of vis's cyclic
Jacobi), spectral-residual saliency (numpy FFT), cell centres, padded to 64 channels; the
reference module, lucidrains `AxialAttention(dim=64, heads=4, dim_heads=16, dim_index=1)`
(seeded random weights, as vis's default also builds fixed weights), run on that grid under
`torch.no_grad()`; the query cell's row and column attention recomputed from its projections
(what vis captures); the map normalised, upsampled bilinearly to the image size, coloured with
matplotlib's jet, blended at alpha 0.5; `<stem>_axial.png` and `<stem>_original.png` written
with zlib level 1 (vis's level). Images run one after another with torch on --threads threads.

Prints one JSON line: {"images", "seconds"}.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
from axial_attention import AxialAttention
from matplotlib import colormaps
from PIL import Image, ImageOps

GRID, CELL, DIM, HEADS, HEAD_DIM = 64, 8, 64, 4, 16
JET = (colormaps["jet"](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)


def grid_size(width: int, height: int) -> tuple[int, int]:
    if width >= height:
        return max(1, round(height / width * GRID)), GRID
    return GRID, max(1, round(width / height * GRID))


def saliency(grey: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """Spectral residual (Hou & Zhang 2007) on a 64-pixel-wide copy, averaged per cell."""
    small = np.asarray(Image.fromarray(grey).resize((64, max(1, round(64 * grey.shape[0] / grey.shape[1]))),
                                                      Image.BOX), dtype=np.float64)
    spectrum = np.fft.fft2(small)
    log_amplitude = np.log(np.abs(spectrum) + 1e-9)
    kernel = np.ones((3, 3)) / 9
    padded = np.pad(log_amplitude, 1, mode="edge")
    smooth = sum(padded[i:i + log_amplitude.shape[0], j:j + log_amplitude.shape[1]] * kernel[i, j]
                 for i in range(3) for j in range(3))
    residual = np.exp(log_amplitude - smooth) * np.exp(1j * np.angle(spectrum))
    plane = np.abs(np.fft.ifft2(residual)) ** 2
    cells = np.asarray(Image.fromarray(plane.astype(np.float32)).resize((columns, rows), Image.BOX))
    low, high = cells.min(), cells.max()
    return (cells - low) / (high - low) if high > low else np.zeros_like(cells)


def features(working: np.ndarray, rows: int, columns: int) -> np.ndarray:
    """[rows·columns, 64] tokens: colour (3), texture (8), position (2), saliency, zero padding."""
    rgb = working.astype(np.float32) / 255
    grey = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    patches = grey.reshape(rows, CELL, columns, CELL).transpose(0, 2, 1, 3).reshape(rows * columns, CELL * CELL)
    centred = patches - patches.mean(axis=0)
    covariance = centred.T.astype(np.float64) @ centred / max(1, len(centred) - 1)
    _, vectors = np.linalg.eigh(covariance)
    texture = centred @ vectors[:, ::-1][:, :8].astype(np.float32)
    colour = rgb.reshape(rows, CELL, columns, CELL, 3).mean(axis=(1, 3)).reshape(rows * columns, 3)
    colour = colour - colour.mean(axis=0)
    for group in (colour, texture):
        spread = group.std()
        if spread > 1e-3:
            group /= spread
    ys, xs = np.mgrid[0:rows, 0:columns]
    tokens = np.zeros((rows * columns, DIM), dtype=np.float32)
    tokens[:, 0:3] = colour
    tokens[:, 3:11] = texture
    tokens[:, 11] = ((xs + 0.5) / columns).ravel()
    tokens[:, 12] = ((ys + 0.5) / rows).ravel()
    tokens[:, 17] = 1
    tokens[:, 18] = saliency((grey * 255).astype(np.uint8), rows, columns).ravel()
    return tokens


def axial_maps(module: AxialAttention, grid: torch.Tensor, row: int, column: int) -> np.ndarray:
    """Runs the module, then the query's attention along its column and its row, head mean."""
    module(grid)  # the forward pass itself, as vis runs it
    x = grid[0].permute(1, 2, 0)  # [rows, columns, C]
    maps = np.zeros(grid.shape[2:], dtype=np.float32)
    for axis, line in ((0, x[:, column]), (1, x[row])):
        attention = module.axial_attentions[axis].fn
        q = attention.to_q(line).reshape(-1, HEADS, HEAD_DIM).transpose(0, 1)
        k, _ = attention.to_kv(line).chunk(2, dim=-1)
        k = k.reshape(-1, HEADS, HEAD_DIM).transpose(0, 1)
        query = row if axis == 0 else column
        weights = (q[:, query:query + 1] @ k.transpose(1, 2) * HEAD_DIM ** -0.5).softmax(-1).mean(0)[0].numpy()
        if axis == 0:
            maps[:, column] += weights / 2
        else:
            maps[row, :] += weights / 2
    return maps


def render(path: Path, out: Path, module: AxialAttention) -> None:
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    width, height = image.size
    rows, columns = grid_size(width, height)
    working = np.asarray(image.resize((columns * CELL, rows * CELL), Image.BOX))
    tokens = features(working, rows, columns)
    best = int(tokens[:, 18].argmax())
    grid = torch.from_numpy(tokens).reshape(1, rows, columns, DIM).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad():
        maps = axial_maps(module, grid, best // columns, best % columns)
    low, high = maps.min(), maps.max()
    normalised = (maps - low) / (high - low) if high > low else np.zeros_like(maps)
    upsampled = np.asarray(Image.fromarray(normalised.astype(np.float32)).resize((width, height), Image.BILINEAR))
    colours = JET[np.clip(upsampled * 255 + 0.5, 0, 255).astype(np.uint8)]
    pixels = np.asarray(image, dtype=np.float32)
    blended = (pixels * 0.5 + colours * 0.5 + 0.5).astype(np.uint8)
    out.mkdir(parents=True, exist_ok=True)
    Image.fromarray(blended).save(out / f"{path.stem}_axial.png", compress_level=1)
    image.save(out / f"{path.stem}_original.png", compress_level=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    module = AxialAttention(dim=DIM, num_dimensions=2, heads=HEADS, dim_heads=HEAD_DIM, dim_index=1,
                            sum_axial_out=True).eval()
    files = []
    for path in args.paths:
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    start = time.perf_counter()
    for path in files:
        render(path, args.out, module)
    print(json.dumps({"images": len(files), "seconds": round(time.perf_counter() - start, 3)}))


if __name__ == "__main__":
    main()
