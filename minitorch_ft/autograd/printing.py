"""`repr(tensor)` in PyTorch 2.x's exact format, and `set_printoptions` to tune it.

One formatter per tensor decides int / fixed / scientific notation and a common width from
the values that will be shown; rows wrap at `linewidth`; big tensors show edge items only.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from . import dtypes

_PROFILES = {
    "default": {"precision": 4, "threshold": 1000, "edgeitems": 3, "linewidth": 80},
    "short": {"precision": 2, "threshold": 1000, "edgeitems": 2, "linewidth": 80},
    "full": {"precision": 4, "threshold": math.inf, "edgeitems": 3, "linewidth": 80},
}


@dataclass
class _PrintOptions:
    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_OPTS = _PrintOptions()


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set how tensors print, like `torch.set_printoptions`.

    As in PyTorch, `sci_mode` is reset to None (automatic) unless given on every call.
    """
    if profile is not None:
        for name, value in _PROFILES[profile].items():
            setattr(_OPTS, name, value)
    if precision is not None:
        _OPTS.precision = precision
    if threshold is not None:
        _OPTS.threshold = threshold
    if edgeitems is not None:
        _OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTS.linewidth = linewidth
    _OPTS.sci_mode = sci_mode


def get_printoptions() -> dict:
    """The current print options as a dict (torch._tensor_str.get_printoptions)."""
    return dict(vars(_OPTS))


@contextmanager
def printoptions(**kwargs):
    """Temporarily change print options inside a `with` block."""
    saved = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**saved)


class _Formatter:
    """Chooses the notation and the common width from the values to be shown."""

    def __init__(self, values: np.ndarray) -> None:
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for v in flat.tolist():
                self.width = max(self.width, len(str(v)))
            return
        finite = flat.astype(np.float64)
        finite = finite[np.isfinite(finite) & (finite != 0)].tolist()
        if not finite:
            return  # only zeros, nan and inf: PyTorch keeps "0." style and ignores sci_mode
        magnitudes = np.abs(finite)
        low, high = magnitudes.min(), magnitudes.max()
        with np.errstate(over="ignore"):
            spread = high / low
        self.int_mode = all(v == math.ceil(v) for v in finite)
        # PyTorch's rule: scientific when the spread or the magnitude hurts fixed notation.
        self.sci_mode = bool(
            spread > 1000.0 or high > 1.0e8 or (not self.int_mode and low < 1.0e-4)
        )
        if _OPTS.sci_mode is not None:
            self.sci_mode = _OPTS.sci_mode
        self.width = max(len(self.format(v).lstrip()) for v in finite)

    def format(self, value) -> str:
        if not self.floating:
            text = str(value)
        elif self.sci_mode:
            text = f"{value:{self.width}.{_OPTS.precision}e}"
        elif self.int_mode:
            text = f"{value:.0f}"
            if math.isfinite(value):
                text += "."
        else:
            text = f"{value:.{_OPTS.precision}f}"
        return text.rjust(self.width)


def _summarized(a: np.ndarray) -> np.ndarray:
    """Only the elements a summarized print shows (edge items along every dim)."""
    edge = _OPTS.edgeitems
    if a.ndim == 0:
        return a
    if a.ndim == 1:
        # a[-0:] is the whole row, so edgeitems=0 measures every value (as PyTorch does)
        return np.concatenate((a[:edge], a[-edge:])) if a.shape[0] > 2 * edge else a
    if not edge:
        return np.empty((0,) * a.ndim, a.dtype)
    rows = range(a.shape[0])
    if a.shape[0] > 2 * edge:
        rows = list(range(edge)) + list(range(a.shape[0] - edge, a.shape[0]))
    return np.stack([_summarized(a[i]) for i in rows])


def _vector_str(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    per_line = max(1, int(math.floor((_OPTS.linewidth - indent) / (fmt.width + 2))))
    edge = _OPTS.edgeitems
    if summarize and not edge:
        items = ["..."]
    elif summarize and a.shape[0] > 2 * edge:
        items = (
            [fmt.format(v) for v in a[:edge].tolist()]
            + [" ..."]
            + [fmt.format(v) for v in a[-edge:].tolist()]
        )
    else:
        items = [fmt.format(v) for v in a.tolist()]
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _body(a: np.ndarray, indent: int, summarize: bool, fmt: _Formatter) -> str:
    if a.ndim == 0:
        return fmt.format(a.item())
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, fmt)
    edge = _OPTS.edgeitems
    if summarize and a.shape[0] > 2 * edge:
        parts = (
            [_body(a[i], indent + 1, summarize, fmt) for i in range(edge)]
            + ["..."]
            + [
                _body(a[i], indent + 1, summarize, fmt)
                for i in range(a.shape[0] - edge, a.shape[0])
            ]
        )
    else:
        parts = [_body(a[i], indent + 1, summarize, fmt) for i in range(a.shape[0])]
    # 3-D and deeper: blank lines between blocks, one more per extra dimension
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(parts) + "]"


def _contents(a: np.ndarray, indent: int) -> str:
    if a.dtype == np.float16:
        a = a.astype(np.float32)
    summarize = a.size > _OPTS.threshold
    fmt = _Formatter(_summarized(a) if summarize else a)
    return _body(a, indent, summarize, fmt)


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    # PyTorch measures the last line with an off-by-two (+1 after rfind); kept for parity.
    last_line_len = len(text) - text.rfind("\n") + 1
    pieces = [text]
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > _OPTS.linewidth:
            pieces.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            pieces.append(", " + suffix)
            last_line_len += len(suffix) + 2
    pieces.append(")")
    return "".join(pieces)


def tensor_repr(t) -> str:
    """`repr(t)` exactly as PyTorch 2.x prints it, suffixes (dtype, grad) included."""
    prefix = "tensor("
    indent = len(prefix)
    a = t._data
    dtype = dtypes.from_numpy_dtype(a.dtype)
    default = dtypes.get_default_dtype()
    suffixes = []
    if a.size == 0:
        # numpy's convention: the shape is shown unless it is (0,)
        if a.ndim != 1:
            suffixes.append(f"size={tuple(a.shape)}")
        if dtype is not default:
            suffixes.append(f"dtype={dtype!r}")
        body = "[]"
    else:
        if not _OPTS.edgeitems:
            suffixes.append(f"size={tuple(a.shape)}")
        if dtype not in (default, dtypes.int64, dtypes.bool_):
            suffixes.append(f"dtype={dtype!r}")
        body = _contents(a, indent)
    if t.grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(t.grad_fn).__name__}>")
    elif t._requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
