# ruff: noqa: E741 - tutorial style kept as written
"""torch.optim docs: per-parameter options, closures, weight-decay groups, freezing and add_param_group, errors."""

import numpy as np
import torch
from torch import nn, optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.base = nn.Sequential(nn.Linear(3, 4), nn.Tanh())
        self.classifier = nn.Linear(4, 2)

    def forward(self, x):
        return self.classifier(self.base(x))


def make():
    m = Net()
    with torch.no_grad():
        for i, p in enumerate(m.parameters()):
            p.copy_(
                torch.from_numpy(
                    np.cos(np.arange(p.numel()) + i).reshape(tuple(p.shape)).astype(np.float32)
                )
            )
    return m


X = torch.from_numpy(np.linspace(-1, 1, 24).reshape(8, 3).astype(np.float32))
Y = torch.tensor([0, 1, 1, 0, 1, 0, 0, 1])
model = make()
opt = optim.SGD(
    [{"params": model.base.parameters(), "lr": 1e-2}, {"params": model.classifier.parameters()}],
    lr=1e-3,
    momentum=0.9,
)
print(opt)
print([g["lr"] for g in opt.param_groups], len(opt.param_groups[0]["params"]))
loss_fn = nn.CrossEntropyLoss()
for _ in range(3):
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
print(loss.item())
sd = opt.state_dict()
print(sd["param_groups"])
print(sorted(sd["state"].keys()), list(sd["state"][0].keys()))

model = make()
opt = optim.Adam(model.parameters(), lr=0.01)


def closure():
    opt.zero_grad()
    loss = loss_fn(model(X), Y)
    loss.backward()
    return loss


for _ in range(5):
    l = opt.step(closure)
print(round(l.item(), 5), type(l).__name__)
print(opt.state_dict()["state"][0]["step"], sorted(opt.state_dict()["state"][0].keys()))

model = make()
decay = [p for n, p in model.named_parameters() if n.endswith("weight")]
no_decay = [p for n, p in model.named_parameters() if n.endswith("bias")]
opt = optim.AdamW([{"params": decay}, {"params": no_decay, "weight_decay": 0.0}], lr=0.05)
for _ in range(4):
    opt.zero_grad()
    loss_fn(model(X), Y).backward()
    opt.step()
print(model.classifier.weight)

# freeze + add_param_group
model = make()
for p in model.base.parameters():
    p.requires_grad = False
opt = optim.SGD(model.classifier.parameters(), lr=0.1)
for _ in range(2):
    opt.zero_grad()
    loss_fn(model(X), Y).backward()
    opt.step()
print(model.base[0].weight.grad, model.classifier.bias)
for p in model.base.parameters():
    p.requires_grad = True
opt.add_param_group({"params": model.base.parameters(), "lr": 0.01})
print(len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["momentum"])
try:
    opt.add_param_group({"params": model.classifier.parameters()})
except Exception as e:
    print(type(e).__name__, e)
try:
    optim.SGD(model.parameters(), lr=-1)
except Exception as e:
    print(type(e).__name__, e)
try:
    optim.SGD([], lr=0.1)
except Exception as e:
    print(type(e).__name__, e)
try:
    optim.SGD(model.parameters(), lr=0.1, nesterov=True)
except Exception as e:
    print(type(e).__name__, e)
try:
    optim.SGD(torch.ones(2), lr=0.1)
except Exception as e:
    print(type(e).__name__, e)
# set_to_none
opt = optim.SGD(model.parameters(), lr=0.1)
loss_fn(model(X), Y).backward()
opt.zero_grad(set_to_none=False)
print(model.classifier.bias.grad)
opt.zero_grad()
print(model.classifier.bias.grad)
model.zero_grad()
