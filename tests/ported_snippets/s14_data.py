"""Datasets & DataLoaders and Transforms: a custom Dataset, one-hot target transform, collate, random_split."""

import numpy as np
import torch
from torch.utils.data import ConcatDataset, DataLoader, Dataset, Subset, TensorDataset, random_split


class CustomDataset(Dataset):
    def __init__(self, n, transform=None, target_transform=None):
        self.n = n
        self.transform = transform
        self.target_transform = target_transform

    def __len__(self):
        return self.n

    def __getitem__(self, idx):
        image = np.full((1, 4, 4), idx, dtype=np.float32)
        label = idx % 10
        if self.transform:
            image = self.transform(image)
        if self.target_transform:
            label = self.target_transform(label)
        return image, label


ds = CustomDataset(
    10,
    transform=torch.from_numpy,
    target_transform=lambda y: torch.zeros(10, dtype=torch.float).scatter_(
        0, torch.tensor(y), value=1
    ),
)
img, lab = ds[3]
print(img.shape, lab)
dl = DataLoader(ds, batch_size=4, shuffle=False)
train_features, train_labels = next(iter(dl))
print(f"Feature batch shape: {train_features.size()}")
print(f"Labels batch shape: {train_labels.size()}")
img = train_features[0].squeeze()
print(img.shape, train_labels[0])
print([tuple(b[0].shape) for b in dl], len(dl))
dl2 = DataLoader(CustomDataset(10), batch_size=4, drop_last=True)
b = next(iter(dl2))
print(type(b).__name__, b[0].dtype, b[1], b[1].dtype, len(dl2))


class DictDS(Dataset):
    def __len__(self):
        return 3

    def __getitem__(self, i):
        return {"x": torch.tensor([float(i), 1.0]), "y": i, "w": 0.5 * i, "name": f"s{i}"}


bb = next(iter(DataLoader(DictDS(), batch_size=3)))
print(bb["x"], bb["y"], bb["w"], bb["name"])
g = torch.Generator().manual_seed(42)
tr, va = random_split(TensorDataset(torch.arange(10.0)), [7, 3], generator=g)
print(len(tr), len(va), type(tr).__name__)
tr, va = random_split(TensorDataset(torch.arange(10.0)), [0.8, 0.2])
print(len(tr), len(va))
sub = Subset(TensorDataset(torch.arange(10.0)), [1, 3])
print(sub[1], len(ConcatDataset([sub, sub])))
try:
    random_split(range(10), [3, 3])
except Exception as e:
    print(type(e).__name__, e)
print(torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), num_classes=4))
print(torch.nn.functional.one_hot(torch.arange(0, 5) % 3))
xs = []
for (xb,) in DataLoader(
    TensorDataset(torch.arange(10.0)),
    batch_size=3,
    shuffle=True,
    generator=torch.Generator().manual_seed(0),
):
    xs.extend(xb.tolist())
print(sorted(xs) == list(range(10)))
