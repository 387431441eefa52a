"""Audit regressions vs torch: all-ignored NLL gradients, legacy size_average/reduce
warnings, quiet empty means, clipping with an inf norm, clip_grads_with_norm_,
vector_to_parameters errors, nn.init.dirac_ / sparse_."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import minitorch_ft as mt

torch = pytest.importorskip("torch")

LOGITS = np.sin(np.arange(20, dtype=np.float32)).reshape(5, 4)


@pytest.mark.parametrize("smoothing", [0.0, 0.2])
@pytest.mark.parametrize("weight", [None, [0.0, 0.0, 1.0, 1.0]])
def test_all_or_zero_weight_targets_give_torchs_grads(weight, smoothing):
    def run(lib):
        x = lib.tensor(LOGITS, requires_grad=True)
        w = None if weight is None else lib.tensor(weight)
        loss = lib.nn.functional.cross_entropy(
            x, lib.tensor([1, 1, 0, 1, 0]), weight=w, ignore_index=1, label_smoothing=smoothing
        )
        loss.backward()
        return loss.detach().numpy(), x.grad.numpy()

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no numpy RuntimeWarning on the way
        ours = run(mt)
    theirs = run(torch)
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True)


def test_legacy_reduction_args_warn_like_torch():
    for lib in (mt, torch):
        with pytest.warns(
            UserWarning,
            match=r"size_average and reduce args will be "
            r"deprecated, please use reduction='sum' instead",
        ):
            out = lib.nn.functional.mse_loss(lib.ones(3), lib.zeros(3), size_average=False)
        assert out.item() == 3.0
        with pytest.warns(UserWarning, match="reduction='none'"):
            assert lib.nn.MSELoss(reduce=False).reduction == "none"


def test_empty_mean_losses_are_quiet_nan():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for fn in (
            mt.nn.functional.mse_loss,
            mt.nn.functional.l1_loss,
            mt.nn.functional.smooth_l1_loss,
        ):
            assert np.isnan(fn(mt.ones(0), mt.ones(0)).item())


def test_clip_inf_norm_is_quiet_and_matches_torch():
    def run(lib):
        p = lib.nn.Parameter(lib.ones(2))
        p.grad = lib.tensor([float("inf"), 4.0])
        return lib.nn.utils.clip_grad_norm_(p, 1.0).item(), p.grad.numpy()

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = run(mt)
    theirs = run(torch)
    assert ours[0] == theirs[0]
    np.testing.assert_array_equal(ours[1], theirs[1])


def test_clip_grads_with_norm_matches_torch():
    def run(lib):
        ps = [lib.nn.Parameter(lib.ones(2, 3)), lib.nn.Parameter(lib.ones(3))]
        for i, p in enumerate(ps):
            p.grad = lib.arange(p.numel(), dtype=lib.float32).reshape(p.shape) - i
        norm = lib.nn.utils.get_total_norm([p.grad for p in ps])
        lib.nn.utils.clip_grads_with_norm_(ps, 1.0, norm)
        lib.nn.utils.clip_grads_with_norm_(ps, 100.0, lib.tensor(0.5))  # never scales up
        return [p.grad.numpy() for p in ps]

    for a, b in zip(run(mt), run(torch), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_vector_to_parameters_too_short_raises_runtime_error():
    for lib in (mt, torch):
        ps = [lib.nn.Parameter(lib.ones(3)), lib.nn.Parameter(lib.ones(2, 4))]
        with pytest.raises(
            RuntimeError,
            match=r"shape '\[2, 4\]' is invalid for input of "
            r"size 4",
        ):
            lib.nn.utils.vector_to_parameters(lib.arange(7.0), ps)


@pytest.mark.parametrize("shape,groups", [((2, 2, 3), 1), ((4, 2, 3, 3), 2), ((3, 5, 1, 2, 3), 1)])
def test_dirac_matches_torch(shape, groups):
    ours = mt.nn.init.dirac_(mt.empty(*shape), groups).numpy()
    theirs = torch.nn.init.dirac_(torch.empty(*shape), groups).numpy()
    np.testing.assert_array_equal(ours, theirs)


def test_dirac_and_sparse_errors_and_sparsity():
    for lib in (mt, torch):
        with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions"):
            lib.nn.init.dirac_(lib.empty(2, 2))
        with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
            lib.nn.init.dirac_(lib.empty(3, 2, 3), groups=2)
        with pytest.raises(ValueError, match="Only tensors with 2 dimensions are supported"):
            lib.nn.init.sparse_(lib.empty(2, 2, 2), 0.5)
        w = lib.nn.init.sparse_(lib.empty(10, 4), 0.3, std=0.5)
        assert ((w == 0).sum(0) == 3).all()  # ceil(0.3 * 10) zeros in every column
