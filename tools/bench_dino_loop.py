#!/usr/bin/env python3
"""The Python baseline for `vis PATH --mode cls --model MODEL`: what DINO's
`visualize_attention.py` does, in a loop over a folder, with timm.

    /work/venv/bin/python tools/bench_dino_loop.py MODEL_DIR PATH... --out DIR [--threads 2]

MODEL_DIR holds timm's `config.json` and `model.safetensors` (the layout `vis --model`
reads). For each image (PATH may be a file or a folder, walked recursively): Pillow decode
with the EXIF orientation applied, RGB; resized (bicubic, as DINO's `transforms.Resize`) so
that the long side is the model's input size and the short side keeps the aspect ratio, both
rounded to whole patches (as vis); normalised with the config's mean and std; the timm model
(`dynamic_img_size=True`) under `torch.no_grad()`, the last block's attention taken from its
softmax (DINO's `get_last_selfattention`; timm's fused attention is switched off in that block
so the weights exist); the class token's row over the patches, mean over heads; upsampled
bilinearly to the image size, normalised to [0, 1], coloured with matplotlib's jet, blended at
alpha 0.5 over the image, written as `<stem>_cls.png` (Pillow, zlib level 1, vis's level) with
the original beside it; the top-5 classes computed. One image after another.

Prints one JSON line: {"images", "seconds"}.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import timm
import torch
from matplotlib import colormaps
from PIL import Image, ImageOps
from safetensors.torch import load_file

JET = (colormaps["jet"](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def load(model_dir: Path):
    config = json.loads((model_dir / "config.json").read_text())
    model = timm.create_model(config["architecture"], pretrained=False, num_classes=config.get("num_classes", 1000),
                              dynamic_img_size=True, **config.get("model_args", {}))
    model.load_state_dict(load_file(str(model_dir / "model.safetensors")))
    model.eval()
    captured = {}
    last = model.blocks[-1].attn
    last.fused_attn = False
    last.attn_drop.register_forward_hook(lambda module, inputs, output: captured.__setitem__("attention", output))
    cfg = config.get("pretrained_cfg", {})
    size = max(cfg.get("input_size", [3, 224, 224])[1:])
    mean = np.array(cfg.get("mean", [0.485, 0.456, 0.406]), dtype=np.float32)
    std = np.array(cfg.get("std", [0.229, 0.224, 0.225]), dtype=np.float32)
    return model, captured, size, mean, std


def render(path: Path, out: Path, model, captured, size, mean, std) -> None:
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    width, height = image.size
    patch = model.patch_embed.patch_size[0]
    long = max(width, height)
    # Halves round up, as vis's `rounded()` does (Python's round() would take 10.5 to 10).
    w = max(1, math.floor(width / long * size / patch + 0.5)) * patch
    h = max(1, math.floor(height / long * size / patch + 0.5)) * patch
    x = (np.asarray(image.resize((w, h), Image.BICUBIC), dtype=np.float32) / 255 - mean) / std
    with torch.no_grad():
        logits = model(torch.from_numpy(x.transpose(2, 0, 1)).unsqueeze(0))
    torch.topk(logits.softmax(-1), min(5, logits.shape[-1]))
    attention = captured["attention"][0, :, 0, model.num_prefix_tokens:].mean(0)
    grid = attention.reshape(1, 1, h // patch, w // patch)
    up = torch.nn.functional.interpolate(grid, size=(height, width), mode="bilinear", align_corners=False)[0, 0].numpy()
    low, high = up.min(), up.max()
    index = ((up - low) / (high - low) * 255).astype(np.uint8) if high > low else np.zeros_like(up, dtype=np.uint8)
    rgb = np.asarray(image, dtype=np.float32)
    blended = (rgb * 0.5 + JET[index].astype(np.float32) * 0.5).round().astype(np.uint8)
    Image.fromarray(blended).save(out / f"{path.stem}_cls.png", compress_level=1)
    image.save(out / f"{path.stem}_original.png", compress_level=1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("model", type=Path)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    args.out.mkdir(parents=True, exist_ok=True)
    files = []
    for path in args.paths:
        files += sorted(p for p in path.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES) if path.is_dir() else [path]
    model, captured, size, mean, std = load(args.model)
    start = time.perf_counter()
    for path in files:
        render(path, args.out, model, captured, size, mean, std)
    print(json.dumps({"images": len(files), "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
