"""Data loading (torch.utils.data): datasets, DataLoader, toy tasks and CSV files."""

from .csvdata import CSVError, Table, read_csv, split, standardize
from .dataloader import DataLoader, default_collate, default_convert
from .dataset import (
    ChainDataset,
    ConcatDataset,
    Dataset,
    IterableDataset,
    Subset,
    TensorDataset,
    random_split,
)
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler
from .synthetic import NUM_CLASSES, TASKS, make_toy

__all__ = [
    "BatchSampler",
    "CSVError",
    "ChainDataset",
    "ConcatDataset",
    "DataLoader",
    "Dataset",
    "IterableDataset",
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
    "default_convert",
    "make_toy",
    "random_split",
    "read_csv",
    "split",
    "standardize",
]
