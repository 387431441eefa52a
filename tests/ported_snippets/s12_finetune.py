"""Transfer-learning tutorial with a small MLP backbone: freeze, new head, train/val phases, best weights."""

import copy

import numpy as np
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Linear(6, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Dropout(0.2)
        )
        self.fc = nn.Linear(8, 5)

    def forward(self, x):
        return self.fc(self.features(x))


def det(model, seed=0):
    rng = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(
                torch.from_numpy((rng.standard_normal(tuple(p.shape)) * 0.3).astype(np.float32))
            )
    return model


rng = np.random.default_rng(5)
X = torch.from_numpy(rng.standard_normal((20, 6)).astype(np.float32))
Y = torch.from_numpy(rng.integers(0, 2, 20))
dataloaders = {
    "train": DataLoader(TensorDataset(X[:12], Y[:12]), batch_size=4),
    "val": DataLoader(TensorDataset(X[12:], Y[12:]), batch_size=4),
}
dataset_sizes = {"train": 12, "val": 8}

model_conv = det(Backbone())
for param in model_conv.parameters():
    param.requires_grad = False
num_ftrs = model_conv.fc.in_features
model_conv.fc = nn.Linear(num_ftrs, 2)
det(model_conv.fc, seed=1)
print(model_conv)
print([n for n, p in model_conv.named_parameters() if p.requires_grad])
print(
    sum(p.numel() for p in model_conv.parameters() if p.requires_grad),
    sum(p.numel() for p in model_conv.parameters()),
)
criterion = nn.CrossEntropyLoss()
optimizer_conv = optim.SGD(model_conv.fc.parameters(), lr=0.01, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_conv, step_size=7, gamma=0.1)
frozen_before = model_conv.features[0].weight.clone()
bn_mean_before = model_conv.features[1].running_mean.clone()


def train_model(model, criterion, optimizer, scheduler, num_epochs=2):
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        print(f"Epoch {epoch}/{num_epochs - 1}")
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            print(
                f"{phase} Loss: {epoch_loss:.3f} Acc: {epoch_acc:.4f}",
                type(running_corrects).__name__,
                running_corrects.dtype,
                epoch_acc.dtype,
            )
            if phase == "val" and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_model_wts = copy.deepcopy(model.state_dict())
    print(f"Best val Acc: {best_acc:4f}")
    model.load_state_dict(best_model_wts)
    return model


torch.manual_seed(0)
model_conv.features[3].p = 0.0  # dropout off: no RNG in the comparison
model_conv = train_model(model_conv, criterion, optimizer_conv, exp_lr_scheduler)
print(torch.equal(frozen_before, model_conv.features[0].weight), model_conv.features[0].weight.grad)
print(
    torch.equal(bn_mean_before, model_conv.features[1].running_mean),
    model_conv.features[1].num_batches_tracked,
)
model_conv.eval()
with torch.no_grad():
    out = model_conv(X)
print(out.requires_grad, out.grad_fn, out[:2])
# filter idiom and requires_grad_ on modules
m = det(Backbone())
m.features.requires_grad_(False)
opt = optim.Adam(filter(lambda p: p.requires_grad, m.parameters()), lr=1e-3)
print(len(opt.param_groups[0]["params"]))
feat = nn.Sequential(*list(m.children())[:-1])
print(feat, [n for n, _ in m.named_children()])
print(feat(X).shape)
m.eval()
print(m.training, m.features[1].training)
m.train(False)
m.features.train()
print(m.training, m.features.training, m.features[3].training)
