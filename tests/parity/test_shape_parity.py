"""Shape ops against PyTorch: values, dtypes, grad_fn names, gradients and error texts."""

import warnings

import numpy as np
import pytest

import minitorch_ft as mt
from tests.parity.helpers import compare, torch

RNG = np.random.default_rng(1)
X = RNG.standard_normal((2, 3, 4)).astype(np.float32)
S = np.array(1.5, np.float32)
V = RNG.standard_normal(3).astype(np.float32)

UNARY = {
    "reshape": lambda L, x: x.reshape(6, -1),
    "reshape_copy": lambda L, x: x.transpose(0, 1).reshape(-1),
    "reshape_same": lambda L, x: L.reshape(x, x.shape),
    "view": lambda L, x: x.view(4, 6),
    "view_as": lambda L, x: x.view_as(L.ones(24)),
    "flatten": lambda L, x: x.flatten(),
    "flatten_1": lambda L, x: L.flatten(x, 1),
    "flatten_copy": lambda L, x: x.transpose(1, 2).flatten(),
    "unflatten": lambda L, x: x.unflatten(2, (2, -1)),
    "transpose": lambda L, x: x.transpose(0, -1),
    "swapaxes": lambda L, x: L.swapaxes(x, 1, 2),
    "permute": lambda L, x: x.permute(2, 0, 1),
    "movedim": lambda L, x: x.movedim((0, 1), (2, 0)),
    "mT": lambda L, x: x.mT,
    "T": lambda L, x: x.T,
    "t": lambda L, x: x[0].t(),
    "expand": lambda L, x: x[:, :1].expand(2, -1, 3, 4),
    "expand_as": lambda L, x: x[:1].expand_as(x),
    "broadcast_to": lambda L, x: L.broadcast_to(x[0, 0], (3, 4)),
    "contiguous": lambda L, x: x.permute(1, 0, 2).contiguous(),
    "squeeze": lambda L, x: x[:, :1].squeeze(),
    "squeeze_dim": lambda L, x: x[:1].squeeze(0),
    "squeeze_dims": lambda L, x: x[:1, :1].squeeze((0, 1)),
    "unsqueeze": lambda L, x: x.unsqueeze(-1),
    "narrow": lambda L, x: x.narrow(2, 1, 2),
    "select": lambda L, x: L.select(x, 1, -1),
    "split": lambda L, x: x.split(3, 2)[1],
    "split_sizes": lambda L, x: L.split(x, [1, 3], 2)[1],
    "chunk": lambda L, x: x.chunk(3, 1)[2],
    "unbind": lambda L, x: x.unbind(2)[3],
    "repeat": lambda L, x: x.repeat(2, 1, 1, 2),
    "tile": lambda L, x: L.tile(x, (2,)),
    "flip": lambda L, x: x.flip(0, 2),
    "roll": lambda L, x: x.roll(1),
    "roll_dims": lambda L, x: L.roll(x, (1, -2), (0, 2)),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_shape_parity(name):
    fn = UNARY[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(lambda x: fn(mt, x), lambda x: fn(torch, x), X)


@pytest.mark.parametrize(
    "expr",
    [
        "x.reshape(1)",
        "x.flatten()",
        "x.t()",
        "x.T",
        "x.expand(3)",
        "x.unsqueeze(0)",
        "x.squeeze(0)",
        "x.squeeze()",
        "x.repeat(2, 2)",
        "x.flip(0)",
        "x.roll(1)",
        "x.view(1, 1)",
        "L.stack([x, x])",
        "x.transpose(0, -1)",
    ],
)
def test_zero_dim_parity(expr):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        compare(
            lambda x: eval(expr, {"x": x, "L": mt}), lambda x: eval(expr, {"x": x, "L": torch}), S
        )


@pytest.mark.parametrize(
    "expr",
    [
        "L.cat([a, b], 1)",
        "L.cat((a, a), dim=-1)",
        "L.concat([a, b[:, :1]], 1)",
        "L.stack([a, a], 1)",
        "L.stack([a, a.double()])",
        "L.cat([a, b.double()], 1)",
        "L.hstack([a, b])",
        "L.vstack([a, a])",
    ],
)
def test_join_parity(expr):
    a = RNG.standard_normal((2, 3)).astype(np.float32)
    b = RNG.standard_normal((2, 2)).astype(np.float32)
    compare(
        lambda x, y: eval(expr, {"a": x, "b": y, "L": mt}),
        lambda x, y: eval(expr, {"a": x, "b": y, "L": torch}),
        a,
        b,
    )


@pytest.mark.parametrize(
    "expr",
    [
        "x.reshape(2, 5)",
        "x.reshape(-1, 5)",
        "x.view(-1, -1)",
        "x.reshape(-2, 12)",
        "x.transpose(0, 1).view(24)",
        "x.t()",
        "x.permute(0, 1)",
        "x.permute(0, 0, 1)",
        "x.expand(2, 5, 4)",
        "x.expand(3, 4)",
        "x.expand(-1, 2, 3, 4)",
        "x.narrow(1, 2, 2)",
        "x.narrow(1, 4, 0)",
        "x.narrow(1, 0, -1)",
        "L.cat([x, x[:, :2]], 2)",
        "L.cat([x, x[0]])",
        "L.cat([x[0, 0, 0], x[0, 0, 0]])",
        "L.stack([x, x[:, :2]])",
        "L.stack([])",
        "x.split([1, 2], 2)",
        "x.split(0, 1)",
        "x.split(-1, 1)",
        "x.chunk(0)",
        "x.unbind(3)",
        "x.repeat(2)",
        "x.repeat(-1, 1, 1)",
        "x.flip(0, 0)",
        "x.roll((1, 2), 0)",
        "x.flatten(2, 1)",
        "x.unflatten(1, (2, 2))",
        "x.transpose(0, 3)",
        "x[0, 0].mT",
        "x.H",
        "x.squeeze(3)",
        "x.unsqueeze(4)",
        "x.movedim(0, 3)",
        "L.ones(0, 3).reshape(0, -1)",
        "x.select(1, 3)",
        "x[0, 0, 0].select(0, -1)",
        "x[0, 0, 0].narrow(0, 0, 1)",
        "x[0, 0, 0].split(1)",
        "x[0, 0, 0].chunk(2)",
        "x[0, 0, 0].roll(1, 0)",
        "x.flip(None)",
        "x.norm(dim=(0, 1, 2))",
    ],
)
def test_error_parity(expr):
    with pytest.raises(Exception) as ours:
        eval(expr, {"x": mt.tensor(X), "L": mt})
    with pytest.raises(Exception) as theirs:
        eval(expr, {"x": torch.tensor(X), "L": torch})
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_split_piece_names_and_grads_parity():
    for lib_name, lib in (("mt", mt), ("torch", torch)):
        x = lib.tensor(X, requires_grad=True)
        pieces = x.split([1, 3], 2)
        assert [p.grad_fn.name() for p in pieces] == ["SplitWithSizesBackward0"] * 2, lib_name
        (pieces[0] * 2 + pieces[1].sum(2, keepdim=True)).sum().backward()
        if lib is mt:
            ours = x.grad.numpy()
        else:
            np.testing.assert_allclose(ours, x.grad.numpy())
