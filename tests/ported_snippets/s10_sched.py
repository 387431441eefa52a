# ruff: noqa: B007 - tutorial style kept as written
"""torch.optim.lr_scheduler usage: chaining, StepLR, LambdaLR, ReduceLROnPlateau, OneCycleLR, SequentialLR."""

import warnings

import torch
from torch import nn, optim
from torch.optim import lr_scheduler
from torch.optim.lr_scheduler import (
    ChainedScheduler,
    CosineAnnealingLR,
    ExponentialLR,
    LambdaLR,
    LinearLR,
    MultiStepLR,
    OneCycleLR,
    ReduceLROnPlateau,
    SequentialLR,
    StepLR,
)


def opt_for(lr=0.1, **kw):
    p = nn.Parameter(torch.ones(2))
    return optim.SGD([p], lr=lr, momentum=0.9, **kw), p


def run(opt, p, sched, n, metric=None):
    out = []
    for epoch in range(n):
        opt.zero_grad()
        (p * p).sum().backward()
        opt.step()
        if metric is None:
            sched.step()
        else:
            sched.step(metric(epoch))
        out.append(round(opt.param_groups[0]["lr"], 8))
    return out


o, p = opt_for()
s = ExponentialLR(o, gamma=0.9)
print("exp", run(o, p, s, 5), s.get_last_lr())
o, p = opt_for()
s1 = ExponentialLR(o, gamma=0.9)
s2 = MultiStepLR(o, milestones=[3, 6], gamma=0.1)
for epoch in range(8):
    o.zero_grad()
    (p * p).sum().backward()
    o.step()
    s1.step()
    s2.step()
print("chain2", o.param_groups[0]["lr"], s1.get_last_lr(), s2.get_last_lr())
o, p = opt_for()
s = StepLR(o, step_size=2, gamma=0.5)
print("step", run(o, p, s, 6))
o, p = opt_for()
s = LambdaLR(o, lr_lambda=lambda epoch: 0.95**epoch)
print("lambda", run(o, p, s, 4))
o, p = opt_for()
s = ReduceLROnPlateau(o, "min", patience=1)
print("plateau", run(o, p, s, 8, metric=lambda e: 1.0))
o, p = opt_for()
s = OneCycleLR(o, max_lr=0.5, total_steps=10)
print("onecycle", run(o, p, s, 9), o.param_groups[0]["momentum"])
o, p = opt_for()
s = SequentialLR(
    o,
    schedulers=[LinearLR(o, start_factor=0.1, total_iters=3), CosineAnnealingLR(o, T_max=5)],
    milestones=[3],
)
print("seq", run(o, p, s, 8))
o, p = opt_for()
s = ChainedScheduler(
    [LinearLR(o, start_factor=0.5, total_iters=2), ExponentialLR(o, gamma=0.9)], optimizer=o
)
print("chained", run(o, p, s, 4))
o, p = opt_for()
s = CosineAnnealingLR(o, T_max=4, eta_min=0.01)
print("cos", run(o, p, s, 8))
print(s.state_dict().keys() if hasattr(s.state_dict(), "keys") else None)
print(sorted(s.state_dict()))
o, p = opt_for()
s = StepLR(o, step_size=1, gamma=0.5)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    s.step()
    print(len(w), str(w[0].message)[:100] if w else None)
print(o.param_groups[0]["lr"], o.param_groups[0]["initial_lr"])
o, p = opt_for()
s = StepLR(o, step_size=2, gamma=0.5)
run(o, p, s, 3)
sd = s.state_dict()
o2, p2 = opt_for()
s2 = StepLR(o2, step_size=2, gamma=0.5)
s2.load_state_dict(sd)
print(s2.last_epoch, s2.get_last_lr())
try:
    o, p = opt_for()
    lr_scheduler.MultiStepLR(o, milestones=[3, 1])
    print("no error")
except Exception as e:
    print(type(e).__name__, e)
