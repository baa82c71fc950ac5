#!/usr/bin/env python3
"""Writes Tests/TensorCoreTests/Fixtures/ops.json: small inputs and PyTorch's outputs for the
TensorCore operations (softmax, activations, reductions, linear, convolutions, batch norm,
pooling, permute, broadcasting arithmetic).

Run from the repository root with the project's Python venv (torch):

    python tools/make_tensor_fixtures.py

Each case is {"inputs": {name: {"shape", "data"}}, "output": {"shape", "data"}, and
parameters}; data are Float32 values written exactly (Python floats of float32 values).
"""
import json
from pathlib import Path

import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "Tests/TensorCoreTests/Fixtures/ops.json"


def pack(t):
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1).tolist()]}


def main():
    torch.manual_seed(1234)
    g = lambda *shape: torch.randn(*shape)  # noqa: E731
    cases = {}

    def add(name, output, **inputs):
        cases[name] = {"inputs": {k: pack(v) for k, v in inputs.items()}, "output": pack(output)}

    x = g(4, 37) * 6
    x[1] += 80.0          # large offsets: needs the max subtraction
    x[2, 5] = -1e30       # a masked-out entry (JSON has no infinity; -inf is tested by hand)
    add("softmax", torch.softmax(x, dim=-1), input=x)

    x = torch.cat([torch.linspace(-9, 9, 37), torch.tensor([-3.0, 3.0, 0.0, -100.0, 100.0])])
    add("relu", F.relu(x), input=x)
    add("sigmoid", torch.sigmoid(x), input=x)
    add("hardSigmoid", F.relu6(x + 3) / 6, input=x)
    add("hardSwish", x * F.relu6(x + 3) / 6, input=x)

    x = g(2, 3, 4, 5)
    add("permute_0231", x.permute(0, 2, 3, 1), input=x)
    add("permute_3102", x.permute(3, 1, 0, 2), input=x)

    x = g(2, 3, 4)
    for axis in range(3):
        add(f"sum_{axis}", x.sum(dim=axis), input=x)
        add(f"mean_{axis}", x.mean(dim=axis, keepdim=True), input=x)
        add(f"max_{axis}", x.amax(dim=axis), input=x)

    a, b, c = g(2, 3, 4), g(4), g(3, 1)
    add("broadcast_add", a + b, lhs=a, rhs=b)
    add("broadcast_mul", a * c, lhs=a, rhs=c)
    d = torch.full((1, 4), 0.5)
    add("broadcast_sub", c - d, lhs=c, rhs=d)

    x, w, bias = g(2, 3, 5), g(4, 5), g(4)
    add("linear", F.linear(x, w, bias), input=x, weight=w, bias=bias)

    x, w, bias = g(2, 5, 3, 4), g(6, 5, 1, 1), g(6)
    add("conv1x1", F.conv2d(x, w, bias), input=x, weight=w, bias=bias)

    x, w, bias = g(2, 3, 9, 8), g(5, 3, 4, 4), g(5)
    add("conv_patch", F.conv2d(x, w, bias, stride=4), input=x, weight=w, bias=bias)

    bn = torch.nn.BatchNorm2d(3).eval()
    with torch.no_grad():
        bn.running_mean.copy_(g(3))
        bn.running_var.copy_(torch.rand(3) + 0.5)
        bn.weight.copy_(g(3))
        bn.bias.copy_(g(3))
    x = g(2, 3, 4, 5)
    add("batch_norm", bn(x), input=x, mean=bn.running_mean, variance=bn.running_var,
        weight=bn.weight, bias=bn.bias)

    x = g(2, 3, 7, 9)
    add("average_pool_3", F.avg_pool2d(x, 3), input=x)
    add("mean_over_width", torch.nn.AdaptiveAvgPool2d((None, 1))(x), input=x)
    add("mean_over_height", torch.nn.AdaptiveAvgPool2d((1, None))(x), input=x)

    OUT.write_text(json.dumps(cases, separators=(",", ":")) + "\n")
    print(f"{OUT.name}: {OUT.stat().st_size} bytes, {len(cases)} cases")


if __name__ == "__main__":
    main()
