"""timm `vision_transformer.Attention` (imported from timm; `timm.layers.Attention`).

Shape: input (B,N,C) -> output (B,N,C), attention (B,heads,N,N) after softmax.
The attention map is captured with a forward hook on `attn_drop` (identity in eval mode),
whose input is exactly the softmax weights of timm's explicit (non-fused) path:
`q = q * scale; attn = (q @ k^T).softmax(-1)` with scale = head_dim**-0.5 applied to q
before the product. `reference_forward` runs that explicit path with timm's own code (no hook); the fused SDPA
path (timm's default) agrees to ~1e-6 absolute or better and is checked at 1e-5 (`extra_checks`).
"""
from __future__ import annotations

import torch
from timm.layers import Attention

MODULE = "self_attention"


def build(dim: int, num_heads: int, qkv_bias: bool) -> Attention:
    return Attention(dim, num_heads=num_heads, qkv_bias=qkv_bias).eval()


def hyper(ref: Attention) -> dict[str, object]:
    return {"num_heads": ref.num_heads}


def from_file(metadata: dict[str, str], tensors: dict[str, torch.Tensor]) -> Attention:
    dim = tensors["qkv.weight"].shape[1]
    ref = build(dim, int(metadata["num_heads"]), "qkv.bias" in tensors)
    ref.load_state_dict({n: t.float() for n, t in tensors.items()}, strict=True)
    return ref


def _run(ref: Attention, x: torch.Tensor, fused: bool) -> torch.Tensor:
    saved = ref.fused_attn
    try:
        ref.fused_attn = fused
        return ref(x)
    finally:
        ref.fused_attn = saved


@torch.no_grad()
def reference_forward(ref: Attention, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    """timm's explicit (non-fused) path, exactly as timm runs it, without any hook."""
    return _run(ref, inputs["input"], fused=False)


@torch.no_grad()
def extra_checks(ref: Attention, inputs: dict[str, torch.Tensor], expected: dict[str, torch.Tensor]):
    """(label, got, reference, tolerance): timm's default fused SDPA path vs the expected output."""
    fused = _run(ref, inputs["input"], fused=True)
    return [("fused SDPA vs explicit", expected["output"], fused, 1e-5)]


@torch.no_grad()
def forward_with_maps(ref: Attention, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    captured: list[torch.Tensor] = []
    hook = ref.attn_drop.register_forward_hook(lambda _m, args, _out: captured.append(args[0].clone()))
    try:
        output = _run(ref, inputs["input"], fused=False)  # the path that materialises the softmax
    finally:
        hook.remove()
    if len(captured) != 1:
        raise RuntimeError(f"expected one attention map, captured {len(captured)}")
    return {"output": output, "attention": captured[0]}
