#!/usr/bin/env python3
"""Writes the fixtures of the attention-analysis tests (class-token maps, query maps,
attention rollout, DINO masks).

    /work/venv/bin/python tools/make_analysis_fixtures.py [--out Tests/AttentionTests/Fixtures/analysis]

The expected values are NumPy transcriptions of the *methods* as their reference code
computes them, not of the Swift code:
- class-token map: DINO `visualize_attention.py`, `attentions[0, :, 0, 1:]` (the class
  token's row over the patches, per head), generalised to registers (skipped) and batch;
- rollout: Abnar & Zuidema 2020 as jacobgil/vit-explain `vit_rollout.py::rollout` does it
  (head fusion mean/max/min, `discard_ratio`, A' = (A + I)/2, product through the blocks,
  class row over the patches), with two corrections: rows are divided by their own sum
  (vit-explain's `a / a.sum(dim=-1)` divides column j by the sum of row j), and the
  discard is done per batch item (vit-explain zeroes batch item 0 only, with the union of
  every item's indices);
- mask: DINO `visualize_attention.py` `--threshold` (`th_attn`): ascending sort, values
  divided by their sum, cumulative sum, kept where cumsum > 1 - mass, un-sorted with
  argsort(idx).
`vit_explain_rollout` below transcribes vit-explain *with* its normalisation as it is (batch
1, the only batch it runs), for the case that shows the error. Each NumPy transcription is
cross-checked against the same steps written with the torch calls of the reference scripts
(`torch.topk`, `view`, `torch.sort`, `torch.argsort`, ...) before anything is written.

Inputs: random attention tensors (B=2, 4 heads, 3 blocks), rows softmax-normalised over
logits of std 2 (neither uniform nor one-hot), token layout class, 2 registers, patches of a
3x5 grid (T = 18); a second set without class token (1 register, T = 16, what an
average-pooling model has); a batch-1 set without registers (T = 16) for vit-explain's error.
Tokens are ordered class, registers, patches; patch n = row*5 + column.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import torch
from safetensors.numpy import save_file

REPO = Path(__file__).resolve().parent.parent
ROWS, COLS, HEADS, BLOCKS, BATCH = 3, 5, 4, 3, 2


def random_attention(rng: np.random.Generator, batch: int, tokens: int) -> list[np.ndarray]:
    """BLOCKS tensors (batch, HEADS, tokens, tokens) in float32, rows softmax-normalised."""
    blocks = []
    for _ in range(BLOCKS):
        logits = rng.standard_normal((batch, HEADS, tokens, tokens)) * 2.0
        e = np.exp(logits - logits.max(-1, keepdims=True))
        blocks.append((e / e.sum(-1, keepdims=True)).astype(np.float32))
    return blocks


# ---------------------------------------------------------------- class token and queries

def class_token_maps(attn: np.ndarray, prefix: int, has_class: bool) -> np.ndarray:
    """(B, heads, T, T) -> (B, heads, ROWS, COLS): DINO's attentions[b, :, 0, prefix:]; without
    class token the mean over the patch queries of their rows over the patches."""
    a = attn.astype(np.float64)
    if has_class:
        rows = a[:, :, 0, prefix:]
    else:
        rows = a[:, :, prefix:, prefix:].mean(axis=2)
    return rows.reshape(a.shape[0], a.shape[1], ROWS, COLS)


def query_maps(attn: np.ndarray, prefix: int, query: int) -> np.ndarray:
    """(B, heads, T, T) -> (B, heads, ROWS, COLS): the query token's row over the patches."""
    a = attn.astype(np.float64)
    return a[:, :, query, prefix:].reshape(a.shape[0], a.shape[1], ROWS, COLS)


# ---------------------------------------------------------------- rollout

def fuse(attn: np.ndarray, fusion: str) -> np.ndarray:
    """vit-explain's head fusion: mean, max or min over dim 1."""
    return {"mean": attn.mean(axis=1), "max": attn.max(axis=1), "min": attn.min(axis=1)}[fusion]


def discard(fused: np.ndarray, ratio: float, protect_first: bool) -> np.ndarray:
    """vit-explain's discard, per batch item: the int(T*T*ratio) smallest entries of the
    flattened matrix are set to 0, except flat index 0 (class token to itself)."""
    out = fused.copy()
    b, t, _ = fused.shape
    k = int(t * t * ratio)
    for item in range(b):
        flat = out[item].reshape(-1)  # a view: writes go to out
        lowest = np.argsort(flat, kind="stable")[:k]
        if protect_first:
            lowest = lowest[lowest != 0]
        flat[lowest] = 0
    return out


def rollout(blocks: list[np.ndarray], fusion: str, ratio: float, prefix: int, has_class: bool) -> np.ndarray:
    """Correct rollout: (B, ROWS, COLS) in float64."""
    b, _, t, _ = blocks[0].shape
    result = np.broadcast_to(np.eye(t), (b, t, t)).copy()
    for attn in blocks:
        fused = discard(fuse(attn.astype(np.float64), fusion), ratio, has_class)
        a = (fused + np.eye(t)) / 2
        a = a / a.sum(axis=-1, keepdims=True)  # each row by its own sum
        result = a @ result
    if has_class:
        row = result[:, 0, prefix:]
    else:
        row = result[:, prefix:, prefix:].mean(axis=1)
    return row.reshape(b, ROWS, COLS)


def vit_explain_rollout(blocks: list[np.ndarray], fusion: str, ratio: float) -> np.ndarray:
    """vit-explain's rollout with its own normalisation, batch 1, float32 like torch:
    a / a.sum(dim=-1) broadcasts the (1, T) row sums over the last axis, so a[0, i, j] is
    divided by the sum of row j. Returns result[0, 0, 1:] as (ROWS, COLS), before its
    division by the max."""
    t = blocks[0].shape[-1]
    result = np.eye(t, dtype=np.float32)
    for attn in blocks:
        assert attn.shape[0] == 1
        fused = fuse(attn, fusion).copy()
        flat = fused.reshape(1, -1)
        lowest = np.argsort(flat, axis=-1, kind="stable")[:, : int(flat.shape[-1] * ratio)]
        lowest = lowest[lowest != 0]
        flat[0, lowest] = 0
        a = (fused + np.eye(t, dtype=np.float32)) / 2
        a = a / a.sum(axis=-1)  # (1,T,T) / (1,T): column j over the sum of row j
        result = a @ result
    return result[0, 0, 1:].reshape(ROWS, COLS).astype(np.float64)


def torch_vit_explain(blocks: list[np.ndarray], fusion: str, ratio: float, keepdim: bool,
                      prefix: int = 1) -> np.ndarray:
    """The same steps with vit-explain's torch calls (topk of the lowest, view writes,
    eye/2, matmul), used only to check the NumPy transcriptions; keepdim=True is the
    corrected normalisation. The class row is read from token `prefix` on (vit-explain: 1)."""
    attentions = [torch.from_numpy(a) for a in blocks]
    result = torch.eye(attentions[0].size(-1))
    for attention in attentions:
        fused = getattr(attention, fusion)(dim=1)
        fused = fused if fusion == "mean" else fused[0]
        flat = fused.view(fused.size(0), -1)
        _, indices = flat.topk(int(flat.size(-1) * ratio), -1, False)
        indices = indices[indices != 0]
        flat[0, indices] = 0
        a = (fused + torch.eye(fused.size(-1))) / 2
        a = a / a.sum(dim=-1, keepdim=keepdim)
        result = torch.matmul(a, result)
    return result[0, 0, prefix:].reshape(ROWS, COLS).double().numpy()


# ---------------------------------------------------------------- DINO mask

def dino_mask(maps: np.ndarray, mass: float) -> tuple[np.ndarray, float]:
    """(B, heads, ROWS, COLS) -> uint8 mask of the same shape, DINO's th_attn per head.
    Also returns the smallest |cumval - (1 - mass)|, the margin a float32 reader has."""
    b, h = maps.shape[:2]
    flat = maps.reshape(b, h, -1)
    out = np.zeros_like(flat, dtype=np.uint8)
    margin = np.inf
    for item in range(b):
        idx = np.argsort(flat[item], axis=1, kind="stable")  # ascending, like torch.sort
        val = np.take_along_axis(flat[item], idx, axis=1)
        val = val / val.sum(axis=1, keepdims=True)
        cumval = np.cumsum(val, axis=1)
        th = cumval > (1 - mass)
        margin = min(margin, float(np.abs(cumval - (1 - mass)).min()))
        idx2 = np.argsort(idx, axis=1)
        out[item] = np.take_along_axis(th, idx2, axis=1)
    return out.reshape(maps.shape), margin


def torch_dino_mask(maps: np.ndarray, mass: float) -> np.ndarray:
    """DINO's steps with its torch calls, float32, for batch item by item."""
    result = []
    for item in maps:
        attentions = torch.from_numpy(item.astype(np.float32)).reshape(item.shape[0], -1)
        val, idx = torch.sort(attentions)
        val /= torch.sum(val, dim=1, keepdim=True)
        cumval = torch.cumsum(val, dim=1)
        th_attn = cumval > (1 - mass)
        idx2 = torch.argsort(idx)
        for head in range(item.shape[0]):
            th_attn[head] = th_attn[head][idx2[head]]
        result.append(th_attn.reshape(item.shape).numpy().astype(np.uint8))
    return np.stack(result)


# ---------------------------------------------------------------- checks

def discard_gap(blocks: list[np.ndarray], fusion: str, ratio: float) -> float:
    """Smallest relative gap between the k-th and (k+1)-th smallest fused entries, so
    that float32 and float64 readers pick the same entries to discard."""
    gap = np.inf
    for attn in blocks:
        fused = fuse(attn.astype(np.float64), fusion)
        t = fused.shape[-1]
        k = int(t * t * ratio)
        if k == 0:
            continue
        for item in fused:
            s = np.sort(item.reshape(-1))
            gap = min(gap, (s[k] - s[k - 1]) / s[k])
    return gap


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "Tests/AttentionTests/Fixtures/analysis")
    args = parser.parse_args()
    rng = np.random.default_rng(20260512)
    tensors: dict[str, np.ndarray] = {}

    # With class token and 2 registers: T = 1 + 2 + 15.
    prefix = 3
    blocks = random_attention(rng, BATCH, prefix + ROWS * COLS)
    for i, a in enumerate(blocks):
        tensors[f"attention.{i}"] = a
    for i in range(BLOCKS):
        tensors[f"class.block{i}"] = class_token_maps(blocks[i], prefix, True)
    # query tokens: class (0), register 1 (token 2), patch row 1 column 3 (token 3 + 8)
    for name, token in [("class", 0), ("register1", 2), ("patch_r1_c3", prefix + 1 * COLS + 3)]:
        for i in range(BLOCKS):
            tensors[f"query.{name}.block{i}"] = query_maps(blocks[i], prefix, token)
    for fusion in ["mean", "max", "min"]:
        for ratio in [0.0, 0.9]:
            tensors[f"rollout.{fusion}.discard{ratio}"] = rollout(blocks, fusion, ratio, prefix, True)
            if ratio > 0:
                gap = discard_gap(blocks, fusion, ratio)
                assert gap > 1e-3, f"discard boundary gap {gap}"
                print(f"discard gap {fusion}: {gap:.2e}")
    for mass in [0.6, 0.9]:
        for i in [1, 2]:
            mask, margin = dino_mask(class_token_maps(blocks[i], prefix, True), mass)
            assert margin > 1e-5, f"mask margin {margin}"
            assert np.array_equal(mask, torch_dino_mask(class_token_maps(blocks[i], prefix, True), mass))
            tensors[f"mask.mass{mass}.block{i}"] = mask
            print(f"mask mass {mass} block {i}: kept {mask.sum(axis=(2, 3)).tolist()}, margin {margin:.2e}")
    # Index 0 must be among the discarded lowest entries somewhere, or the protection is untested.
    protected = any(0 in np.argsort(fuse(a, "min")[item].reshape(-1))[: int(18 * 18 * 0.9)]
                    for a in blocks for item in range(BATCH))
    assert protected

    # Without class token, 1 register: T = 1 + 15 (average pooling).
    prefix_nc = 1
    blocks_nc = random_attention(rng, BATCH, prefix_nc + ROWS * COLS)
    for i, a in enumerate(blocks_nc):
        tensors[f"noclass.attention.{i}"] = a
    tensors["noclass.class.block2"] = class_token_maps(blocks_nc[2], prefix_nc, False)
    for fusion in ["mean", "max"]:
        tensors[f"noclass.rollout.{fusion}.discard0.9"] = rollout(blocks_nc, fusion, 0.9, prefix_nc, False)
    mask, margin = dino_mask(class_token_maps(blocks_nc[2], prefix_nc, False), 0.6)
    assert margin > 1e-5
    tensors["noclass.mask.mass0.6.block2"] = mask

    # vit-explain's normalisation: batch 1, class token, no registers, max fusion, discard 0.9.
    bug = random_attention(rng, 1, 1 + ROWS * COLS)
    for i, a in enumerate(bug):
        tensors[f"bug.attention.{i}"] = a
    buggy = vit_explain_rollout(bug, "max", 0.9)
    correct = rollout(bug, "max", 0.9, 1, True)[0]
    assert np.allclose(buggy, torch_vit_explain(bug, "max", 0.9, keepdim=False), rtol=1e-5, atol=1e-7)
    assert np.allclose(correct, torch_vit_explain(bug, "max", 0.9, keepdim=True), rtol=1e-5, atol=1e-7)
    # The rollout of the batch-2 set, item by item, through the torch steps (keepdim fixed).
    for fusion in ["mean", "max", "min"]:
        for ratio in [0.0, 0.9]:
            for item in range(BATCH):
                ref = torch_vit_explain([a[item:item + 1] for a in blocks], fusion, ratio,
                                        keepdim=True, prefix=prefix)
                assert np.allclose(tensors[f"rollout.{fusion}.discard{ratio}"][item], ref, rtol=1e-5, atol=1e-7)
    tensors["bug.vit_explain"] = buggy
    tensors["bug.correct"] = correct
    scaled = np.abs(buggy / buggy.max() - correct / correct.max()).max()
    print(f"vit-explain vs correct, after division by the max: largest difference {scaled:.3f}")
    assert scaled > 0.05

    args.out.mkdir(parents=True, exist_ok=True)
    out = {k: (v.astype(np.float32) if v.dtype != np.uint8 else v) for k, v in tensors.items()}
    save_file(out, str(args.out / "analysis.safetensors"), metadata={
        "rows": str(ROWS), "columns": str(COLS), "heads": str(HEADS), "blocks": str(BLOCKS),
        "made_by": "tools/make_analysis_fixtures.py"})
    print(f"wrote {len(out)} tensors to {args.out / 'analysis.safetensors'}")


if __name__ == "__main__":
    main()
