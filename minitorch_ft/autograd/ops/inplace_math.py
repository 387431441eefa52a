"""In-place forms of the less common pointwise ops (`acos_`, `logit_`, `eq_`, `bitwise_and_`...).

Each computes the out-of-place op and copies the result in through `apply_inplace`, so the
leaf, dtype, version and view rules are the same as for the hand-written fast ones.
"""

from __future__ import annotations

from ..tensor import Tensor
from . import comparison, elementwise  # noqa: F401 - attach the out-of-place methods used below
from .inplace import apply_inplace


def _via_out_of_place(fn):
    """An in-place form of fn: computed out of place, then written into self."""

    def inplace(self: Tensor, *args, **kwargs) -> Tensor:
        return apply_inplace(self, lambda t, *a: fn(t, *a, **kwargs), *args)

    inplace.__name__ = inplace.__qualname__ = f"{fn.__name__}_"
    inplace.__doc__ = f"In-place `{fn.__name__}`."
    return inplace


absolute_ = _via_out_of_place(Tensor.absolute)
acos_ = _via_out_of_place(Tensor.acos)
acosh_ = _via_out_of_place(Tensor.acosh)
asin_ = _via_out_of_place(Tensor.asin)
asinh_ = _via_out_of_place(Tensor.asinh)
atan_ = _via_out_of_place(Tensor.atan)
atanh_ = _via_out_of_place(Tensor.atanh)
atan2_ = _via_out_of_place(Tensor.atan2)
arccos_ = _via_out_of_place(Tensor.arccos)
arccosh_ = _via_out_of_place(Tensor.arccosh)
arcsin_ = _via_out_of_place(Tensor.arcsin)
arcsinh_ = _via_out_of_place(Tensor.arcsinh)
arctan_ = _via_out_of_place(Tensor.arctan)
arctan2_ = _via_out_of_place(Tensor.arctan2)
arctanh_ = _via_out_of_place(Tensor.arctanh)
bitwise_and_ = _via_out_of_place(Tensor.bitwise_and)
bitwise_or_ = _via_out_of_place(Tensor.bitwise_or)
bitwise_xor_ = _via_out_of_place(Tensor.bitwise_xor)
bitwise_not_ = _via_out_of_place(Tensor.bitwise_not)
copysign_ = _via_out_of_place(Tensor.copysign)
cosh_ = _via_out_of_place(Tensor.cosh)
sinh_ = _via_out_of_place(Tensor.sinh)
tan_ = _via_out_of_place(Tensor.tan)
erfc_ = _via_out_of_place(Tensor.erfc)
exp2_ = _via_out_of_place(Tensor.exp2)
fix_ = _via_out_of_place(Tensor.fix)
frac_ = _via_out_of_place(Tensor.frac)
hypot_ = _via_out_of_place(Tensor.hypot)
log10_ = _via_out_of_place(Tensor.log10)
log2_ = _via_out_of_place(Tensor.log2)
logical_and_ = _via_out_of_place(Tensor.logical_and)
logical_or_ = _via_out_of_place(Tensor.logical_or)
logical_xor_ = _via_out_of_place(Tensor.logical_xor)
logical_not_ = _via_out_of_place(Tensor.logical_not)
logit_ = _via_out_of_place(Tensor.logit)
nan_to_num_ = _via_out_of_place(Tensor.nan_to_num)
negative_ = _via_out_of_place(Tensor.negative)
sgn_ = _via_out_of_place(Tensor.sgn)
xlogy_ = _via_out_of_place(Tensor.xlogy)
eq_ = _via_out_of_place(Tensor.eq)
ne_ = _via_out_of_place(Tensor.ne)
lt_ = _via_out_of_place(Tensor.lt)
le_ = _via_out_of_place(Tensor.le)
gt_ = _via_out_of_place(Tensor.gt)
ge_ = _via_out_of_place(Tensor.ge)
greater_ = _via_out_of_place(Tensor.greater)
less_ = _via_out_of_place(Tensor.less)
greater_equal_ = _via_out_of_place(Tensor.greater_equal)
less_equal_ = _via_out_of_place(Tensor.less_equal)
not_equal_ = _via_out_of_place(Tensor.not_equal)
fmax_ = _via_out_of_place(Tensor.fmax)
fmin_ = _via_out_of_place(Tensor.fmin)

__all__ = [
    "absolute_",
    "acos_",
    "acosh_",
    "arccos_",
    "arccosh_",
    "arcsin_",
    "arcsinh_",
    "arctan2_",
    "arctan_",
    "arctanh_",
    "asin_",
    "asinh_",
    "atan2_",
    "atan_",
    "atanh_",
    "bitwise_and_",
    "bitwise_not_",
    "bitwise_or_",
    "bitwise_xor_",
    "cosh_",
    "eq_",
    "erfc_",
    "exp2_",
    "fix_",
    "fmax_",
    "fmin_",
    "frac_",
    "ge_",
    "greater_",
    "greater_equal_",
    "gt_",
    "hypot_",
    "le_",
    "less_",
    "less_equal_",
    "log10_",
    "log2_",
    "logical_and_",
    "logical_not_",
    "logical_or_",
    "logical_xor_",
    "logit_",
    "lt_",
    "nan_to_num_",
    "ne_",
    "negative_",
    "not_equal_",
    "sgn_",
    "sinh_",
    "tan_",
    "xlogy_",
    "copysign_",
]

for _name in __all__:
    setattr(Tensor, _name, globals()[_name])
