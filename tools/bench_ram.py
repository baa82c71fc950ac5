#!/usr/bin/env python3
"""Time per digit of the trained Recurrent Attention Model: `vis forward` against a batched
float32 PyTorch transcription of `models/README.md` (section `ram-mnist/`), in the same run.

    swift build -c release --product vis
    /work/venv/bin/python tools/bench_ram.py [--vis .build/release/vis] [--threads 2] [--repeats 20]

For each batch size B (1, 100, 1000 MNIST test digits, mean policy from the centre) both
sides run the whole model (6 glimpses, core, locator, classifier) on the same normalised
input; the Swift time is `vis forward --repeat N --json`'s median of the pass alone, the
PyTorch time the median of N passes under torch.no_grad() after 3 warm-up passes.
The transcription is also run on all 10,000 test digits as a check (96.28 % expected).
Prints one JSON line per batch size, after a header with the CPU and the load average.
"""
from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F
from safetensors import safe_open
from safetensors.torch import save_file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODEL = os.path.join(ROOT, "models", "ram-mnist", "model.safetensors")
MNIST = os.path.join(ROOT, "data", "mnist")


def load_mnist():
    with gzip.open(os.path.join(MNIST, "t10k-images-idx3-ubyte.gz"), "rb") as f:
        images = np.frombuffer(f.read(), np.uint8)[16:].reshape(-1, 1, 28, 28)
    with gzip.open(os.path.join(MNIST, "t10k-labels-idx1-ubyte.gz"), "rb") as f:
        labels = np.frombuffer(f.read(), np.uint8)[8:]
    x = torch.from_numpy(images.astype(np.float32) / 255)
    return (x - 0.1307) / 0.3081, torch.from_numpy(labels.astype(np.int64))


class Transcription:
    """models/README.md in float32, batched: the glimpse by padding 8 pixels of zeros and
    gathering the 8x8 window whose top-left is c - 4, c = floor(0.5 (l + 1) 28)."""

    def __init__(self, path):
        with safe_open(path, "pt") as f:
            self.w = {name: f.get_tensor(name) for name in f.keys()}
        self.offsets = torch.arange(8)

    def fc(self, name, x):
        return F.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def glimpse(self, padded, l):
        c = torch.floor(0.5 * (l + 1) * 28).long()
        top_left = c - 4 + 8  # into the padded image
        rows = (top_left[:, 1:2] + self.offsets).unsqueeze(2)  # [B, 8, 1]
        cols = (top_left[:, 0:1] + self.offsets).unsqueeze(1)  # [B, 1, 8]
        batch = torch.arange(padded.shape[0]).view(-1, 1, 1)
        return padded[batch, rows, cols].reshape(-1, 64)

    def __call__(self, x, l, noise, steps=6):
        padded = F.pad(x[:, 0], (8, 8, 8, 8))
        h = torch.zeros(x.shape[0], 256)
        for t in range(steps):
            phi = self.glimpse(padded, l)
            g = F.relu(self.fc("sensor.fc3", F.relu(self.fc("sensor.fc1", phi)))
                       + self.fc("sensor.fc4", F.relu(self.fc("sensor.fc2", l))))
            h = F.relu(self.fc("rnn.i2h", g) + self.fc("rnn.h2h", h))
            if t < steps - 1:
                l = torch.tanh(torch.tanh(self.fc("locator.fc", h)) + noise[:, t])
        return F.log_softmax(self.fc("classifier.fc", h), dim=1)


def cpu_name():
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name"):
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vis", default=os.path.join(ROOT, ".build", "release", "vis"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    x, labels = load_mnist()
    model = Transcription(MODEL)
    with torch.no_grad():
        n = x.shape[0]
        correct = (model(x, torch.zeros(n, 2), torch.zeros(n, 5, 2)).argmax(1) == labels).sum().item()
    print(json.dumps({"cpu": cpu_name(), "torch": torch.__version__, "threads": args.threads,
                      "load_average": os.getloadavg()[0], "transcription_mean_policy_correct": correct}))
    scratch = tempfile.mkdtemp(prefix="bench-ram-")
    for batch in (1, 100, 1000):
        xb, l0, noise = x[:batch].contiguous(), torch.zeros(batch, 2), torch.zeros(batch, 5, 2)
        times = []
        with torch.no_grad():
            for _ in range(3):
                model(xb, l0, noise)
            for _ in range(args.repeats):
                start = time.perf_counter()
                model(xb, l0, noise)
                times.append((time.perf_counter() - start) * 1e3)
        torch_ms = statistics.median(times)
        inputs, output = os.path.join(scratch, f"in{batch}.safetensors"), os.path.join(scratch, f"out{batch}.safetensors")
        save_file({"input": xb, "locations": l0, "noise": noise}, inputs)
        env = dict(os.environ, OPENBLAS_NUM_THREADS=str(args.threads))
        result = subprocess.run([args.vis, "forward", MODEL, inputs, "-o", output, "--overwrite", "--warmup", "3",
                                 "--repeat", str(args.repeats), "--json"], capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise SystemExit(result.stderr)
        swift_ms = json.loads(result.stdout.strip().splitlines()[-1])["median_ms"]
        print(json.dumps({"batch": batch, "torch_ms": round(torch_ms, 4), "vis_ms": round(swift_ms, 4),
                          "torch_us_per_digit": round(1e3 * torch_ms / batch, 2),
                          "vis_us_per_digit": round(1e3 * swift_ms / batch, 2),
                          "speedup": round(torch_ms / swift_ms, 2)}))


if __name__ == "__main__":
    main()
