#!/usr/bin/python3
"""The PyTorch baseline for ContrastScope's training benchmark.

Same data (Fashion-MNIST IDX, per-channel mean/std normalisation), model (mlp or cnn-small with
the Linear-BN-ReLU-Linear head, 128-D), class-stratified 10x25 batches, loss (SuNCEt or SupCon
as LOSSES.md defines them, written the usual PyTorch way), SGD (lr 0.1, momentum 0.9, weight
decay 1e-6, cosine to 0), no augmentation. Prints one JSON line like `contrastscope-cli train`.
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class Mlp(nn.Module):
    def __init__(self, inp):
        super().__init__()
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(inp, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(),
                                 nn.Linear(512, 512, bias=False), nn.BatchNorm1d(512), nn.ReLU(), nn.Linear(512, 256))
        self.out = 256

    def forward(self, x):
        return self.net(x)


class CnnSmall(nn.Module):
    def __init__(self, channels):
        super().__init__()

        def block(i, o, pool):
            layers = [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True)]
            return layers + ([nn.MaxPool2d(2)] if pool else [])

        self.net = nn.Sequential(*block(channels, 32, True), *block(32, 64, True), *block(64, 128, False),
                                 nn.AdaptiveAvgPool2d(1), nn.Flatten())
        self.out = 128

    def forward(self, x):
        return self.net(x)


class Net(nn.Module):
    def __init__(self, backbone, embed=128):
        super().__init__()
        self.backbone = backbone
        d = backbone.out
        self.head = nn.Sequential(nn.Linear(d, d, bias=False), nn.BatchNorm1d(d), nn.ReLU(inplace=True), nn.Linear(d, embed))

    def forward(self, x):
        return self.head(self.backbone(x))


def suncet(z, y, tau=0.1):
    z = F.normalize(z, dim=1)
    n = z.shape[0]
    logits = z @ z.t() / tau
    logits = logits.masked_fill(torch.eye(n, dtype=torch.bool), float("-inf"))
    p = logits.softmax(dim=1)
    onehot = F.one_hot(y).float()
    probs = p @ onehot
    pos = probs.gather(1, y[:, None]).squeeze(1)
    return -pos.log().mean()


def supcon(z, y, tau=0.07, base=0.07):
    z = F.normalize(z, dim=1)
    n = z.shape[0]
    logits = z @ z.t() / tau
    self_mask = torch.eye(n, dtype=torch.bool)
    logits = logits.masked_fill(self_mask, float("-inf"))
    log_prob = logits.log_softmax(dim=1).masked_fill(self_mask, 0.0)
    pos = (y[:, None] == y[None, :]) & ~self_mask
    mean_log_pos = (log_prob * pos).sum(1) / pos.sum(1).clamp_min(1)
    return -(tau / base) * mean_log_pos.mean()


def snn_top1(q, yq, r, yr, classes, chunk=512):
    right = 0
    onehot = F.one_hot(yr, classes).float()
    for s in range(0, q.shape[0], chunk):
        scores = (q[s:s + chunk] @ r.t() / 0.1).softmax(1) @ onehot
        right += (scores.argmax(1) == yq[s:s + chunk]).sum().item()
    return right / q.shape[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--encoder", default="mlp", choices=["mlp", "cnn-small"])
    ap.add_argument("--loss", default="suncet", choices=["suncet", "supcon"])
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)

    xtr = read_idx(os.path.join(a.data, "train-images-idx3-ubyte.gz"))
    ytr = read_idx(os.path.join(a.data, "train-labels-idx1-ubyte.gz")).astype(np.int64)
    xte = read_idx(os.path.join(a.data, "t10k-images-idx3-ubyte.gz"))
    yte = read_idx(os.path.join(a.data, "t10k-labels-idx1-ubyte.gz")).astype(np.int64)
    xtr_t = torch.from_numpy(xtr.copy()).unsqueeze(1)
    xte_t = torch.from_numpy(xte.copy()).unsqueeze(1)
    mean = xtr_t.float().div(255).mean().item()
    std = xtr_t.float().div(255).std().item()

    def to_input(raw):
        return (raw.float() / 255 - mean) / std

    backbone = Mlp(28 * 28) if a.encoder == "mlp" else CnnSmall(1)
    model = Net(backbone)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-6)
    tau = 0.1 if a.loss == "suncet" else 0.07
    loss_fn = suncet if a.loss == "suncet" else supcon
    by_class = [np.flatnonzero(ytr == c) for c in range(10)]
    cursors = [len(m) for m in by_class]
    classes = list(range(10))

    train_seconds = 0.0
    last = 0.0
    for step in range(a.steps):
        t0 = time.perf_counter()
        lr = 0.5 * 0.1 * (1 + math.cos(math.pi * step / a.steps))
        for g in opt.param_groups:
            g["lr"] = lr
        rng.shuffle(classes)
        idx = np.empty(250, dtype=np.int64)
        for k, c in enumerate(classes[:10]):
            if cursors[c] + 25 > len(by_class[c]):
                rng.shuffle(by_class[c])
                cursors[c] = 0
            idx[k::10] = by_class[c][cursors[c]:cursors[c] + 25]
            cursors[c] += 25
        index = torch.from_numpy(idx)
        x = to_input(xtr_t.index_select(0, index))
        y = torch.from_numpy(ytr).index_select(0, index)
        opt.zero_grad()
        loss = loss_fn(model(x), y, tau)
        loss.backward()
        opt.step()
        last = loss.item()
        train_seconds += time.perf_counter() - t0

    t0 = time.perf_counter()
    model.eval()
    with torch.no_grad():
        def embed(x):
            return F.normalize(torch.cat([model(to_input(x[s:s + 1024])) for s in range(0, x.shape[0], 1024)]), dim=1)
        acc = snn_top1(embed(xte_t), torch.from_numpy(yte), embed(xtr_t), torch.from_numpy(ytr), 10)
    print(json.dumps({"steps": a.steps, "seconds": train_seconds, "steps_per_second": a.steps / train_seconds,
                      "final_loss": last, "snn_top1": acc, "eval_seconds": time.perf_counter() - t0,
                      "threads": a.threads}))


if __name__ == "__main__":
    main()
