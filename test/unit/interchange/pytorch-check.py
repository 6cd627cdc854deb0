"""Loads a RANP Studio PyTorch export, runs it on a given NCDHW batch, then one training step.

argv: export folder, input file (float32 little-endian), input shape (comma-separated), output file.
Writes the eval-mode output (float32 little-endian) and prints one JSON line.
"""
import array
import importlib.util
import json
import math
import sys

import torch
import torch.nn.functional as F

folder, input_file, shape, output_file = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("exported", f"{folder}/model.py")
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
net = module.load(f"{folder}/weights.pt")  # load_state_dict is strict: every key and shape must match
net.eval()
with open(input_file, "rb") as f:
    x = torch.frombuffer(bytearray(f.read()), dtype=torch.float32).reshape([int(n) for n in shape.split(",")])
with torch.no_grad():
    y = net(x)
with open(output_file, "wb") as f:
    f.write(array.array("f", y.flatten().tolist()).tobytes())

net.train()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
logits = net(x)
labels = torch.randint(0, module.CLASSES, (logits.shape[0], *logits.shape[2:]), generator=torch.Generator().manual_seed(0))
loss = F.cross_entropy(logits, labels)
before = [p.detach().clone() for p in net.parameters()]
optimizer.zero_grad()
loss.backward()
optimizer.step()
changed = sum(int(not torch.equal(b, p.detach())) for b, p in zip(before, net.parameters()))
print(json.dumps({"shape": list(y.shape), "loss": loss.item(), "finite": math.isfinite(loss.item()),
                  "changed": changed, "parameters": len(before), "torch": torch.__version__}))
