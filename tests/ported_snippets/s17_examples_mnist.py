# ruff: noqa: UP032, B007 - tutorial style kept as written
"""pytorch/examples MNIST loop with an MLP (no conv): train/test, StepLR, clip_grad_norm_, accumulation, hooks, autograd.grad."""

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import DataLoader, TensorDataset


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 32)
        self.dropout1 = nn.Dropout(0.25)
        self.fc2 = nn.Linear(32, 10)

    def forward(self, x):
        x = torch.flatten(x, 1)
        x = self.fc1(x)
        x = F.relu(x)
        x = self.dropout1(x)
        x = self.fc2(x)
        output = F.log_softmax(x, dim=1)
        return output


rng = np.random.default_rng(7)
data = torch.from_numpy(rng.random((48, 1, 8, 8)).astype(np.float32))
target = torch.from_numpy(rng.integers(0, 10, 48))
train_loader = DataLoader(TensorDataset(data[:32], target[:32]), batch_size=8)
test_loader = DataLoader(TensorDataset(data[32:], target[32:]), batch_size=8)
device = torch.device("cpu")
model = Net().to(device)
model.dropout1.p = 0.0
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.from_numpy((rng.standard_normal(tuple(p.shape)) * 0.2).astype(np.float32)))
optimizer = optim.Adam(model.parameters(), lr=0.01)
scheduler = StepLR(optimizer, step_size=1, gamma=0.7)


def train(model, device, train_loader, optimizer, epoch):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        output = model(data)
        loss = F.nll_loss(output, target)
        loss.backward()
        total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        if batch_idx % 2 == 0:
            print(
                "Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f} norm {:.4f}".format(
                    epoch,
                    batch_idx * len(data),
                    len(train_loader.dataset),
                    100.0 * batch_idx / len(train_loader),
                    loss.item(),
                    total.item(),
                )
            )


def test(model, device, test_loader):
    model.eval()
    test_loss = 0
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            data, target = data.to(device), target.to(device)
            output = model(data)
            test_loss += F.nll_loss(output, target, reduction="sum").item()
            pred = output.argmax(dim=1, keepdim=True)
            correct += pred.eq(target.view_as(pred)).sum().item()
    test_loss /= len(test_loader.dataset)
    print(
        "\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n".format(
            test_loss, correct, len(test_loader.dataset), 100.0 * correct / len(test_loader.dataset)
        )
    )


for epoch in range(1, 3):
    train(model, device, train_loader, optimizer, epoch)
    test(model, device, test_loader)
    scheduler.step()
print(optimizer.param_groups[0]["lr"], model.fc1.weight.device, data.cpu().shape)

# gradient accumulation
model.zero_grad()
for i, (xb, yb) in enumerate(train_loader):
    loss = F.nll_loss(model(xb), yb) / 4
    loss.backward()
print(model.fc2.bias.grad)

# hooks
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
h = x.register_hook(lambda grad: grad * 2)
(x * x).sum().backward()
print(x.grad)
h.remove()
x.grad = None
(x * x).sum().backward()
print(x.grad)
seen = []
handle = model.fc1.register_forward_hook(
    lambda m, inp, out: seen.append((type(m).__name__, tuple(out.shape)))
)
model(data[:2])
handle.remove()
model(data[:2])
print(seen)
grads = []
bh = model.fc2.register_full_backward_hook(
    lambda m, gin, gout: grads.append((len(gin), tuple(gout[0].shape)))
)
model(data[:3]).sum().backward()
bh.remove()
print(grads)
# autograd.grad variants
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0], requires_grad=True)
out = a * b
(ga,) = torch.autograd.grad(out, a, grad_outputs=torch.ones_like(out), retain_graph=True)
print(ga, a.grad)
gb, gu = torch.autograd.grad(out.sum(), [b, torch.ones(2, requires_grad=True)], allow_unused=True)
print(gb, gu)
try:
    torch.autograd.grad(out.sum(), [torch.ones(2, requires_grad=True)])
except RuntimeError as e:
    print(e)
inp = torch.tensor([[0.5, -0.5]], requires_grad=True)
score = nn.Linear(2, 1)
with torch.no_grad():
    score.weight.copy_(torch.tensor([[2.0, -3.0]]))
score(inp).sum().backward()
print(inp.grad.abs(), score.weight.grad)
