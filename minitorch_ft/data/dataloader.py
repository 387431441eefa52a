"""`DataLoader`: batches from a dataset, with seeded shuffling and `drop_last`.

Single-process (`num_workers=0` only). Shuffling draws one permutation per epoch from a
`Generator` whose state can be saved, so a checkpoint can replay the exact batch order.
"""

from __future__ import annotations

import collections.abc
import copy
from collections.abc import Callable, Iterator

import numpy as np

from ..autograd.creation import tensor
from ..autograd.generator import Generator
from ..autograd.ops.combine import stack
from ..autograd.tensor import Tensor
from .dataset import Dataset, IterableDataset, TensorDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

_COLLATE_ERROR = (
    "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found {}"
)


def default_collate(batch: list):
    """Stack a list of samples into a batch, keeping dicts, namedtuples and lists (as torch).

    The type of the first sample decides, in torch's order: tensors are stacked, numpy
    arrays and numpy scalars keep their dtype, python floats become float64, python ints
    (and bools) are inferred like `tensor(batch)`, strings stay a sequence.
    """
    first = batch[0]
    if isinstance(first, Tensor):
        if any(t.requires_grad for t in batch) or any(t.shape != first.shape for t in batch):
            return stack(batch)  # differentiable, and torch's size-mismatch error
        return Tensor._wrap(np.stack([t._data for t in batch]))
    if isinstance(first, np.ndarray):
        if first.dtype.kind in "SaUO":
            raise TypeError(_COLLATE_ERROR.format(first.dtype))
        return default_collate([Tensor._wrap(a) for a in batch])
    if isinstance(first, (np.bool_, np.number, np.object_)):
        return Tensor._wrap(np.array(batch))
    if isinstance(first, float):
        return Tensor._wrap(np.array(batch, dtype=np.float64))
    if isinstance(first, int):  # bools included: [True, False] -> bool, [1, 2.5] -> float32
        return tensor(list(batch))
    if isinstance(first, (str, bytes)):
        return batch  # unchanged (a tuple when it comes from transposing samples)
    if isinstance(first, collections.abc.Mapping):
        collated = {key: default_collate([d[key] for d in batch]) for key in first}
        try:  # keep the mapping type (OrderedDict, ...) when it can be rebuilt
            if isinstance(first, collections.abc.MutableMapping):
                clone = copy.copy(first)
                clone.update(collated)
                return clone
            return type(first)(collated)
        except TypeError:
            return collated
    if isinstance(first, tuple) and hasattr(first, "_fields"):
        return type(first)(*(default_collate(s) for s in zip(*batch, strict=False)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(s) != len(first) for s in batch):
            raise RuntimeError("each element in list of batch should be of equal size")
        columns = [default_collate(s) for s in zip(*batch, strict=False)]
        if isinstance(first, tuple):
            return columns  # torch returns a list for tuple samples ("backwards compatibility")
        try:  # keep the sequence type when it can be rebuilt
            if isinstance(first, collections.abc.MutableSequence):
                clone = copy.copy(first)
                clone[:] = columns
                return clone
            return type(first)(columns)
        except TypeError:
            return columns
    raise TypeError(_COLLATE_ERROR.format(type(first)))


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
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if prefetch_factor is not None:  # torch's text (its two sentences run together)
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing.let "
                "num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if persistent_workers:
            raise ValueError("persistent_workers option needs num_workers > 0")
        iterable = isinstance(dataset, IterableDataset)
        if iterable:  # the dataset yields its own samples in its own order
            if shuffle not in {False, None}:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified shuffle option, "
                    f"but got shuffle={shuffle}"
                )
            if sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified sampler option, "
                    f"but got sampler={sampler}"
                )
            if batch_sampler is not None:
                raise ValueError(
                    "DataLoader with IterableDataset: expected unspecified batch_sampler "
                    f"option, but got batch_sampler={batch_sampler}"
                )
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
        if sampler is None and iterable:
            sampler = _InfiniteSampler()
        elif sampler is None:
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
        if collate_fn is None:
            collate_fn = default_collate if batch_sampler is not None else default_convert
        self.collate_fn = collate_fn
        self.generator = generator
        self._iterable = iterable

    @property
    def _auto_collation(self) -> bool:
        return self.batch_sampler is not None

    def _index_batches(self) -> Iterator:
        return iter(self.batch_sampler if self._auto_collation else self.sampler)

    def __iter__(self) -> Iterator:
        if self._iterable:
            yield from self._iter_iterable()
            return
        # Fast path: gather whole batches from a TensorDataset's arrays at once.
        fast = (
            type(self.dataset) is TensorDataset
            and self.collate_fn is default_collate
            and self._auto_collation
            and not any(t.requires_grad for t in self.dataset.tensors)  # keep their graph
        )
        arrays = self.dataset.arrays() if fast else ()
        for indices in self._index_batches():
            if fast:
                picked = np.asarray(indices, dtype=np.int64)
                yield [Tensor._wrap(a[picked]) for a in arrays]
            elif not self._auto_collation:
                yield self.collate_fn(self.dataset[indices])
            else:
                yield self.collate_fn([self.dataset[i] for i in indices])

    def _iter_iterable(self) -> Iterator:
        """Batches of consecutive samples of an IterableDataset (or single samples)."""
        if not self._auto_collation:
            for sample in self.dataset:
                yield self.collate_fn(sample)
            return
        batch: list = []
        for sample in self.dataset:
            batch.append(sample)
            if len(batch) == self.batch_size:
                yield self.collate_fn(batch)
                batch = []
        if batch and not self.drop_last:
            yield self.collate_fn(batch)

    def __len__(self) -> int:
        if self._iterable:  # as torch: from the dataset's own len (TypeError without one)
            n = len(self.dataset)
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self._auto_collation else self.sampler)


class _InfiniteSampler(Sampler):
    """The sampler an IterableDataset's loader reports (torch's _InfiniteConstantSampler)."""

    def __iter__(self) -> Iterator[None]:
        while True:
            yield None
