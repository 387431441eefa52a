"""Parity sweep of the data pipeline (torch.utils.data) and of save/load."""

from __future__ import annotations

import collections
import os
import warnings

import numpy as np
import pytest

import minitorch_ft as mt
import minitorch_ft.utils.data as md

torch = pytest.importorskip("torch")
td = torch.utils.data


def _same(a, b):
    """Structure, container types, dtypes and values of a collated batch."""
    if isinstance(a, mt.Tensor):
        assert isinstance(b, torch.Tensor)
        assert str(a.dtype) == str(b.dtype).replace("torch.", "minitorch_ft.") or (
            str(a.dtype).split(".")[-1] == str(b.dtype).split(".")[-1]
        )
        assert tuple(a.shape) == tuple(b.shape)
        np.testing.assert_array_equal(a.detach().numpy(), b.numpy())
    elif isinstance(a, (dict, list, tuple)):
        assert type(a).__name__ == type(b).__name__
        if isinstance(a, dict):
            assert list(a) == list(b)
            a, b = list(a.values()), list(b.values())
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
    else:
        assert a == b


Point = collections.namedtuple("Point", "a b")

COLLATE_CASES = {
    "mixed_int_then_float": [1, 2.5],  # tensor([1, 2.5]) -> float32, not truncated ints
    "numpy_float32_scalars": [np.float32(1), np.float32(2)],  # dtype kept (as_tensor)
    "nested_strings_tuple": [{"x": (1, [2.0, "s"])}, {"x": (3, [4.0, "t"])}],
    "ordered_dict": [collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)],
    "namedtuple": [Point(1, 2.0), Point(3, 4.0)],
    "bools": [True, False],
    "floats": [1.5, 2.0],
    "strings": ["a", "b"],
}


@pytest.mark.parametrize("name", sorted(COLLATE_CASES))
def test_default_collate_matches_torch(name):
    batch = COLLATE_CASES[name]
    _same(md.default_collate(batch), td.default_collate(batch))


def test_default_collate_errors_match_torch():
    with pytest.raises(RuntimeError, match=r"stack expects each tensor to be equal size"):
        md.default_collate([mt.ones(2), mt.ones(3)])
    text = "default_collate: batch must contain tensors, numpy arrays, numbers, dicts or lists; found <U1"
    with pytest.raises(TypeError) as ours:
        md.default_collate([np.array(["a"]), np.array(["b"])])
    with pytest.raises(TypeError) as theirs:
        td.default_collate([np.array(["a"]), np.array(["b"])])
    assert str(ours.value) == str(theirs.value) == text


def test_default_convert_exported():
    assert md.default_convert is mt.data.default_convert
    _same(
        md.default_convert((np.float32(1), np.ones(2))),
        td.default_convert((np.float32(1), np.ones(2))),
    )


@pytest.mark.parametrize(
    "kwargs", [{"timeout": -1}, {"prefetch_factor": 2}, {"persistent_workers": True}]
)
def test_dataloader_worker_option_errors(kwargs):
    with pytest.raises(ValueError) as theirs:
        td.DataLoader([1, 2], **kwargs)
    with pytest.raises(ValueError) as ours:
        md.DataLoader([1, 2], **kwargs)
    assert str(ours.value) == str(theirs.value)


def test_dataloader_collate_fn_attribute_is_the_default():
    assert md.DataLoader([1]).collate_fn is md.default_collate
    assert md.DataLoader([1], batch_size=None).collate_fn is md.default_convert


def _stream(mod, n, with_len=True):
    class Stream(mod.IterableDataset):
        def __iter__(self):
            return iter([{"x": float(i), "y": i} for i in range(n)])

    if with_len:
        Stream.__len__ = lambda self: n
    return Stream()


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"batch_size": 2}, {"batch_size": 2, "drop_last": True}, {"batch_size": None}],
)
@pytest.mark.parametrize("n", [0, 5])
def test_iterable_dataset_loader_matches_torch(kwargs, n):
    ours = md.DataLoader(_stream(md, n), **kwargs)
    theirs = td.DataLoader(_stream(td, n), **kwargs)
    assert len(ours) == len(theirs)
    _same(list(ours), list(theirs))
    _same(list(ours), list(theirs))  # a second epoch restarts the stream


@pytest.mark.parametrize("kwargs", [{"shuffle": True}, {"sampler": [0]}, {"batch_sampler": [[0]]}])
def test_iterable_dataset_loader_rejects_sampling(kwargs):
    with pytest.raises(ValueError) as theirs:
        td.DataLoader(_stream(td, 3), **kwargs)
    with pytest.raises(ValueError) as ours:
        md.DataLoader(_stream(md, 3), **kwargs)
    assert str(ours.value).split(" but got")[0] == str(theirs.value).split(" but got")[0]


def test_iterable_dataset_without_len_and_chain():
    with pytest.raises(TypeError):
        len(md.DataLoader(_stream(md, 3, with_len=False)))
    with pytest.raises(TypeError, match="abstract"):
        md.IterableDataset()
    chained = _stream(md, 2) + _stream(md, 3)
    assert isinstance(chained, md.ChainDataset) and len(chained) == 5
    assert [s["y"] for s in chained] == [0, 1, 0, 1, 2]


def test_random_split_warns_on_empty_split_like_torch():
    with warnings.catch_warnings(record=True) as ours:
        warnings.simplefilter("always")
        md.random_split(range(3), [0.2] * 5)
    with warnings.catch_warnings(record=True) as theirs:
        warnings.simplefilter("always")
        td.random_split(range(3), [0.2] * 5)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert len(ours) == 2


def test_save_load_keeps_parameters_and_requires_grad(tmp_path):
    path = tmp_path / "p.safetensors"
    mt.save(
        {
            "w": mt.nn.Parameter(mt.ones(2)),
            "frozen": mt.nn.Parameter(mt.ones(2), requires_grad=False),
            "g": mt.ones(2, requires_grad=True),
            "plain": mt.ones(1),
        },
        path,
    )
    back = mt.load(path)
    kinds = {k: (type(v).__name__, v.requires_grad) for k, v in back.items()}
    assert kinds == {
        "w": ("Parameter", True),
        "frozen": ("Parameter", False),
        "g": ("Tensor", True),
        "plain": ("Tensor", False),
    }
    from safetensors.torch import load_file

    assert sorted(load_file(str(path))) == ["frozen", "g", "plain", "w"]  # still plain safetensors


def test_save_errors_name_the_real_path(tmp_path):
    with pytest.raises(RuntimeError, match=r"Parent directory .*missing does not exist\."):
        mt.save({"a": mt.ones(1)}, tmp_path / "missing" / "x.safetensors")
    with pytest.raises(RuntimeError, match="is a directory"):
        mt.save({"a": mt.ones(1)}, tmp_path)
    assert os.listdir(tmp_path) == []  # no temp file left behind


def test_save_is_atomic_and_torch_round_trip(tmp_path):
    from safetensors.torch import load_file, save_file

    path = tmp_path / "sd.safetensors"
    x = mt.arange(12.0).reshape(3, 4)
    mt.save({"t": x.t(), "s": x[:, ::2], "zero_d": mt.tensor(3.0), "empty": mt.zeros(0, 2)}, path)
    before = path.read_bytes()
    with pytest.raises(TypeError):
        mt.save({"a": x, "b": object()}, path)
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["sd.safetensors"]
    loaded = load_file(str(path))
    assert loaded["t"].tolist() == x.t().tolist() and loaded["zero_d"].shape == ()
    save_file({"b": torch.ones(2, dtype=torch.int16), "a": torch.tensor(True)}, str(path))
    back = mt.load(path)
    assert back["b"].dtype == mt.int16 and back["a"].dtype == mt.bool and back["a"].shape == ()
