"""Until the trainer exists: the autograd tutorial, run on minitorch_ft."""

import minitorch_ft as torch

torch.manual_seed(0)
x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print("Gradient function for z =", z.grad_fn)
print("Gradient function for loss =", loss.grad_fn)
loss.backward()
print(w.grad)
print(b.grad)
