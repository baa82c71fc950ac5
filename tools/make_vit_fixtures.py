#!/usr/bin/env python3
"""Writes the whole-model parity fixtures of the Models tests (Contract 5).

    /work/venv/bin/python tools/make_vit_fixtures.py [--out Tests/ModelsTests/Fixtures]

Every case is a randomly initialised model saved exactly as its library saves it:
- timm: `model.safetensors` (the `state_dict()` names) beside a timm `config.json`
  (`architecture`, `model_args` overriding it, `pretrained_cfg`), as timm's
  `push_to_hf_hub` writes them;
- transformers: `model.save_pretrained(...)` (its own `model.safetensors` and `config.json`).
Beside them `input.safetensors` (`input` (B,C,H,W)) and `expected.safetensors`: `output` (the
final normalised tokens: timm `forward_features`, transformers `last_hidden_state`), `logits`
when the model has a head, and `attention.<i>` (B,heads,T,T) per block, captured from the
reference's own softmax (timm: the unfused attention path's `attn_drop` input; transformers:
`output_attentions=True` with eager attention). F16 cases store F16 weights; their expected
values come from the float32 model holding the F16-rounded weights.

The shipped MNIST model (models/vit-mnist) gets `mnist/predictions.u8` (timm's predicted class
for each of the 10,000 test images, in order) and `mnist/sample.safetensors` (`indices`,
`input` (S,1,28,28), and timm's `output`, `logits`, `attention.<i>` for those images).
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import shutil
from pathlib import Path

import numpy as np
import timm
import torch
from safetensors.torch import load_file, save_file

REPO = Path(__file__).resolve().parent.parent


def randomise(model: torch.nn.Module, seed: int) -> None:
    """Gaussian weights (std 1/sqrt(fan_in)), biases and norm parameters perturbed, so that no
    tensor keeps a trivial initial value (LayerScale 1e-5, LayerNorm 1/0, zero tokens)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2 and "token" not in name and "pos" not in name and "position" not in name:
                fan_in = p[0].numel()
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(fan_in))
            elif name.endswith(("gamma", "lambda1")):
                p.copy_(0.5 + torch.rand(p.shape, generator=g))
            elif "norm" in name and name.endswith("weight") or "layernorm" in name and name.endswith("weight"):
                p.copy_(1 + 0.2 * torch.randn(p.shape, generator=g))
            else:
                p.copy_(0.2 * torch.randn(p.shape, generator=g))


def round_to_f16(model: torch.nn.Module) -> None:
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.half().float())


def timm_attention_capture(model):
    """Makes every block run the unfused attention and records its softmax weights."""
    maps = []
    for block in model.blocks:
        block.attn.fused_attn = False
        block.attn.attn_drop.register_forward_hook(lambda _m, _i, out: maps.append(out.detach().clone()))
    return maps


def timm_case(out: Path, name: str, architecture: str, model_args: dict, input_shape, seed: int,
              f16: bool = False, pretrained_cfg: dict | None = None) -> None:
    torch.manual_seed(seed)
    model = timm.create_model(architecture, pretrained=False, dynamic_img_size=True, **model_args).eval()
    randomise(model, seed)
    if f16:
        round_to_f16(model)
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    if f16:
        state = {k: v.half() for k, v in state.items()}
    save_file(state, str(folder / "model.safetensors"))
    cfg = {"input_size": [model_args.get("in_chans", 3), 224, 224], "mean": [0.5, 0.5, 0.5],
           "std": [0.5, 0.5, 0.5], "crop_pct": 0.9, "num_classes": model.num_classes}
    cfg.update(pretrained_cfg or {})
    config = {"architecture": architecture, "num_classes": model.num_classes,
              "num_features": model.num_features, "global_pool": model.global_pool,
              "model_args": model_args, "pretrained_cfg": cfg}
    (folder / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    x = torch.randn(*input_shape, generator=torch.Generator().manual_seed(seed + 1))
    maps = timm_attention_capture(model)
    with torch.no_grad():
        features = model.forward_features(x)
        logits = model.forward_head(features) if model.num_classes > 0 else None
    expected = {"output": features}
    if logits is not None:
        expected["logits"] = logits
    for i, a in enumerate(maps):
        expected[f"attention.{i}"] = a
    save_file({"input": x.contiguous()}, str(folder / "input.safetensors"))
    save_file({k: v.contiguous() for k, v in expected.items()}, str(folder / "expected.safetensors"))
    print(name, {k: tuple(v.shape) for k, v in expected.items()})


def transformers_case(out: Path, name: str, model, input_shape, seed: int, interpolate: bool, prefix: str) -> None:
    model.eval()
    randomise(model, seed)
    folder = out / name
    if folder.exists():
        shutil.rmtree(folder)
    model.save_pretrained(str(folder))
    x = torch.randn(*input_shape, generator=torch.Generator().manual_seed(seed + 1))
    kwargs = {"output_attentions": True}
    if interpolate:
        kwargs["interpolate_pos_encoding"] = True
    with torch.no_grad():
        result = model(pixel_values=x, **kwargs)
        base = getattr(model, prefix) if prefix else model
        hidden = base(pixel_values=x, **kwargs).last_hidden_state
    expected = {"output": hidden}
    if hasattr(result, "logits"):
        expected["logits"] = result.logits
    for i, a in enumerate(result.attentions):
        expected[f"attention.{i}"] = a
    save_file({"input": x.contiguous()}, str(folder / "input.safetensors"))
    save_file({k: v.contiguous() for k, v in expected.items()}, str(folder / "expected.safetensors"))
    print(name, {k: tuple(v.shape) for k, v in expected.items()})


def read_idx(path: Path) -> np.ndarray:
    data = gzip.open(path).read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def mnist_case(out: Path) -> None:
    folder = REPO / "models" / "vit-mnist"
    config = json.loads((folder / "config.json").read_text())
    model = timm.create_model(config["architecture"], pretrained=False, num_classes=config["num_classes"],
                              global_pool=config["global_pool"], **config["model_args"]).eval()
    model.load_state_dict(load_file(str(folder / "model.safetensors")))
    images = read_idx(REPO / "data/mnist/t10k-images-idx3-ubyte.gz")
    labels = read_idx(REPO / "data/mnist/t10k-labels-idx1-ubyte.gz")
    x = (torch.from_numpy(images.astype(np.float32)) / 255 - 0.1307) / 0.3081
    x = x[:, None]
    with torch.no_grad():
        predictions = torch.cat([model(x[i:i + 500]).argmax(-1) for i in range(0, len(x), 500)])
    accuracy = float((predictions.numpy() == labels).mean())
    print(f"mnist: timm accuracy {accuracy:.4%}")
    target = out / "mnist"
    target.mkdir(parents=True, exist_ok=True)
    (target / "predictions.u8").write_bytes(predictions.numpy().astype(np.uint8).tobytes())
    indices = torch.tensor([0, 1234])
    sample = x[indices]
    maps = timm_attention_capture(model)
    with torch.no_grad():
        features = model.forward_features(sample)
        logits = model.forward_head(features)
    expected = {"indices": indices.to(torch.int64), "input": sample.contiguous(), "output": features,
                "logits": logits}
    for i, a in enumerate(maps):
        expected[f"attention.{i}"] = a
    save_file({k: v.contiguous() for k, v in expected.items()}, str(target / "sample.safetensors"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(REPO / "Tests/ModelsTests/Fixtures"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)

    # timm ViT with class token, classifier head, batch 2, the trained grid (no resampling).
    timm_case(out, "timm_vit_head", "vit_tiny_patch16_224",
              {"img_size": 16, "patch_size": 4, "embed_dim": 16, "depth": 2, "num_heads": 4, "num_classes": 5},
              (2, 3, 16, 16), seed=1)
    # timm DINOv2 with registers and LayerScale, F16 weights, a non-square input: grid 4x4 ->
    # 3 rows (shrinking) x 6 columns (growing); average pooling with fc_norm and a head.
    timm_case(out, "timm_dinov2_reg_f16", "vit_small_patch14_reg4_dinov2",
              {"img_size": 16, "patch_size": 4, "embed_dim": 16, "depth": 2, "num_heads": 2, "reg_tokens": 2,
               "num_classes": 3, "global_pool": "avg"},
              (2, 3, 12, 24), seed=2, f16=True)
    # timm ViT with class-token position (no_embed_class False) on a non-square input 5x3.
    timm_case(out, "timm_vit_resampled", "vit_small_patch16_224",
              {"img_size": 16, "patch_size": 4, "embed_dim": 16, "depth": 2, "num_heads": 2, "num_classes": 0},
              (1, 3, 20, 12), seed=3)

    from transformers import (Dinov2Config, Dinov2Model, Dinov2WithRegistersConfig, Dinov2WithRegistersModel,
                              ViTConfig, ViTForImageClassification)
    torch.manual_seed(4)
    vit = ViTForImageClassification(ViTConfig(
        image_size=16, patch_size=4, hidden_size=16, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=32, num_labels=3, id2label={0: "cat", 1: "dog", 2: "bird"},
        label2id={"cat": 0, "dog": 1, "bird": 2}, attn_implementation="eager"))
    transformers_case(out, "hf_vit_head", vit, (2, 3, 20, 12), seed=4, interpolate=True, prefix="vit")
    torch.manual_seed(5)
    dinov2 = Dinov2Model(Dinov2Config(
        image_size=16, patch_size=4, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, mlp_ratio=2,
        attn_implementation="eager"))
    transformers_case(out, "hf_dinov2", dinov2, (2, 3, 12, 24), seed=5, interpolate=False, prefix="")
    torch.manual_seed(6)
    registers = Dinov2WithRegistersModel(Dinov2WithRegistersConfig(
        image_size=16, patch_size=4, hidden_size=16, num_hidden_layers=2, num_attention_heads=2, mlp_ratio=2,
        num_register_tokens=2, attn_implementation="eager"))
    transformers_case(out, "hf_dinov2_reg", registers, (1, 3, 24, 12), seed=6, interpolate=False, prefix="")

    mnist_case(out)


if __name__ == "__main__":
    main()
