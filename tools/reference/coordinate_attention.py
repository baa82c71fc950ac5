"""`CoordAtt(inp, oup, reduction=32)` of the official CoordAttention repository
(houqb/CoordAttention, coordatt.py), rewritten here line for line; run in eval mode.

Hou, Zhou, Feng, "Coordinate Attention for Efficient Mobile Network Design", CVPR 2021.

Shape: input (B,C,H,W) -> output (B,C,H,W), a_h (B,C,H,1), a_w (B,C,1,W); oup must equal
inp for `identity * a_w * a_h`. mip = max(8, inp // reduction).
h_sigmoid(x) = relu6(x + 3) / 6, h_swish(x) = x · h_sigmoid(x); BatchNorm2d eps 1e-5 with
running statistics (eval).
"""
from __future__ import annotations

import torch
from torch import nn

MODULE = "coordinate_attention"


class h_sigmoid(nn.Module):
    def __init__(self, inplace=True):
        super().__init__()
        self.relu = nn.ReLU6(inplace=inplace)

    def forward(self, x):
        return self.relu(x + 3) / 6


class h_swish(nn.Module):
    def __init__(self, inplace=True):
        super().__init__()
        self.sigmoid = h_sigmoid(inplace=inplace)

    def forward(self, x):
        return x * self.sigmoid(x)


class CoordAtt(nn.Module):
    def __init__(self, inp, oup, reduction=32):
        super().__init__()
        self.reduction = reduction  # kept for the model file's metadata only
        self.pool_h = nn.AdaptiveAvgPool2d((None, 1))
        self.pool_w = nn.AdaptiveAvgPool2d((1, None))

        mip = max(8, inp // reduction)

        self.conv1 = nn.Conv2d(inp, mip, kernel_size=1, stride=1, padding=0)
        self.bn1 = nn.BatchNorm2d(mip)
        self.act = h_swish()

        self.conv_h = nn.Conv2d(mip, oup, kernel_size=1, stride=1, padding=0)
        self.conv_w = nn.Conv2d(mip, oup, kernel_size=1, stride=1, padding=0)

    def forward(self, x):
        return self._forward(x)[0]

    def _forward(self, x):
        identity = x

        n, c, h, w = x.size()
        x_h = self.pool_h(x)
        x_w = self.pool_w(x).permute(0, 1, 3, 2)

        y = torch.cat([x_h, x_w], dim=2)
        y = self.conv1(y)
        y = self.bn1(y)
        y = self.act(y)

        x_h, x_w = torch.split(y, [h, w], dim=2)
        x_w = x_w.permute(0, 1, 3, 2)

        a_h = self.conv_h(x_h).sigmoid()
        a_w = self.conv_w(x_w).sigmoid()

        out = identity * a_w * a_h

        return out, a_h, a_w


def build(inp: int, oup: int, reduction: int) -> CoordAtt:
    return CoordAtt(inp, oup, reduction).eval()


def hyper(ref: CoordAtt) -> dict[str, object]:
    return {"reduction": ref.reduction}


def from_file(metadata: dict[str, str], tensors: dict[str, torch.Tensor]) -> CoordAtt:
    reduction = int(metadata["reduction"])
    inp = tensors["conv1.weight"].shape[1]
    oup = tensors["conv_h.weight"].shape[0]
    ref = build(inp, oup, reduction)
    ref.load_state_dict({n: (t.float() if t.is_floating_point() else t) for n, t in tensors.items()},
                        strict=True)
    return ref


@torch.no_grad()
def reference_forward(ref: CoordAtt, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    return ref(inputs["input"])


@torch.no_grad()
def forward_with_maps(ref: CoordAtt, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    out, a_h, a_w = ref._forward(inputs["input"])
    return {"output": out, "a_h": a_h, "a_w": a_w}
