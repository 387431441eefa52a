"""Data loading (torch.utils.data): datasets, DataLoader, toy tasks and CSV files."""

from .csvdata import CSVError, Table, read_csv, split, standardize
from .dataloader import DataLoader, default_collate
from .dataset import ConcatDataset, Dataset, Subset, TensorDataset, random_split
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler
from .synthetic import NUM_CLASSES, TASKS, make_toy

__all__ = [
    "BatchSampler",
    "CSVError",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "NUM_CLASSES",
    "RandomSampler",
    "Sampler",
    "SequentialSampler",
    "SubsetRandomSampler",
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
