"""In-place shape methods (`t_`, `transpose_`, `squeeze_`, `unsqueeze_`, `swapdims_`).

Each gives the tensor itself the shape and strides of the matching view (same memory, views
taken before keep theirs). As in PyTorch this counts as an in-place change: the version is
bumped, a leaf that requires grad is refused, and a recorded tensor takes a new grad_fn
whose name ends in a different number from the out-of-place op's (`TBackward1`).
"""

from __future__ import annotations

from ..tensor import Tensor, _wrap_dim
from .inplace import must_record
from .shape import SqueezeDims, Transpose, Unsqueeze


class TransposeInplace(Transpose):
    grad_fn_name = "TransposeBackward1"
    is_view = False  # the result is the input itself, not a new view of it


class TInplace(Transpose):
    grad_fn_name = "TBackward1"
    is_view = False


class UnsqueezeInplace(Unsqueeze):
    grad_fn_name = "UnsqueezeBackward1"
    is_view = False


class SqueezeAllInplace(SqueezeDims):
    grad_fn_name = "SqueezeBackward3"
    is_view = False


class SqueezeDimInplace(SqueezeDims):
    grad_fn_name = "SqueezeBackward4"
    is_view = False


class SqueezeDimsInplace(SqueezeDims):
    grad_fn_name = "SqueezeBackward5"
    is_view = False


def _restride(self: Tensor, op: type, *args, **kwargs) -> Tensor:
    """self <- op(self) as a view of self's own memory, recorded when self is in the graph."""
    must_record(self)  # raises torch's errors for a leaf (or a view of one) needing grad
    out = op.apply(self, *args, **kwargs)
    self._data = out._data
    if out.grad_fn is not None:
        self.grad_fn = out.grad_fn
    self._version_counter.value += 1
    return self


def transpose_(self: Tensor, dim0: int, dim1: int) -> Tensor:
    n = self.ndim
    return _restride(self, TransposeInplace, dim0=_wrap_dim(dim0, n), dim1=_wrap_dim(dim1, n))


def t_(self: Tensor) -> Tensor:
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _restride(self, TInplace, dim0=0, dim1=self.ndim - 1 if self.ndim else 0)


def unsqueeze_(self: Tensor, dim: int) -> Tensor:
    return _restride(self, UnsqueezeInplace, _wrap_dim(dim, self.ndim + 1))


def squeeze_(self: Tensor, dim=None) -> Tensor:
    if dim is None:
        return _restride(self, SqueezeAllInplace, tuple(range(self.ndim)))
    if isinstance(dim, (tuple, list)):
        dims = tuple(_wrap_dim(d, self.ndim) for d in dim)
        return _restride(self, SqueezeDimsInplace, dims)
    dims = (_wrap_dim(dim, self.ndim),) if self.ndim else ()
    return _restride(self, SqueezeDimInplace, dims)


Tensor.transpose_ = Tensor.swapdims_ = Tensor.swapaxes_ = transpose_
Tensor.t_ = t_
Tensor.unsqueeze_ = unsqueeze_
Tensor.squeeze_ = squeeze_
