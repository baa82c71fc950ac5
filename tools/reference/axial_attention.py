"""lucidrains `axial_attention.AxialAttention` (PyPI `axial-attention`, imported from it),
built as `AxialAttention(dim, num_dimensions=2, heads, dim_heads, dim_index=1, sum_axial_out)`.

Shape: input (B,C,H,W) -> output (B,C,H,W),
attention.height (B,W,heads,H,H) [column, head, query row, key row],
attention.width (B,H,heads,W,W) [row, head, query column, key column].

Conventions read from the package source and checked by running it:
- `axial_attentions.0` uses permutation [0,3,2,1] -> (B,W,H,C): it attends along the
  HEIGHT, one sequence per column; `axial_attentions.1` uses [0,2,3,1] -> (B,H,W,C): it
  attends along the WIDTH, one sequence per row.
- No residual: sum_axial_out=True gives attn0(x) + attn1(x); False gives attn1(attn0(x))
  (so the width maps are computed on the height pass's output).
- Each pass: q = x Wq^T, [k,v] = chunk(x Wkv^T, 2) (no bias), heads split as
  reshape(b,t,h,e) (head-major in the hidden features), dots = (q k^T) * e**-0.5 (scale
  AFTER the product), softmax over keys, out = to_out(attn v) (with bias).
- dim_heads defaults to dim // heads; any dim_heads is allowed (hidden = heads·dim_heads),
  but dim must still be divisible by heads (the package asserts it).
"""
from __future__ import annotations

import torch
from axial_attention import AxialAttention

MODULE = "axial_attention"


def build(dim: int, heads: int, dim_heads: int | None, sum_axial_out: bool) -> AxialAttention:
    return AxialAttention(dim, num_dimensions=2, heads=heads, dim_heads=dim_heads,
                          dim_index=1, sum_axial_out=sum_axial_out).eval()


def hyper(ref: AxialAttention, dim_heads_given: bool = True) -> dict[str, object]:
    attn = ref.axial_attentions[0].fn
    out: dict[str, object] = {"heads": attn.heads}
    if dim_heads_given:
        out["dim_heads"] = attn.dim_heads
    out["sum_axial_out"] = ref.sum_axial_out
    return out


def from_file(metadata: dict[str, str], tensors: dict[str, torch.Tensor]) -> AxialAttention:
    dim = tensors["axial_attentions.0.fn.to_q.weight"].shape[1]
    heads = int(metadata["heads"])
    dim_heads = int(metadata["dim_heads"]) if "dim_heads" in metadata else None
    sum_flag = metadata["sum_axial_out"]
    if sum_flag not in ("true", "false"):
        raise ValueError(f"sum_axial_out must be 'true' or 'false', got {sum_flag!r}")
    ref = build(dim, heads, dim_heads, sum_flag == "true")
    ref.load_state_dict({n: t.float() for n, t in tensors.items()}, strict=True)
    return ref


@torch.no_grad()
def reference_forward(ref: AxialAttention, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    return ref(inputs["input"])


def _self_attention(fn, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mirrors axial_attention.SelfAttention.forward (kv = x); also returns the softmax.

    Shape: x (b,t,d) -> out (b,t,d), attention (b,h,t,t)."""
    q, k, v = (fn.to_q(x), *fn.to_kv(x).chunk(2, dim=-1))
    b, t, d, h, e = *q.shape, fn.heads, fn.dim_heads

    def merge_heads(z):
        return z.reshape(b, -1, h, e).transpose(1, 2).reshape(b * h, -1, e)

    q, k, v = map(merge_heads, (q, k, v))
    dots = torch.einsum('bie,bje->bij', q, k) * (e ** -0.5)
    dots = dots.softmax(dim=-1)
    out = torch.einsum('bij,bje->bie', dots, v)
    out = out.reshape(b, h, -1, e).transpose(1, 2).reshape(b, -1, d)
    return fn.to_out(out), dots.reshape(b, h, t, t)


def _pass(permute_to_from, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mirrors axial_attention.PermuteToFrom.forward; attention comes back as (*rest,h,t,t)."""
    axial = x.permute(*permute_to_from.permutation).contiguous()
    shape = axial.shape
    *rest, t, d = shape
    axial = axial.reshape(-1, t, d)
    axial, attention = _self_attention(permute_to_from.fn, axial)
    axial = axial.reshape(*shape).permute(*permute_to_from.inv_permutation).contiguous()
    return axial, attention.reshape(*rest, attention.shape[1], t, t)


@torch.no_grad()
def forward_with_maps(ref: AxialAttention, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    x = inputs["input"]
    height_pass, width_pass = ref.axial_attentions
    if list(height_pass.permutation) != [0, 3, 2, 1] or list(width_pass.permutation) != [0, 2, 3, 1]:
        raise RuntimeError(f"unexpected axial permutations {height_pass.permutation}, {width_pass.permutation}")
    if ref.sum_axial_out:
        out_h, att_h = _pass(height_pass, x)  # att_h (B,W,heads,H,H)
        out_w, att_w = _pass(width_pass, x)   # att_w (B,H,heads,W,W)
        output = out_h + out_w
    else:
        out_h, att_h = _pass(height_pass, x)
        output, att_w = _pass(width_pass, out_h)
    return {"output": output, "attention.height": att_h, "attention.width": att_w}
