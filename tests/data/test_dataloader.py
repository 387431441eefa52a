"""DataLoader / TensorDataset: batching, drop_last, seeded shuffling, collation."""

import numpy as np
import pytest

import minitorch_ft as mt
from minitorch_ft.data import (
    DataLoader,
    Dataset,
    Subset,
    TensorDataset,
    default_collate,
    random_split,
)


def _dataset(n=10):
    x = mt.tensor(np.arange(n * 2, dtype=np.float32).reshape(n, 2))
    y = mt.tensor(np.arange(n))
    return TensorDataset(x, y)


@pytest.mark.parametrize(
    "n,bs,drop,sizes",
    [
        (10, 3, False, [3, 3, 3, 1]),
        (10, 3, True, [3, 3, 3]),
        (9, 3, True, [3, 3, 3]),
        (2, 5, True, []),
        (2, 5, False, [2]),
    ],
)
def test_batch_sizes_and_len(n, bs, drop, sizes):
    loader = DataLoader(_dataset(n), batch_size=bs, drop_last=drop)
    got = [len(y) for _, y in loader]
    assert got == sizes
    assert len(loader) == len(sizes)


def test_sequential_order_and_batch_content():
    x, y = next(iter(DataLoader(_dataset(), batch_size=4)))
    assert y.tolist() == [0, 1, 2, 3]
    assert x.shape == (4, 2) and x.dtype == mt.float32 and y.dtype == mt.int64


def test_seeded_shuffle_is_reproducible_and_differs_per_epoch():
    def orders(seed):
        loader = DataLoader(
            _dataset(20), batch_size=5, shuffle=True, generator=mt.Generator().manual_seed(seed)
        )
        return [[int(v) for _, y in loader for v in y.tolist()] for _ in range(2)]

    first, second = orders(3), orders(3)
    assert first == second  # same seed, same order, epoch after epoch
    assert first[0] != first[1]  # a new permutation every epoch
    assert sorted(first[0]) == list(range(20))
    assert orders(4) != first


def test_generator_state_replays_an_epoch():
    gen = mt.Generator().manual_seed(7)
    loader = DataLoader(_dataset(20), batch_size=4, shuffle=True, generator=gen)
    state = gen.get_state()
    epoch = [y.tolist() for _, y in loader]
    gen.set_state(state)
    assert [y.tolist() for _, y in loader] == epoch


def test_shuffle_without_generator_follows_manual_seed():
    mt.manual_seed(0)
    a = [y.tolist() for _, y in DataLoader(_dataset(), batch_size=10, shuffle=True)]
    mt.manual_seed(0)
    b = [y.tolist() for _, y in DataLoader(_dataset(), batch_size=10, shuffle=True)]
    assert a == b


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"x": np.array([i, i * i], dtype=np.float32), "y": i, "w": 0.5}


def test_generic_dataset_collates_dicts_numbers_arrays():
    batch = next(iter(DataLoader(Squares(), batch_size=3)))
    assert batch["x"].shape == (3, 2) and batch["x"].dtype == mt.float32
    assert batch["y"].dtype == mt.int64 and batch["y"].tolist() == [0, 1, 2]
    assert batch["w"].dtype == mt.float64


def test_default_collate_tuples_become_lists_like_torch():
    out = default_collate([(mt.tensor([1.0]), 1), (mt.tensor([2.0]), 2)])
    assert isinstance(out, list) and out[0].shape == (2, 1) and out[1].tolist() == [1, 2]


def test_tensor_dataset_checks_and_indexing():
    with pytest.raises(AssertionError, match="Size mismatch between tensors"):
        TensorDataset(mt.zeros(3, 2), mt.zeros(4))
    ds = _dataset()
    x, y = ds[2]
    assert x.tolist() == [4.0, 5.0] and int(y) == 2 and len(ds) == 10


def test_loader_argument_errors():
    with pytest.raises(ValueError, match="batch_size should be a positive integer"):
        DataLoader(_dataset(), batch_size=0)
    with pytest.raises(ValueError, match="mutually exclusive with shuffle"):
        DataLoader(_dataset(), sampler=[0, 1], shuffle=True)
    with pytest.raises(ValueError, match="single-process"):
        DataLoader(_dataset(), num_workers=2)


def test_random_split_and_subset():
    parts = random_split(_dataset(10), [0.7, 0.3], generator=mt.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [7, 3]
    seen = sorted(int(p[i][1]) for p in parts for i in range(len(p)))
    assert seen == list(range(10))
    assert int(Subset(_dataset(), [4, 2])[1][1]) == 2
    with pytest.raises(ValueError, match="Sum of input lengths"):
        random_split(_dataset(10), [3, 3])


def test_len_matches_torch():
    torch = pytest.importorskip("torch")
    for n, bs, drop in [(10, 3, False), (10, 3, True), (7, 7, True), (1, 4, False)]:
        ours = DataLoader(_dataset(n), batch_size=bs, drop_last=drop)
        ref = torch.utils.data.DataLoader(list(range(n)), batch_size=bs, drop_last=drop)
        assert len(ours) == len(ref)


def test_tensors_requiring_grad_keep_their_graph():
    w = mt.ones(4, 2, requires_grad=True)
    loader = DataLoader(TensorDataset(w * 2, mt.arange(4)), batch_size=2)
    x, _ = next(iter(loader))
    assert x.requires_grad and x.grad_fn is not None
    x.sum().backward()
    assert w.grad.tolist() == [[2.0, 2.0], [2.0, 2.0], [0.0, 0.0], [0.0, 0.0]]


def test_samplers_match_torch_semantics():
    from minitorch_ft.data import BatchSampler, RandomSampler, SequentialSampler

    gen = mt.Generator().manual_seed(0)
    draws = list(RandomSampler(range(5), replacement=True, num_samples=12, generator=gen))
    assert len(draws) == 12 and set(draws) <= set(range(5))
    longer = list(RandomSampler(range(3), num_samples=7, generator=gen))
    assert sorted(longer[:3]) == [0, 1, 2] and len(longer) == 7
    assert list(BatchSampler(SequentialSampler(range(5)), 2, drop_last=False)) == [
        [0, 1],
        [2, 3],
        [4],
    ]
    assert len(BatchSampler(range(5), 2, drop_last=True)) == 2
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(range(3), num_samples=0)
    with pytest.raises(TypeError, match="replacement should be a boolean value"):
        RandomSampler(range(3), replacement=1)
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        BatchSampler(range(3), 0, False)
    loader = DataLoader(_dataset(6), batch_sampler=[[5, 0], [1]])
    assert [y.tolist() for _, y in loader] == [[5, 0], [1]] and len(loader) == 2
    single = DataLoader(_dataset(3), batch_size=None)
    assert [int(y) for _, y in single] == [0, 1, 2]


def test_no_auto_batching_refuses_drop_last_like_torch():
    # regression: batch_size=None with drop_last=True was accepted (torch raises)
    with pytest.raises(ValueError, match=r"^batch_size=None option disables auto-batching and is"):
        DataLoader(_dataset(), batch_size=None, drop_last=True)
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(_dataset(), batch_size=None, drop_last=True, batch_sampler=[[0, 1]])
    assert len(DataLoader(_dataset(4), batch_size=None)) == 4
