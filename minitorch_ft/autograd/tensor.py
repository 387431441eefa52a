"""The Tensor: a numpy array plus the autograd metadata PyTorch keeps beside it.

Ops live in `autograd/ops/` and attach their methods to Tensor; this file holds only state
and the autograd entry points (`backward`, `detach`, hooks). Conversions to numpy and Python
values are in `tensor_conversions.py`, device and layout queries in `tensor_layout.py`.
"""

from __future__ import annotations

import warnings
import weakref
from collections import OrderedDict

import numpy as np

from . import dtypes, grad_mode
from .hooks import RemovableHandle
from .size import Size, device  # noqa: F401 - re-exported (minitorch_ft.device)
from .tensor_conversions import TensorConversions
from .tensor_layout import TensorLayout


class VersionCounter:
    """Counts in-place changes to an array; shared by a tensor and its views (as PyTorch).

    A tensor holds it as `_version_counter`; `t._version` reads its value, as torch's int.
    """

    # A class default instead of __init__: every new tensor makes one, and a counter only
    # gets its own `value` on its first in-place change (no Python call per tensor).
    value = 0


class InferenceCounter(VersionCounter):
    """The counter of an inference tensor (made under `inference_mode()`), which marks it.

    torch keeps no version for these: the value stays 0, and an in-place change outside
    inference mode is refused here, where every in-place path bumps the counter.
    """

    @property
    def value(self) -> int:
        return 0

    @value.setter
    def value(self, _) -> None:
        if not _grad_state.inference:
            raise RuntimeError(INFERENCE_INPLACE_ERROR)


INFERENCE_INPLACE_ERROR = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a "
    "clone to get a normal tensor before doing inplace update.See "
    "https://github.com/pytorch/rfcs/pull/17 for more details."
)
INFERENCE_SAVED_ERROR = (
    "Inference tensors cannot be saved for backward. Please do not use Tensors created in "
    "inference mode in computation tracked by autograd. To work around this, you can make a "
    "clone to get a normal tensor and use it in autograd, or use `torch.no_grad()` instead of "
    "`torch.inference_mode()`."
)
_grad_state = grad_mode._state
_inference_users = grad_mode.inference_users  # see grad_mode.in_inference_mode


class Tensor(TensorConversions, TensorLayout):
    """A numpy-backed tensor with PyTorch's autograd semantics."""

    __slots__ = (
        "_data",
        "_requires_grad",
        "grad_fn",
        "_version_counter",
        "__weakref__",
        "__dict__",
    )
    __array_priority__ = 1000  # numpy defers `ndarray * Tensor` to Tensor.__rmul__
    _base = None  # for a view: the tensor whose memory it shows (set by view ops)
    _views = None  # for a non-leaf base: weak references to its recorded views
    # Rarely set state lives in class defaults, so creating a tensor (every op does) sets
    # only the four slots above.
    _grad = None
    _accumulator = None  # the leaf's AccumulateGrad node, made on first use
    _retains_grad = False
    _hooks = None
    _post_accumulate_hooks = None

    def __init__(self, *args, requires_grad: bool = False) -> None:
        """`torch.Tensor(data)` or the legacy `torch.Tensor(*sizes)`: a default-dtype tensor."""
        data = args[0] if len(args) == 1 else None
        if isinstance(data, Size) or (args and all(type(a) is int for a in args)):
            sizes = tuple(data) if isinstance(data, Size) else args  # zeros, torch's are unset
            array = np.zeros(sizes, dtypes.get_default_dtype().np)
        elif len(args) > 1:
            pos = next(i for i, a in enumerate(args) if type(a) is not int)
            raise TypeError(
                f"new(): argument 'size' failed to unpack the object at pos {pos + 1} with error "
                f'"type must be tuple of ints,but got {type(args[pos]).__name__}"'
            )
        elif isinstance(data, (float, bool)):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        else:
            array = (
                np.empty(0, dtypes.get_default_dtype().np)
                if data is None
                else np.array(
                    data._data if isinstance(data, Tensor) else data,
                    dtype=dtypes.get_default_dtype().np,
                )
            )
        self._init(array, False, None, None)
        if requires_grad:
            self.requires_grad = True

    def _init(self, array, requires_grad, grad_fn, version) -> None:
        self._data = array
        self._requires_grad = requires_grad
        self.grad_fn = grad_fn
        if version is None:
            inference = _inference_users.count and _grad_state.inference
            version = InferenceCounter() if inference else VersionCounter()
        self._version_counter = version

    @classmethod
    def _wrap(cls, array, requires_grad=False, grad_fn=None, version=None) -> Tensor:
        """Internal constructor: adopt an ndarray without copying."""
        t = object.__new__(cls)
        if type(array) is not np.ndarray:
            array = np.asarray(array)
        t._data = array
        t._requires_grad = requires_grad
        t.grad_fn = grad_fn
        if version is None:  # a new tensor; one made under inference_mode is an inference one
            inference = _inference_users.count and _grad_state.inference
            version = InferenceCounter() if inference else VersionCounter()
        t._version_counter = version
        return t

    # ----- metadata -------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    @property
    def dtype(self) -> dtypes.dtype:
        return dtypes.from_numpy_dtype(self._data.dtype)

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def dim(self) -> int:
        return self._data.ndim

    def size(self, dim: int | None = None):
        if dim is None:
            return Size(self._data.shape)
        if self._data.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    def numel(self) -> int:
        return self._data.size

    nelement = numel

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def stride(self, dim: int | None = None):
        strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_wrap_dim(dim, self._data.ndim)]

    # ----- autograd state -------------------------------------------------------------
    @property
    def _version(self) -> int:
        """How many in-place changes this tensor's memory has seen (torch's int)."""
        counter = self._version_counter
        if counter.__class__ is InferenceCounter:
            raise RuntimeError("Inference tensors do not track version counter.")
        return counter.value

    def is_inference(self) -> bool:
        """True for a tensor made under `inference_mode()` (or a view of one)."""
        return self._version_counter.__class__ is InferenceCounter

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag: bool) -> None:
        if type(flag) is not bool:
            raise RuntimeError("requires_grad must be a bool")
        if self.grad_fn is not None:
            if flag:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use "
                "a computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if flag and self._data.dtype.kind != "f":
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients"
            )
        if flag and self.is_inference() and not _grad_state.inference:
            raise RuntimeError(
                "Setting requires_grad=True on inference tensor outside InferenceMode is not "
                "allowed."
            )
        self._requires_grad = bool(flag)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        if type(requires_grad) is not bool:
            raise TypeError(
                "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                f"{type(requires_grad).__name__}"
            )
        if requires_grad and self._data.dtype.kind != "f":
            # torch words this one differently from the setter's error
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        return self.grad_fn is None

    @property
    def grad(self) -> Tensor | None:
        if self.grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(
                "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. "
                "Its .grad attribute won't be populated during autograd.backward(). If you "
                "indeed want the .grad field to be populated for a non-leaf Tensor, use "
                ".retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by "
                "mistake, make sure you access the leaf Tensor instead. See "
                "github.com/pytorch/pytorch/pull/30531 for more information.",
                UserWarning,
                stacklevel=2,
            )
        return self._grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    f"assigned grad expected to be a Tensor or None but got grad of type {type(value).__name__}"
                )
            if value._data.dtype != self._data.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{dtypes.CPP_TYPE_NAMES[value.dtype.name]}'"
                    f" to a tensor with grad_dtype '{dtypes.SCALAR_TYPE_NAMES[self.dtype.name]}'. The "
                    "gradient must match the tensor's grad_dtype (defaults to the tensor's "
                    "dtype). You can set the tensor's grad_dtype attribute with a specific "
                    "dtype, or None to allow any dtype. Set grad_dtype with caution. Diverging "
                    "the dtypes of a tensor and its gradient may break downstream systems that "
                    "assume they match."
                )
            if value.shape != self.shape:
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a tensor "
                    f"of size '{list(self.shape)}'. Please ensure that the gradient and the "
                    "tensor are the same size"
                )
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self) -> None:
        """Keep `.grad` for this non-leaf tensor after backward (a no-op on leaves)."""
        if self.grad_fn is None:
            if not self._requires_grad:
                raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
            return
        if not self._retains_grad:
            self._retains_grad = True
            self.grad_fn._retained = weakref.ref(self)

    def register_hook(self, hook):
        """Call `hook(grad)` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            node = self.grad_fn
            if node._pre_hooks is None:
                node._pre_hooks = OrderedDict()
            hooks = node._pre_hooks
        else:
            if self._hooks is None:
                self._hooks = OrderedDict()
            hooks = self._hooks
        return RemovableHandle.add(hooks, _TensorHook(hook, self._data.dtype))

    def register_post_accumulate_grad_hook(self, hook):
        """Call `hook(tensor)` after a gradient was accumulated into this leaf's `.grad`."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._post_accumulate_hooks is None:
            self._post_accumulate_hooks = OrderedDict()
        return RemovableHandle.add(self._post_accumulate_hooks, hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into each leaf's `.grad`, like `Tensor.backward`."""
        _engine().backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def detach(self) -> Tensor:
        """A tensor sharing data (and version counter) with self, outside the graph."""
        return Tensor._wrap(self._data, False, None, self._version_counter)

    def detach_(self) -> Tensor:
        if self._base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set "
                "as True, gradients are views of DDP buckets, and hence detach_() cannot be "
                "called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self.grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """A tensor sharing storage with self but never tracked (PyTorch's `.data`).

        It has its own version counter, of self's kind (an inference tensor's is one too)."""
        return Tensor._wrap(self._data, False, None, self._version_counter.__class__())

    @data.setter
    def data(self, value: Tensor) -> None:
        if self._requires_grad and np.asarray(getattr(value, "_data", value)).dtype.kind != "f":
            raise RuntimeError(
                "data set to a tensor that requires gradients must be floating "
                "point or complex dtype"
            )
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    # ----- printing and copying -------------------------------------------------------
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        from .printing import tensor_repr

        return tensor_repr(self)

    def __format__(self, spec: str) -> str:
        # As torch: a plain 0-d tensor formats as its Python number (f"{lr}" -> 0.01...);
        # other tensors only with an empty spec.
        if self._data.ndim == 0 and type(self) is Tensor:
            return format(self.item(), spec)
        if spec:
            raise TypeError("unsupported format string passed to Tensor.__format__")
        return repr(self)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """copy.deepcopy of a leaf: new data, same requires_grad, grad and attributes copied."""
        if self.grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may "
                "be because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        if id(self) in memo:
            return memo[id(self)]
        import copy

        new = object.__new__(type(self))
        new._init(self._data.copy(), self._requires_grad, None, None)
        memo[id(self)] = new
        for key, value in self.__dict__.items():
            if key not in ("_accumulator", "_hooks", "_base", "_views"):
                new.__dict__[key] = copy.deepcopy(value, memo)
        return new

    def __reduce_ex__(self, protocol):
        raise TypeError(
            "minitorch_ft tensors are not picklable: use minitorch_ft.save (safetensors)"
        )


class _TensorHook:
    """Adapts a user hook on Tensors to the engine's arrays."""

    __slots__ = ("hook", "dtype")

    def __init__(self, hook, dtype: np.dtype) -> None:
        self.hook = hook
        self.dtype = dtype

    def __call__(self, grad: np.ndarray):
        if grad.dtype != self.dtype:  # mixed-dtype graphs: the hook sees the tensor's dtype
            grad = grad.astype(self.dtype)
        result = self.hook(Tensor._wrap(grad))
        if result is None:
            return None
        check_hook_result(self.hook, result, grad)
        return result._data


def check_hook_result(hook, result, grad: np.ndarray) -> None:
    """A gradient returned by a hook must be a Tensor of the same dtype and size (torch's
    checks, in torch's order and words)."""
    if not isinstance(result, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    name = getattr(hook, "__name__", "<unknown>")
    if result._data.dtype != grad.dtype:
        was = dtypes.TENSOR_TYPE_NAMES.get(grad.dtype.name, grad.dtype.name)
        got = dtypes.TENSOR_TYPE_NAMES.get(result._data.dtype.name, result._data.dtype.name)
        raise RuntimeError(
            f"hook '{name}' has changed the type of value (was torch.{was} got torch.{got})"
        )
    if result._data.shape != grad.shape:
        raise RuntimeError(f"hook '{name}' has changed the size of value")


def _engine():
    """The engine module (imported late: it imports this one); cached after the first call."""
    global _ENGINE
    if _ENGINE is None:
        from . import engine

        _ENGINE = engine
    return _ENGINE


_ENGINE = None


def typename(obj) -> str:
    """`torch.typename`: 'torch.FloatTensor' for tensors, else the qualified class name."""
    if isinstance(obj, Tensor):
        return "torch." + dtypes.TENSOR_TYPE_NAMES.get(obj._data.dtype.name, "Tensor")
    module = getattr(obj, "__module__", "") or ""
    if hasattr(obj, "__qualname__"):
        qualname = obj.__qualname__
    elif hasattr(obj, "__name__"):
        qualname = obj.__name__
    else:
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


def _wrap_dim(dim: int, ndim: int) -> int:
    """Normalise a possibly negative dim, with PyTorch's IndexError text when out of range."""
    n = max(ndim, 1)
    if not -n <= dim < n:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {dim})"
        )
    return dim % n
