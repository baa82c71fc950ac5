#!/usr/bin/env python3
"""Reference values for the Overlay tests (upsampling and percentile normalisation).

Writes, under Tests/OverlayTests/Fixtures/:
  upsampling.json   torch.nn.functional.interpolate on small random grids, modes
                    "bilinear" (align_corners=False) and "nearest", size= given (no scale_factor)
  percentile.json   np.percentile(a, q) (default method "linear") of float32 arrays, and the
                    percentile-clipped normalisation np.clip((a - lo) / (hi - lo), 0, 1)

Run from the repository root:  /work/venv/bin/python tools/make_overlay_fixtures.py
"""
import json
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "Tests/OverlayTests/Fixtures"

# (h, w) -> (H, W): non-integer up, integer up, the 2x shortcut, identity, down, tall/narrow.
RESIZES = [((3, 5), (7, 11)), ((2, 3), (8, 12)), ((4, 4), (8, 8)), ((5, 7), (5, 7)),
           ((4, 6), (3, 4)), ((7, 3), (20, 9)), ((3, 4), (37, 53)), ((1, 1), (3, 2))]
PERCENTILE_SIZES = [1, 2, 7, 100]
PERCENTILE_QS = [0, 1, 2.5, 5, 25, 50, 75, 95, 97.5, 99, 100]
NORMALIZE_RANGES = [(2, 98), (5, 95), (0, 100)]


def upsampling(rng):
    cases = []
    for (h, w), (out_h, out_w) in RESIZES:
        grid = rng.standard_normal((h, w)).astype(np.float32)
        t = torch.from_numpy(grid)[None, None]
        case = {"input": [h, w], "output": [out_h, out_w], "values": grid.reshape(-1).tolist()}
        case["bilinear"] = F.interpolate(t, size=(out_h, out_w), mode="bilinear",
                                         align_corners=False)[0, 0].reshape(-1).tolist()
        case["nearest"] = F.interpolate(t, size=(out_h, out_w), mode="nearest")[0, 0].reshape(-1).tolist()
        cases.append(case)
    return {"torch": torch.__version__, "cases": cases}


def percentile(rng):
    cases = []
    for n in PERCENTILE_SIZES:
        a = (rng.standard_normal(n) * 3 + 1).astype(np.float32)
        case = {"values": a.tolist(),
                "percentiles": [{"q": q, "value": float(np.percentile(a, q))} for q in PERCENTILE_QS],
                "normalized": []}
        for lo_q, hi_q in NORMALIZE_RANGES:
            lo, hi = np.percentile(a, [lo_q, hi_q])
            norm = np.zeros_like(a, dtype=np.float64) if hi <= lo else np.clip((a - lo) / (hi - lo), 0, 1)
            case["normalized"].append({"low": lo_q, "high": hi_q, "values": norm.tolist()})
        cases.append(case)
    return {"numpy": np.__version__, "cases": cases}


def main():
    rng = np.random.default_rng(20240607)
    FIXTURES.mkdir(parents=True, exist_ok=True)
    for name, data in [("upsampling.json", upsampling(rng)), ("percentile.json", percentile(rng))]:
        (FIXTURES / name).write_text(json.dumps(data, separators=(",", ":")) + "\n")
        print("wrote", (FIXTURES / name).relative_to(ROOT))


if __name__ == "__main__":
    main()
