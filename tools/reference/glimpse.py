"""`Retina.foveate` of kevinzakka/recurrent-visual-attention (modules.py), rewritten here.

Mnih et al., "Recurrent Models of Visual Attention", NeurIPS 2014.

Shape: input x (B,C,H,W), locations l (B,2) as (x, y) in [-1,1]
-> glimpses (B,k·C,g,g): patch i (size g·s^i, i = 0..k-1) average-pooled to g×g
(kernel = patch width // g), concatenated on channels in order i = 0..k-1.
The original then flattens to (B,k·C·g·g); Contract 2 keeps the 4-D tensor before `view`.

Quirks kept exactly (reference `foveate`):
- `denormalize(H, l)` = `(0.5 * ((l + 1.0) * H)).long()` in float32, truncating, and it
  uses H for BOTH coordinates (x too), even on non-square images.
- the image is zero-padded by size//2 on every side and the patch is the slice
  [start, start+size) of the PADDED image, i.e. top-left (start - size//2) in unpadded
  pixel coordinates, columns from l[:,0] (x), rows from l[:,1] (y).
- sizes grow as size = int(s * size) (g·s^i for integer s).
`foveate_xw` is the variant that maps x through W and y through H (identical when H == W).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

MODULE = "glimpse"


class Retina:
    def __init__(self, g, k, s):
        self.g = g
        self.k = k
        self.s = s

    def foveate(self, x, l, use_width_for_x: bool = False):
        phi = []
        size = self.g

        # extract k patches of increasing size
        for i in range(self.k):
            phi.append(self.extract_patch(x, l, size, use_width_for_x))
            size = int(self.s * size)

        # resize the patches to squares of size g
        for i in range(1, len(phi)):
            k = phi[i].shape[-1] // self.g
            phi[i] = F.avg_pool2d(phi[i], k)

        # concatenate into a single tensor (the reference then flattens with .view(B, -1))
        phi = torch.cat(phi, 1)
        return phi

    def extract_patch(self, x, l, size, use_width_for_x: bool = False):
        B, C, H, W = x.shape

        if use_width_for_x:
            start = torch.stack([self.denormalize(W, l[:, 0]), self.denormalize(H, l[:, 1])], dim=1)
        else:
            start = self.denormalize(H, l)
        end = start + size

        # pad with zeros
        x = F.pad(x, (size // 2, size // 2, size // 2, size // 2))

        # loop through mini-batch and extract patches
        patch = []
        for i in range(B):
            patch.append(x[i, :, start[i, 1]: end[i, 1], start[i, 0]: end[i, 0]])
        return torch.stack(patch)

    def denormalize(self, T, coords):
        return (0.5 * ((coords + 1.0) * T)).long()


def hyper(ref: Retina) -> dict[str, object]:
    return {"patch_size": ref.g, "num_patches": ref.k, "scale": ref.s}


def from_file(metadata: dict[str, str], tensors: dict[str, torch.Tensor]) -> Retina:
    if tensors:
        raise ValueError(f"a glimpse model file holds no tensors, got {sorted(tensors)}")
    return Retina(int(metadata["patch_size"]), int(metadata["num_patches"]), int(metadata["scale"]))


def patches_in_bounds(ref: Retina, shape, locations: torch.Tensor, use_width_for_x: bool = False) -> bool:
    """True when every patch slice is full-size (the reference stacks and pools them)."""
    _, _, H, W = shape
    size = ref.g
    for _ in range(ref.k):
        if use_width_for_x:
            sx = ref.denormalize(W, locations[:, 0])
            sy = ref.denormalize(H, locations[:, 1])
        else:
            sx = ref.denormalize(H, locations[:, 0])
            sy = ref.denormalize(H, locations[:, 1])
        pad = size // 2
        if bool((sx + size > W + 2 * pad).any()) or bool((sy + size > H + 2 * pad).any()):
            return False
        size = int(ref.s * size)
    return True


@torch.no_grad()
def reference_forward(ref: Retina, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    """The reference's own return value: the glimpses flattened to (B, k·C·g·g)."""
    phi = ref.foveate(inputs["input"], inputs["locations"])
    return phi.view(phi.shape[0], -1)


@torch.no_grad()
def forward_with_maps(ref: Retina, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {"glimpses": ref.foveate(inputs["input"], inputs["locations"])}


@torch.no_grad()
def foveate_xw(ref: Retina, inputs: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    return {"glimpses": ref.foveate(inputs["input"], inputs["locations"], use_width_for_x=True)}
