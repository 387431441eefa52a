# ruff: noqa: E402 - tutorial style kept as written
"""Learn the Basics: Autograd, the 60-minute blitz autograd page and Autograd mechanics idioms."""

import numpy as np
import torch

x = torch.ones(5)
y = torch.zeros(3)
w = torch.tensor(np.linspace(-1, 1, 15).reshape(5, 3).astype(np.float32), requires_grad=True)
b = torch.tensor([0.1, -0.2, 0.3], requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(loss.grad_fn.next_functions[0])
print(z.grad_fn.next_functions[0][0].next_functions[0])
loss.backward()
print(w.grad, b.grad)
try:
    loss.backward()
except RuntimeError as e:
    print("E1", e)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
print(out.grad_fn)
try:
    out.backward()
except RuntimeError as e:
    print("E2", e)
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
# blitz
a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
# mechanics: in-place correctness
a = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
s = a.sigmoid()
s.mul_(2)
try:
    s.sum().backward()
except RuntimeError as e:
    print("E3", e)
e = a.exp()
print(e.grad_fn.name())
# non-leaf grad
a = torch.tensor([1.0, 2.0], requires_grad=True)
c = a * 3
import warnings

with warnings.catch_warnings(record=True) as ws:
    warnings.simplefilter("always")
    c.sum().backward()
    print(c.grad, len(ws), str(ws[0].message)[:90] if ws else None)
c = a * 3
c.retain_grad()
(c * c).sum().backward()
print(c.grad, a.grad, c.is_leaf, c.retains_grad)
# requires_grad on non-leaf
try:
    c.requires_grad = False
except RuntimeError as e:
    print("E4", e)
try:
    torch.tensor([1, 2], requires_grad=True)
except RuntimeError as e:
    print("E5", e)
with torch.set_grad_enabled(False):
    print((a * 2).requires_grad)
torch.set_grad_enabled(True)
with torch.inference_mode():
    t = a * 2
print(t.requires_grad)
print(torch.is_grad_enabled())


@torch.no_grad()
def f(x):
    return x * 2


print(f(a).requires_grad)
g = torch.autograd.grad((a**2).sum(), a)
print(g)
x = torch.tensor(3.0, requires_grad=True)
y = x**2
y.backward()
print(x.grad, x.grad.dtype)
d = a.detach()
d[0] = 10.0
print(a)
print(a.data, a.data.requires_grad)
