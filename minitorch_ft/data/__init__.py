"""Data loading (torch.utils.data): datasets, DataLoader, toy tasks and CSV files."""

from .csvdata import CSVError, Table, read_csv, split, standardize
from .dataloader import DataLoader, RandomSampler, SequentialSampler, default_collate
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .synthetic import NUM_CLASSES, TASKS, make_toy

__all__ = [
    "CSVError",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "NUM_CLASSES",
    "RandomSampler",
    "SequentialSampler",
    "Subset",
    "TASKS",
    "Table",
    "TensorDataset",
    "default_collate",
    "make_toy",
    "random_split",
    "read_csv",
    "split",
    "standardize",
]
