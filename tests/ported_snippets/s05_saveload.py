"""Learn the Basics: Save & Load, plus the general checkpoint recipe and load_state_dict errors."""

import os
import shutil
import tempfile

import torch
from torch import nn

d = tempfile.mkdtemp()
model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) * 0.1 - i)
path = os.path.join(d, "model_weights.pth")
torch.save(model.state_dict(), path)
model2 = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
r = model2.load_state_dict(torch.load(path, weights_only=True))
print(r)
model2.eval()
print(model2(torch.ones(1, 4)))
print(model2.training, [m.training for m in model2])
# checkpoint dict
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
model(torch.ones(2, 4)).sum().backward()
opt.step()
torch.save(
    {
        "epoch": 5,
        "model_state_dict": model.state_dict(),
        "optimizer_state_dict": opt.state_dict(),
        "loss": 0.25,
    },
    os.path.join(d, "ckpt.tar"),
)
ck = torch.load(os.path.join(d, "ckpt.tar"), weights_only=True)
model2.load_state_dict(ck["model_state_dict"])
opt2 = torch.optim.SGD(model2.parameters(), lr=0.5)
opt2.load_state_dict(ck["optimizer_state_dict"])
print(ck["epoch"], ck["loss"], opt2.param_groups[0]["lr"], opt2.param_groups[0]["momentum"])
print(opt2.state_dict()["state"][0]["momentum_buffer"])
print(sorted(ck.keys()))
# strict mismatch
sd = model.state_dict()
sd.pop("2.bias")
sd["extra"] = torch.zeros(1)
try:
    model2.load_state_dict(sd)
except Exception as e:
    print(type(e).__name__, e)
print(model2.load_state_dict(sd, strict=False))
sd = model.state_dict()
sd["0.weight"] = torch.zeros(5, 4)
try:
    model2.load_state_dict(sd)
except Exception as e:
    print(type(e).__name__, e)
shutil.rmtree(d)
