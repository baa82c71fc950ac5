"""PyTorch references for the five mechanisms of the `vis` package (Contract 1 and 2).

Each submodule exposes the same small interface:

- `MODULE`: the `module` metadata string of its model files;
- `from_file(metadata, tensors)`: the reference built from a model file's content;
- `reference_forward(ref, inputs)`: the reference's own forward pass (its output tensor);
- `forward_with_maps(ref, inputs)`: every Contract-2 output, attention maps included,
  computed by a forward pass that mirrors the reference step by step.

- optionally `extra_checks(ref, inputs, expected)`: further (label, got, reference,
  tolerance) comparisons, e.g. timm's fused attention path.

`tools/check_attention_fixtures.py` checks that `forward_with_maps(...)["output"]` equals
`reference_forward(...)` to 1e-6, so the captured maps belong to the reference's own output.
"""
from . import axial_attention, coordinate_attention, glimpse, patch_embed, self_attention

MODULES = {
    m.MODULE: m
    for m in (patch_embed, self_attention, axial_attention, coordinate_attention, glimpse)
}
