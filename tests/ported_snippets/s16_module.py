# ruff: noqa: E741, B018, E402 - tutorial style kept as written
"""nn.Module idioms: containers, buffers, dtype casts, and the common error messages."""

import torch
import torch.nn.functional as F
from torch import nn


class MyModule(nn.Module):
    def __init__(self):
        super().__init__()
        self.linears = nn.ModuleList([nn.Linear(3, 3) for i in range(2)])
        self.choices = nn.ModuleDict({"conv": nn.Linear(3, 3), "pool": nn.Identity()})
        self.params = nn.ParameterList([nn.Parameter(torch.ones(3)) for i in range(2)])
        self.pd = nn.ParameterDict({"left": nn.Parameter(torch.zeros(3))})
        self.register_buffer("running", torch.zeros(3))
        self.register_buffer("tmp", torch.ones(1), persistent=False)

    def forward(self, x, choice="pool"):
        for i, l in enumerate(self.linears):
            x = self.linears[i // 2](x) + l(x)
        x = self.choices[choice](x)
        return x * self.params[0] + self.pd["left"]


m = MyModule()
print(m)
print(list(m.state_dict().keys()))
print([n for n, _ in m.named_buffers()], [n for n, _ in m.named_modules()])
print(len(list(m.parameters())), len(list(m.modules())), len(list(m.children())))
print(m(torch.ones(2, 3)).shape)
try:
    m.nope
except AttributeError as e:
    print(e)
try:
    m.register_buffer("running", torch.zeros(2))
except KeyError as e:
    print("KeyError", e)
try:
    m.register_parameter("x.y", nn.Parameter(torch.zeros(1)))
except KeyError as e:
    print("KeyError", e)
try:
    m.weight = torch.zeros(1)
    m.weight = nn.Parameter(torch.zeros(1))
    print("ok")
except Exception as e:
    print(type(e).__name__, e)


class Bad(nn.Module):
    def __init__(self):
        self.l = nn.Linear(1, 1)


try:
    Bad()
except AttributeError as e:
    print(e)
d = m.double()
print(d is m, m.linears[0].weight.dtype, m.running.dtype)
m.float()
print(m.to(torch.float64).params[0].dtype)
m.float()
x = torch.ones(2, 3, requires_grad=True)
try:
    x.numpy()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2).item()
except RuntimeError as e:
    print(e)
try:
    torch.ones(2, 3).t().view(6)
except RuntimeError as e:
    print(e)
print(
    torch.ones(2, 3).t().reshape(6).shape,
    torch.ones(2, 3).t().contiguous().view(-1).shape,
    torch.ones(2, 3).t().is_contiguous(),
)
try:
    torch.ones(2, 3) @ torch.ones(2, 3)
except RuntimeError as e:
    print(e)
try:
    F.cross_entropy(torch.ones(2, 3), torch.tensor([0.0, 1.0]))
    print("soft targets ok")
except RuntimeError as e:
    print(e)
try:
    F.cross_entropy(torch.ones(2, 3), torch.tensor([0, 3]))
except IndexError as e:
    print("IndexError", e)
try:
    nn.Linear(3, 2)(torch.ones(2, 4))
except RuntimeError as e:
    print(e)
try:
    F.mse_loss(torch.ones(2, 3), torch.ones(3))
except Exception as e:
    print(type(e).__name__, e)
import warnings

with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    F.mse_loss(torch.ones(2, 3), torch.ones(3))
    print([str(x.message)[:60] for x in w])
print(F.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0))
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    print(F.softmax(torch.tensor([[1.0, 2.0]])), [str(x.message)[:50] for x in w])
print(torch.ones(2, 3).T.shape, torch.ones(2).T.shape)
print(m.training, m.eval() is m, m.training)
print(nn.Sequential(nn.Linear(2, 2)).state_dict()["0.weight"].requires_grad)
print(type(nn.Linear(2, 2).weight).__name__, isinstance(nn.Linear(2, 2).weight, torch.Tensor))
print(sum(1 for _ in m.named_parameters(prefix="m")), next(m.named_parameters(prefix="m"))[0])
print(m.get_submodule("linears.0"), m.get_parameter("params.1").shape)
