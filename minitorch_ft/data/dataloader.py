"""`DataLoader`: batches from a dataset, with seeded shuffling and `drop_last`.

Single-process (`num_workers=0` only). Shuffling draws one permutation per epoch from a
`Generator` whose state can be saved, so a checkpoint can replay the exact batch order.
"""

from __future__ import annotations

import collections.abc
import numbers
from collections.abc import Callable, Iterator

import numpy as np

from ..autograd.generator import Generator
from ..autograd.ops.combine import stack
from ..autograd.tensor import Tensor
from .dataset import Dataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, SequentialSampler


def default_collate(batch: list):
    """Stack a list of samples into a batch, keeping tuples, lists and dicts (as torch)."""
    first = batch[0]
    if isinstance(first, Tensor):
        if any(t.requires_grad for t in batch):
            return stack(batch)  # differentiable, like torch.stack in torch's collate
        return Tensor._wrap(np.stack([t._data for t in batch]))
    if isinstance(first, np.ndarray):
        return Tensor._wrap(np.stack(batch))
    if isinstance(first, bool):
        return Tensor._wrap(np.array(batch, dtype=np.bool_))
    if isinstance(first, numbers.Integral):
        return Tensor._wrap(np.array(batch, dtype=np.int64))
    if isinstance(first, numbers.Real):
        return Tensor._wrap(np.array(batch, dtype=np.float64))
    if isinstance(first, (str, bytes)):
        return list(batch)
    if isinstance(first, collections.abc.Mapping):
        return {key: default_collate([d[key] for d in batch]) for key in first}
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(list(s)) for s in zip(*batch, strict=True)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        # torch returns a list for tuple samples too ("backwards compatibility")
        return [default_collate(list(s)) for s in zip(*batch, strict=True)]
    raise TypeError(
        "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; "
        f"found {type(first)}"
    )


def default_convert(data):
    """One sample without batching (batch_size=None), as torch: numpy arrays and scalars
    become tensors, tuples become lists, containers are converted item by item."""
    if isinstance(data, np.ndarray) and data.dtype.kind not in "SUO":
        return Tensor._wrap(data)
    if isinstance(data, np.generic) and not isinstance(data, (np.str_, np.bytes_)):
        return Tensor._wrap(np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return type(data)({key: default_convert(value) for key, value in data.items()})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return [default_convert(d) for d in data]  # tuples too, as torch does
    return data


class DataLoader:
    """Iterate over `dataset` in batches (torch.utils.data.DataLoader, single process)."""

    def __init__(
        self,
        dataset: Dataset,
        batch_size: int | None = 1,
        shuffle: bool | None = None,
        sampler=None,
        batch_sampler=None,
        num_workers: int = 0,
        collate_fn: Callable | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn=None,
        multiprocessing_context=None,
        generator: Generator | None = None,
        *,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        # the worker options are accepted for torch compatibility; there are no workers
        if not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to "
                "disable multiprocessing."
            )
        if num_workers != 0:
            raise ValueError("minitorch_ft's DataLoader is single-process: use num_workers=0")
        if batch_size is not None and (
            not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size <= 0
        ):
            raise ValueError(
                f"batch_size should be a positive integer value, but got batch_size={batch_size}"
            )
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with batch_size, "
                    "shuffle, sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive "
                "with drop_last"
            )
        if sampler is None:
            sampler = (
                RandomSampler(dataset, generator=generator)
                if shuffle
                else SequentialSampler(dataset)
            )
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        self.dataset = dataset
        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.num_workers = num_workers
        self.collate_fn = collate_fn
        self.generator = generator

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    def _index_batches(self) -> Iterator:
        return iter(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self) -> Iterator:
        # Fast path: gather whole batches from a TensorDataset's arrays at once.
        fast = (
            type(self.dataset) is TensorDataset
            and self.collate_fn is None
            and self._auto_collation
            and not any(t.requires_grad for t in self.dataset.tensors)  # keep their graph
        )
        arrays = self.dataset.arrays() if fast else ()
        for indices in self._index_batches():
            if fast:
                picked = np.asarray(indices, dtype=np.int64)
                yield [Tensor._wrap(a[picked]) for a in arrays]
            elif not self._auto_collation:
                sample = self.dataset[indices]
                yield (self.collate_fn or default_convert)(sample)
            else:
                samples = [self.dataset[i] for i in indices]
                yield (self.collate_fn or default_collate)(samples)

    def __len__(self) -> int:
        return len(self.batch_sampler if self._auto_collation else self.sampler)
