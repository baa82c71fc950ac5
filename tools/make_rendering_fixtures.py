#!/usr/bin/env python3
"""Writes the fixture of the RenderingTests that check the axial composition and the patch
mode's principal components against independent numbers.

    /work/venv/bin/python tools/make_rendering_fixtures.py [--out Tests/RenderingTests/Fixtures/rendering.safetensors]

The expected values are NumPy transcriptions (float64) of the formulas, not of the Swift code:
- axial: lucidrains' `axial_attention.AxialAttention(dim=6, heads=2, dim_heads=3,
  dim_index=1, sum_axial_out)` forward, written out pass by pass (q = x Wq^T,
  [k, v] = chunk(x Wkv^T, 2), heads head-major, softmax((q k^T) * e^-0.5), to_out with
  bias; pass 0 along the height, one sequence per column; pass 1 along the width on x when
  summed, on pass 0's output when sequential), then the query's effective map as README's
  `axial` row defines it: sequential, cell (y, x) = w_w((y0, x0) -> x) * w_h((y0, x) -> y);
  summed, half the height weights down column x0 plus half the width weights along row y0;
  the column and row profiles are the head means of w_h((y0, x0) -> .) and w_w((y0, x0) -> .).
- pca: the first three principal components of the patch embeddings (covariance of the
  centred rows, `numpy.linalg.eigh`, largest eigenvalues first), each eigenvector's sign
  chosen so that its entry of largest magnitude is positive, scores min-max scaled to
  [0, 1]; cell i of the 5x7 grid is row i // 7, column i % 7.

Inputs are seeded random numbers (weights of std 0.4, a feature map of std 1, embeddings
whose 8 columns have spreads 5, 3, 2, 1, .5, .3, .2, .1 so the eigenvalues are well apart).
Every tensor is F32; names: `axial.input` [1, 6, 5, 7], `axial.query` [2] (row, column),
`axial.axial_attentions.{0,1}.fn.{to_q,to_kv,to_out}.weight`, `….to_out.bias`, and per
variant `axial.{summed,sequential}.{effective [2, 5, 7], column_weights [5], row_weights [7]}`;
`pca.embeddings` [35, 8], `pca.components` [5, 7, 3]; `pca.wide.embeddings` [60, 40] (column
spreads 5·0.85^j, wide enough for the subspace iteration) and `pca.wide.components` [6, 10, 3].
"""
from __future__ import annotations

import argparse
import json
import struct
from pathlib import Path

import numpy as np

C, HEADS, DIM_HEADS, H, W = 6, 2, 3, 5, 7
QUERY = (2, 3)   # (row y0, column x0)


def save_file(tensors: dict[str, np.ndarray], path: Path) -> None:
    """Byte-reproducible safetensors (F32): tensors sorted by name, header padded to 8."""
    header, chunks, offset = {}, [], 0
    for name in sorted(tensors):
        raw = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode()
    encoded += b" " * (-len(encoded) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)) + encoded + b"".join(chunks))


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def self_attention(x: np.ndarray, p: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """One axis pass on sequences. Shape: x (S, T, C) -> out (S, T, C), attention (S, heads, T, T)."""
    s, t, _ = x.shape
    hidden = HEADS * DIM_HEADS
    q = x @ p["to_q.weight"].T
    kv = x @ p["to_kv.weight"].T
    k, v = kv[..., :hidden], kv[..., hidden:]

    def heads(z):  # (S, T, hidden) -> (S, heads, T, e), head-major hidden features
        return z.reshape(s, t, HEADS, DIM_HEADS).transpose(0, 2, 1, 3)

    q, k, v = heads(q), heads(k), heads(v)
    attention = softmax((q @ k.transpose(0, 1, 3, 2)) * DIM_HEADS ** -0.5)
    out = (attention @ v).transpose(0, 2, 1, 3).reshape(s, t, hidden)
    return out @ p["to_out.weight"].T + p["to_out.bias"], attention


def axial(x: np.ndarray, passes: list[dict[str, np.ndarray]], summed: bool):
    """x (C, H, W) -> effective (heads, H, W), column weights (H), row weights (W)."""
    columns = x.transpose(2, 1, 0)                      # (W, H, C): one sequence per column
    out0, height = self_attention(columns, passes[0])   # height (W, heads, H, H)
    width_in = x.transpose(1, 2, 0) if summed else out0.transpose(1, 0, 2)   # (H, W, C)
    _, width = self_attention(width_in, passes[1])      # width (H, heads, W, W)
    y0, x0 = QUERY
    effective = np.zeros((HEADS, H, W))
    for h in range(HEADS):
        if summed:
            effective[h, :, x0] += height[x0, h, y0, :] / 2
            effective[h, y0, :] += width[y0, h, x0, :] / 2
        else:
            for xx in range(W):
                effective[h, :, xx] = width[y0, h, x0, xx] * height[xx, h, y0, :]
    return effective, height[x0, :, y0, :].mean(axis=0), width[y0, :, x0, :].mean(axis=0)


def principal_components(embeddings: np.ndarray, rows: int, columns: int) -> np.ndarray:
    x = embeddings - embeddings.mean(axis=0)
    values, vectors = np.linalg.eigh(x.T @ x)
    out = np.zeros((rows, columns, 3))
    for k, index in enumerate(np.argsort(values)[::-1][:3]):
        v = vectors[:, index]
        if v[np.argmax(np.abs(v))] < 0:
            v = -v
        scores = x @ v
        out[:, :, k] = ((scores - scores.min()) / (scores.max() - scores.min())).reshape(rows, columns)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="Tests/RenderingTests/Fixtures/rendering.safetensors")
    out = Path(parser.parse_args().out)
    rng = np.random.default_rng(11)
    f32 = lambda a: np.asarray(a, dtype=np.float32)
    tensors: dict[str, np.ndarray] = {}
    x = f32(rng.normal(size=(1, C, H, W)))
    tensors["axial.input"] = x
    tensors["axial.query"] = f32(QUERY)
    hidden = HEADS * DIM_HEADS
    passes = []
    for index in range(2):
        p = {"to_q.weight": f32(rng.normal(scale=0.4, size=(hidden, C))),
             "to_kv.weight": f32(rng.normal(scale=0.4, size=(2 * hidden, C))),
             "to_out.weight": f32(rng.normal(scale=0.4, size=(C, hidden))),
             "to_out.bias": f32(rng.normal(scale=0.4, size=(C,)))}
        for name, value in p.items():
            tensors[f"axial.axial_attentions.{index}.fn.{name}"] = value
        passes.append({k: v.astype(np.float64) for k, v in p.items()})
    for variant, summed in (("summed", True), ("sequential", False)):
        effective, column_weights, row_weights = axial(x[0].astype(np.float64), passes, summed)
        assert np.allclose(effective.sum(axis=(1, 2)), 1), "each head's effective map sums to 1"
        tensors[f"axial.{variant}.effective"] = f32(effective)
        tensors[f"axial.{variant}.column_weights"] = f32(column_weights)
        tensors[f"axial.{variant}.row_weights"] = f32(row_weights)
    spreads = np.array([5, 3, 2, 1, 0.5, 0.3, 0.2, 0.1])
    embeddings = f32(rng.normal(size=(H * W, 8)) * spreads)
    tensors["pca.embeddings"] = embeddings
    tensors["pca.components"] = f32(principal_components(embeddings.astype(np.float64), H, W))
    wide = f32(rng.normal(size=(6 * 10, 40)) * 5 * 0.85 ** np.arange(40))
    tensors["pca.wide.embeddings"] = wide
    tensors["pca.wide.components"] = f32(principal_components(wide.astype(np.float64), 6, 10))
    out.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, out)
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
