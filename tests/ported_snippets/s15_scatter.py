"""Tensor.scatter_ / scatter_add_ as used by the one-hot Lambda transform."""

import torch

x = torch.zeros(2, 4)
idx = torch.tensor([[0, 1], [3, 2]])
r = x.scatter_(1, idx, torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(r is x, x)
print(x.scatter_(1, idx, 9.0))
print(torch.zeros(3, dtype=torch.long).scatter_(0, torch.tensor([2, 0]), torch.tensor([5, 6])))
print(torch.zeros(5).scatter_add_(0, torch.tensor([1, 1, 4]), torch.ones(3)))
w = torch.ones(2, 4, requires_grad=True)
try:
    w.scatter_(1, idx, 0.0)
except RuntimeError as e:
    print(e)
h = w * 2
h.scatter_(1, idx, 0.0)
print(h.grad_fn.name())
h.sum().backward()
print(w.grad)
s = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
h = (w * 1).scatter_(1, idx, s)
print(h.grad_fn.name())
h.sum().backward()
print(s.grad)
h = (w * 1).scatter_add_(1, idx, s)
print(h.grad_fn.name())
try:
    torch.zeros(3).scatter_(0, torch.tensor([1.0]), 1.0)
except RuntimeError as e:
    print(e)
try:
    torch.zeros(3).scatter_(0, torch.tensor([5]), 1.0)
except RuntimeError as e:
    print(e)
