"""out= arguments as the Tensors tutorial uses them: results, casts, resizing and the autograd error."""

import warnings

import torch

warnings.simplefilter("always")
a = torch.ones(2, requires_grad=True)
o = torch.empty(2)
for f in [
    lambda: torch.mul(a, a, out=o),
    lambda: torch.matmul(a, a, out=o),
    lambda: torch.mul(torch.ones(2), 2.5, out=torch.empty(2, dtype=torch.long)),
    lambda: torch.add(torch.ones(2), torch.ones(2), out=torch.ones(2, requires_grad=True)),
]:
    try:
        r = f()
        print(r)
    except Exception as e:
        print(type(e).__name__, e)
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    r = torch.mul(torch.ones(2), 2, out=torch.ones(3))
    print(r, len(w), str(w[0].message)[:80])
o = torch.empty(0)
r = torch.mul(torch.ones(2), 3, out=o)
print(r is o, o)
o = torch.zeros(2, dtype=torch.float64)
r = torch.add(torch.ones(2), 3, out=o)
print(o)
o = torch.zeros(2, dtype=torch.float64)
r = torch.sub(torch.ones(2), 3, alpha=2, out=o)
print(o)
o = torch.zeros(2, 2)
r = torch.div(torch.ones(2, 2), 4, out=o)
print(o)
with torch.no_grad():
    print(torch.mul(a, a, out=torch.empty(2)))
o = torch.zeros(3, 2)
print(torch.matmul(torch.ones(3, 4), torch.ones(4, 2), out=o) is o, o)
