"""torch.nn.init docs examples: gains, every initializer, model.apply(init_weights), error texts."""

import math

import torch
from torch import nn

print(
    nn.init.calculate_gain("leaky_relu", 0.2),
    nn.init.calculate_gain("tanh"),
    nn.init.calculate_gain("relu"),
    nn.init.calculate_gain("sigmoid"),
    nn.init.calculate_gain("selu"),
    nn.init.calculate_gain("linear"),
)
try:
    nn.init.calculate_gain("foo")
except Exception as e:
    print(type(e).__name__, e)
w = torch.empty(3, 5)
for name, f in [
    ("uniform", lambda: nn.init.uniform_(w)),
    ("normal", lambda: nn.init.normal_(w)),
    ("xavier_u", lambda: nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain("relu"))),
    ("xavier_n", lambda: nn.init.xavier_normal_(w)),
    ("kaiming_u", lambda: nn.init.kaiming_uniform_(w, mode="fan_in", nonlinearity="relu")),
    ("kaiming_n", lambda: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu")),
    ("trunc", lambda: nn.init.trunc_normal_(w)),
    ("orth", lambda: nn.init.orthogonal_(w)),
    ("sparse", lambda: nn.init.sparse_(w, sparsity=0.1)),
]:
    r = f()
    print(name, r is w, r.shape, r.requires_grad, r.dtype)
print(nn.init.constant_(w, 0.3))
print(nn.init.ones_(w).sum(), nn.init.zeros_(w).sum())
print(nn.init.eye_(w))
o = nn.init.orthogonal_(torch.empty(3, 5))
print(torch.allclose(o @ o.t(), torch.eye(3), atol=1e-5))
print(nn.init.trunc_normal_(torch.empty(1000), a=-0.5, b=0.5).abs().max() <= 0.5)
lim = math.sqrt(6 / (5 + 3))
print(nn.init.xavier_uniform_(torch.empty(3, 5)).abs().max() <= lim)
try:
    nn.init.eye_(torch.empty(2, 2, 2))
except Exception as e:
    print(type(e).__name__, e)
try:
    nn.init.xavier_uniform_(torch.empty(4))
except Exception as e:
    print(type(e).__name__, e)
try:
    nn.init.kaiming_uniform_(torch.empty(3, 4), mode="fan_x")
except Exception as e:
    print(type(e).__name__, e)


def init_weights(m):
    if isinstance(m, nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        m.bias.data.fill_(0.01)


net = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2))
r = net.apply(init_weights)
print(r is net, net[0].bias, net[1].bias.requires_grad)
lin = nn.Linear(4, 3)
bound = 1 / math.sqrt(4)
print(lin.weight.abs().max() <= bound, lin.bias.abs().max() <= bound)
p = nn.Parameter(torch.empty(2, 3))
nn.init.normal_(p, mean=0.0, std=0.02)
print(p.grad_fn, p.is_leaf, p.requires_grad)
print(nn.init._calculate_fan_in_and_fan_out(torch.empty(3, 5)))
