"""One training step of a RANP Studio net in PyTorch: the same-machine yardstick of `npm run bench -- --scenario step`.

Reads a JSON spec (argv[1]) written by bench/torch-anchor.ts: the net description with every
window already resolved to explicit kernel/stride/padding, the batch, the input size, the loss
and the timing options. Builds the same layers in PyTorch (NCDHW), runs warm-up steps and timed
steps of forward + backward + SGD (Nesterov 0.9, weight decay 1e-4), and prints one JSON line:
median and all step times in ms, the peak RSS of this process and its RSS right after `import torch`.
"""
import json
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F



def peak_rss_mib():
    """This process's peak RSS. Linux's ru_maxrss survives execve, so a child of a large node
    process would report the parent's RSS; VmHWM belongs to the new address space."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


RSS_AFTER_IMPORT_MIB = peak_rss_mib()
IGNORE = 255


def torch_pad(padding):
    """[[d0, d1], [h0, h1], [w0, w1]] → F.pad's (w0, w1, h0, h1, d0, d1)."""
    (d0, d1), (h0, h1), (w0, w1) = padding
    return (w0, w1, h0, h1, d0, d1)


class DescribedNet(nn.Module):
    def __init__(self, net):
        super().__init__()
        self.nodes = net["nodes"]
        self.output = net["output"]
        self.layers = nn.ModuleDict()
        for node in self.nodes:
            kind, a = node["kind"], node["attrs"]
            key = node["name"].replace(".", "_")
            if kind == "conv3d":
                self.layers[key] = nn.Conv3d(
                    a["inChannels"], a["outChannels"], node["window"]["kernel"],
                    stride=a["stride"], groups=a["groups"], bias=a["bias"])
            elif kind == "batchNorm3d":
                self.layers[key] = nn.BatchNorm3d(a["channels"], eps=a["eps"], momentum=a.get("momentum", 0.1))
            elif kind == "linear":
                self.layers[key] = nn.Linear(a["inFeatures"], a["outFeatures"], bias=a.get("bias", True))
            elif kind not in SIMPLE:
                raise SystemExit(f"bench/torch/step.py: layer kind '{kind}' ({node['name']}) is not supported")

    def forward(self, x):
        out = {}
        for node in self.nodes:
            kind, a, name = node["kind"], node["attrs"], node["name"]
            ins = [out[i] for i in node["inputs"]]
            layer = self.layers[name.replace(".", "_")] if name.replace(".", "_") in self.layers else None
            if kind == "input":
                y = x
            elif kind == "conv3d":
                y = layer(F.pad(ins[0], torch_pad(node["window"]["padding"])))
            elif kind in ("batchNorm3d", "linear"):
                y = layer(ins[0])
            else:
                y = SIMPLE[kind](node, ins)
            out[name] = y
            if name == self.output:
                return y
        raise SystemExit(f"bench/torch/step.py: output '{self.output}' was never computed")


def _pool(fn, fill):
    def run(node, ins):
        w = node["window"]
        return fn(F.pad(ins[0], torch_pad(w["padding"]), value=fill), w["kernel"], w["stride"])
    return run


def _upsample(node, ins):
    a = node["attrs"]
    size = ins[1].shape[2:] if a["mode"] == "matchSecondInput" else [n * s for n, s in zip(ins[0].shape[2:], a["scale"])]
    return F.interpolate(ins[0], size=list(size), mode="nearest")


SIMPLE = {
    "input": None,
    "relu": lambda node, ins: F.relu(ins[0]),
    "relu6": lambda node, ins: F.relu6(ins[0]),
    "maxPool3d": _pool(F.max_pool3d, float("-inf")),
    "avgPool3d": _pool(F.avg_pool3d, 0.0),
    "upsampleNearest3d": _upsample,
    "concat": lambda node, ins: torch.cat(ins, 1),
    "add": lambda node, ins: sum(ins[1:], ins[0]),
    "globalAvgPool": lambda node, ins: ins[0].mean(dim=(2, 3, 4)),
    "dropout": lambda node, ins: F.dropout(ins[0], node["attrs"]["rate"], training=True),
    "softmax": lambda node, ins: F.softmax(ins[0], 1),
}


def loss_of(kind, logits, labels):
    ce = F.cross_entropy(logits, labels, ignore_index=IGNORE)
    if kind != "crossEntropyDice":
        return ce
    # Soft Dice over classes 1..C−1 on the non-ignored voxels, weight 0.25 (as engine/train/losses).
    valid = (labels != IGNORE).unsqueeze(1).float()
    p = F.softmax(logits, 1) * valid
    g = F.one_hot(labels.clamp(max=logits.shape[1] - 1) * (labels != IGNORE), logits.shape[1]).movedim(-1, 1).float() * valid
    dims = tuple(d for d in range(p.dim()) if d != 1)
    inter = (p * g).sum(dims)[1:]
    denom = p.sum(dims)[1:] + g.sum(dims)[1:]
    return ce + 0.25 * (1 - (2 * inter + 1) / (denom + 1)).sum()


def main():
    spec = json.load(open(sys.argv[1]))
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    net = spec["net"]
    model = DescribedNet(net)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-4)
    size, batch, classes = spec["size"], spec["batch"], net["classes"]
    x = torch.randn(batch, net["inputChannels"], *size)
    segmentation = spec["segmentation"]
    label_shape = (batch, *size) if segmentation else (batch,)
    labels = torch.randint(0, classes, label_shape)
    if segmentation:
        labels[torch.rand(label_shape) < 0.5] = IGNORE

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_of(spec["loss"], model(x), labels)
        loss.backward()
        opt.step()
        return loss.item()

    for _ in range(spec["warmup"]):
        step()
    times = []
    for _ in range(spec["reps"]):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "medianMs": statistics.median(times),
        "timesMs": times,
        "maxRssMiB": peak_rss_mib(),
        "rssAfterImportMiB": RSS_AFTER_IMPORT_MIB,
    }))


if __name__ == "__main__":
    main()
