"""Sweep (training area): torch.utils.data behaviours minitorch_ft.data did not match.

DataLoader(batch_size=None) yielded samples unconverted (torch: numpy arrays and scalars
become tensors, tuples become lists); TensorDataset of a 0-d tensor had its own error text.
"""

import numpy as np
import pytest

from minitorch_ft import data as md

from .helpers import torch

td = torch.utils.data


def _describe(batch):
    """Container types, tensor shapes and dtypes, and plain values, comparable across libs."""
    if isinstance(batch, (list, tuple, dict)):
        items = batch.items() if isinstance(batch, dict) else enumerate(batch)
        return (type(batch).__name__, [(k, _describe(v)) for k, v in items])
    if hasattr(batch, "shape") and hasattr(batch, "dtype"):
        kind = "ndarray" if isinstance(batch, np.ndarray) else "tensor"
        return (kind, tuple(batch.shape), str(batch.dtype).rpartition(".")[2])
    return batch


SAMPLES = {
    "array": [np.zeros(2), np.ones(2)],
    "int": [1, 2],
    "tuple": [(1, np.ones(2)), (2, np.zeros(2))],
    "list": [[1, 2], [3, 4]],
    "dict": [{"a": np.zeros(1, np.float32), "b": 3}],
    "numpy_scalar": [np.float64(1.5), np.int64(2)],
    "zero_d_array": [np.array(3)],
    "str": ["a", "b"],
}


@pytest.mark.parametrize("name", SAMPLES)
def test_no_auto_batching_converts_samples_like_torch(name):
    ours = [_describe(b) for b in md.DataLoader(SAMPLES[name], batch_size=None)]
    theirs = [_describe(b) for b in td.DataLoader(SAMPLES[name], batch_size=None)]
    assert ours == theirs


def test_tensor_dataset_rows_without_auto_batching_are_lists():
    import minitorch_ft as mt

    ours = [_describe(b) for b in md.DataLoader(md.TensorDataset(mt.zeros(2, 3)), batch_size=None)]
    ds = td.TensorDataset(torch.zeros(2, 3))
    assert ours == [_describe(b) for b in td.DataLoader(ds, batch_size=None)]


def test_tensor_dataset_errors_like_torch():
    import minitorch_ft as mt

    for lib, tensor in ((td, torch.tensor), (md, mt.tensor)):
        with pytest.raises(IndexError, match="^Dimension specified as 0 but tensor has no dim"):
            lib.TensorDataset(tensor(1.0))
        empty = lib.TensorDataset()  # accepted; only its length fails
        with pytest.raises(IndexError):
            len(empty)
