"""Parity fixtures for the trained Recurrent Attention Model (`vis forward`, module
`recurrent_attention_model`).

A PyTorch transcription of the equations in `models/README.md` (section `ram-mnist/`),
written from that text and not from the Swift code, run on the real checkpoint
`models/ram-mnist/model.safetensors` and real MNIST test digits (`data/mnist/`).

Writes `Tests/ModelsTests/Fixtures/ram/<case>/{input,expected}.safetensors`:
  input:    `input` (B,1,28,28) normalised, `locations` (B,2) l0, `noise` (B,5,2) eps of steps 1-5
  expected: `log_probs` (B,10), `locations` (B,6,2) l0..l5, `hidden` (B,256) h6

Usage: /work/venv/bin/python tools/make_ram_fixtures.py
"""
import gzip
import os

import numpy as np
import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "ram-mnist", "model.safetensors")
IMAGES = os.path.join(ROOT, "data", "mnist", "t10k-images-idx3-ubyte.gz")
OUT = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures", "ram")


def load_model():
    with safe_open(MODEL, "pt") as f:
        weights = {name: f.get_tensor(name).double() for name in f.keys()}
        meta = f.metadata()
    return weights, meta


def mnist_images(count):
    with gzip.open(IMAGES, "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8)
    images = data[16:].reshape(-1, 28, 28)[:count].astype(np.float32)
    return torch.from_numpy(((images / 255.0 - 0.1307) / 0.3081).astype(np.float32)).unsqueeze(1)


def linear(w, name, x):
    return x @ w[name + ".weight"].T + w[name + ".bias"]


def glimpse(x, l, size=8):
    """phi: the size x size patch whose top-left pixel is c - size/2, c = floor(0.5 (l+1) 28),
    zeros outside the image, flattened row-major."""
    b, _, h, w = x.shape
    c = torch.floor(0.5 * (l.float() + 1) * 28).long()  # Float32, as the reference computes it
    out = torch.zeros(b, size * size, dtype=x.dtype)
    for i in range(b):
        left, top = int(c[i, 0]) - size // 2, int(c[i, 1]) - size // 2
        patch = torch.zeros(size, size, dtype=x.dtype)
        for py in range(size):
            for px in range(size):
                yy, xx = top + py, left + px
                if 0 <= yy < h and 0 <= xx < w:
                    patch[py, px] = x[i, 0, yy, xx]
        out[i] = patch.reshape(-1)
    return out


def run(w, x, l0, noise, steps=6):
    """The model of models/README.md, in float64 except the location-to-pixel step."""
    x = x.double()
    h = torch.zeros(x.shape[0], 256, dtype=torch.float64)
    l = l0.double()
    locations = [l]
    for t in range(steps):
        phi = glimpse(x, l)
        g = F.relu(linear(w, "sensor.fc3", F.relu(linear(w, "sensor.fc1", phi)))
                   + linear(w, "sensor.fc4", F.relu(linear(w, "sensor.fc2", l))))
        h = F.relu(linear(w, "rnn.i2h", g) + linear(w, "rnn.h2h", h))
        if t < steps - 1:
            mu = torch.tanh(linear(w, "locator.fc", h))
            l = torch.tanh(mu + noise[:, t].double())
            locations.append(l)
    log_probs = F.log_softmax(linear(w, "classifier.fc", h), dim=1)
    return log_probs.float(), torch.stack(locations, 1).float(), h.float()


def cases():
    images = mnist_images(16)
    generator = torch.Generator().manual_seed(16)
    # 1. The mean policy from the centre (l0 = 0, eps = 0) on 8 digits.
    yield "centre_mean", images[:8], torch.zeros(8, 2), torch.zeros(8, 5, 2)
    # 2. Starts at the four corners and the four edge midpoints (zero padding), sampled noise (std 0.17).
    starts = torch.tensor([[-1, -1], [1, -1], [-1, 1], [1, 1], [0, -1], [1, 0], [0, 1], [-1, 0]], dtype=torch.float32)
    yield "corners_edges", images[8:16], starts, 0.17 * torch.randn(8, 5, 2, generator=generator)
    # 3. Large given noise that drives every later glimpse to a corner or an edge.
    push = torch.tensor([[4.0, 4.0], [-4.0, -4.0], [4.0, -4.0], [-4.0, 4.0], [0.0, 4.0]])
    noise = push.unsqueeze(0).repeat(4, 1, 1) * torch.tensor([1, -1, 1, -1], dtype=torch.float32).view(4, 1, 1)
    yield "pushed_to_borders", images[:4], torch.rand(4, 2, generator=generator) * 2 - 1, noise
    # 4. Near-border starts just inside [-1, 1] (c = 0 and c = 27).
    near = torch.tensor([[-0.99, 0.99], [0.99, -0.99], [-0.93, -0.93]], dtype=torch.float32)
    yield "near_borders", images[4:7], near, 0.17 * torch.randn(3, 5, 2, generator=generator)


def main():
    weights, meta = load_model()
    assert meta["module"] == "recurrent_attention_model", meta
    for name, x, l0, noise in cases():
        log_probs, locations, hidden = run(weights, x, l0, noise)
        folder = os.path.join(OUT, name)
        os.makedirs(folder, exist_ok=True)
        save_file({"input": x.contiguous(), "locations": l0.contiguous(), "noise": noise.contiguous()},
                  os.path.join(folder, "input.safetensors"))
        save_file({"log_probs": log_probs.contiguous(), "locations": locations.contiguous(),
                   "hidden": hidden.contiguous()}, os.path.join(folder, "expected.safetensors"))
        print(name, "predictions", log_probs.argmax(1).tolist())


if __name__ == "__main__":
    main()
