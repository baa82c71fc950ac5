"""timm `PatchEmbed` (flatten to NLC, no norm), imported from timm.

Shape: input (B,C,H,W) -> output (B,N,D), N = (H//p)·(W//p) patches in row-major order.
With `img_size=None` timm checks no size, and the stride-p convolution drops the trailing
H % p rows and W % p columns.
"""
from __future__ import annotations

import torch
from timm.layers import PatchEmbed

MODULE = "patch_embed"


def build(in_chans: int, embed_dim: int, patch_size: int) -> PatchEmbed:
    return PatchEmbed(img_size=None, patch_size=patch_size, in_chans=in_chans,
                      embed_dim=embed_dim, norm_layer=None, flatten=True, bias=True).eval()


def hyper(ref: PatchEmbed) -> dict[str, object]:
    return {"patch_size": ref.patch_size[0]}


def from_file(metadata: dict[str, str], tensors: dict[str, torch.Tensor]) -> PatchEmbed:
    weight = tensors["proj.weight"]
    patch_size = int(metadata["patch_size"])
    if tuple(weight.shape[2:]) != (patch_size, patch_size):
        raise ValueError(f"proj.weight {tuple(weight.shape)} does not match patch_size {patch_size}")
    ref = build(weight.shape[1], weight.shape[0], patch_size)
    ref.load_state_dict({n: t.float() for n, t in tensors.items()}, strict=True)
    return ref


@torch.no_grad()
def reference_forward(ref: PatchEmbed, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    return ref(inputs["input"])


@torch.no_grad()
def forward_with_maps(ref: PatchEmbed, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    x = inputs["input"]
    y = torch.nn.functional.conv2d(x, ref.proj.weight, ref.proj.bias, stride=ref.patch_size)
    # [B,D,h,w] -> [B,h·w,D]
    return {"output": y.flatten(2).transpose(1, 2)}
