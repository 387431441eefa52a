"""`save` / `load`: tensors (and checkpoint trees around them) as safetensors, never pickled objects.

A flat dict of tensors (a state_dict) is stored key for key, so the file loads into PyTorch
with `safetensors.torch.load_file`, and one written by PyTorch loads here. Anything else
torch's `weights_only` loader accepts - a tensor, or nested dicts/lists/tuples of tensors,
numbers, strings, bools and None (e.g. {"model": sd, "optimizer": opt.state_dict(),
"epoch": 3}) - is stored as numbered tensors plus a JSON outline in the metadata.

Shared tensors: PyTorch's safetensors refuses tensors that share memory; here each key of a
flat dict gets its own copy (loaded back as independent tensors), and inside a tree the same
Tensor object is stored once and loaded back as one object in every place it appeared.
Loading never runs code. Writes are atomic (temp file in the same directory, fsync, rename),
so a crash leaves either the old file or the new one, never half of one.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import OrderedDict
from collections.abc import Mapping

import numpy as np
import safetensors.numpy
from safetensors import safe_open

from .autograd.tensor import Tensor

_KEYS = "minitorch_ft.keys"  # JSON list: the dict's key order (safetensors sorts keys)
_TREE = "minitorch_ft.tree"  # JSON outline of a non-flat object; tensors by array name
_GRAD = "minitorch_ft.grad"  # JSON {key: [is_parameter, requires_grad]} of a flat dict


class SerializationError(RuntimeError):
    """A file that is missing pieces or is not safetensors at all; names the file."""


def _arrays(obj) -> dict:
    if not isinstance(obj, Mapping):
        raise TypeError(
            "minitorch_ft.save stores a flat dict of tensors (e.g. model.state_dict()), "
            f"got {type(obj).__name__}"
        )
    arrays = {}
    for key, value in obj.items():
        if not isinstance(key, str):
            raise TypeError(f"minitorch_ft.save: keys must be strings, got {key!r}")
        if not isinstance(value, Tensor):
            raise TypeError(
                f"minitorch_ft.save: value for key '{key}' is a {type(value).__name__}, not a "
                "Tensor; only flat dicts of tensors can be saved (put other values in metadata)"
            )
        data = value._data  # (np.ascontiguousarray would turn 0-d arrays into 1-d ones)
        arrays[key] = data if data.flags.c_contiguous else data.copy(order="C")
    return arrays


def _metadata(obj: Mapping, metadata: Mapping | None) -> dict:
    result = {}
    for key, value in (metadata or {}).items():
        if not isinstance(key, str) or not isinstance(value, str):
            raise TypeError(
                f"minitorch_ft.save: metadata must map str to str, got {key!r}: "
                f"{type(value).__name__}"
            )
        if key.startswith("minitorch_ft."):
            raise ValueError(f"metadata key '{key}' uses the reserved prefix 'minitorch_ft.'")
        result[key] = value
    result[_KEYS] = json.dumps(list(obj.keys()))
    flags = {
        k: [type(v).__name__ == "Parameter", v.requires_grad]
        for k, v in obj.items()
        if v.requires_grad or type(v).__name__ == "Parameter"
    }
    if flags:  # as torch.load: Parameters and requires_grad survive (state_dicts have none)
        result[_GRAD] = json.dumps(flags)
    return result


def save(obj, f, metadata: Mapping[str, str] | None = None, **_pickle_options) -> None:
    """Write a state_dict (or a tensor, or a checkpoint dict/list of them) to `f`.

    `f` is a path or a writable binary file object; `metadata` is optional str -> str.
    torch.save's serializer options (pickle_protocol, ...) are accepted and ignored.
    """
    if _is_flat(obj):
        arrays = _arrays(obj)
        meta = _metadata(obj, metadata)
    else:
        arrays = {}
        outline = _encode(obj, arrays, {}, "obj")
        meta = _metadata({}, metadata)
        del meta[_KEYS]
        meta[_TREE] = json.dumps(outline)
    if hasattr(f, "write"):
        f.write(safetensors.numpy.save(arrays, metadata=meta))
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):  # torch's text; else the error would name the temp file
        raise RuntimeError(f"Parent directory {os.path.dirname(path) or directory} does not exist.")
    if os.path.isdir(path):
        raise RuntimeError(f"cannot save to '{path}': it is a directory")
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".safetensors", dir=directory)
    os.close(fd)
    try:
        safetensors.numpy.save_file(arrays, tmp, metadata=meta)
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _read(f) -> tuple[dict, dict]:
    """(arrays, metadata) from a path or a readable binary file object."""
    if hasattr(f, "read"):
        name, data = getattr(f, "name", "<file object>"), f.read()
    else:
        name, data = os.fspath(f), None
        if not os.path.isfile(name):
            raise FileNotFoundError(f"[Errno 2] No such file or directory: '{name}'")
    try:
        if data is None:
            arrays = safetensors.numpy.load_file(name)
            with safe_open(name, framework="np") as handle:
                metadata = handle.metadata() or {}
        else:
            arrays = {k: np.array(v, copy=True) for k, v in safetensors.numpy.load(data).items()}
            header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
            metadata = header.get("__metadata__") or {}
    except Exception as err:
        _check_dtypes(name, data)  # a valid file with a dtype numpy lacks (bf16, fp8)
        raise SerializationError(
            f"could not load '{name}': not a valid safetensors file ({err})"
        ) from err
    if any(a.dtype not in _SUPPORTED for a in arrays.values()):
        _check_dtypes(name, data)  # e.g. U16/U32/U64, which numpy reads but Tensor lacks
    return arrays, metadata


_SUPPORTED = {
    np.dtype(t) for t in (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8)
} | {np.dtype(np.uint8), np.dtype(np.bool_)}
_SUPPORTED_CODES = ("F64", "F32", "F16", "I64", "I32", "I16", "I8", "U8", "BOOL")


def _check_dtypes(name: str, data: bytes | None) -> None:
    """Name the first tensor whose safetensors dtype minitorch_ft cannot hold, if any."""
    try:
        if data is None:
            with open(name, "rb") as handle:
                head = handle.read(8)
                header = json.loads(handle.read(int.from_bytes(head, "little")))
        else:
            header = json.loads(data[8 : 8 + int.from_bytes(data[:8], "little")])
        bad = next(
            (k, v["dtype"])
            for k, v in header.items()
            if k != "__metadata__" and v.get("dtype") not in _SUPPORTED_CODES
        )
    except Exception:  # not a readable header, or every dtype is supported
        return
    raise SerializationError(
        f"could not load '{name}': tensor '{bad[0]}' has dtype {bad[1]}, which minitorch_ft "
        f"does not support (supported: {', '.join(_SUPPORTED_CODES)}); convert it in PyTorch "
        "first, e.g. to float32"
    )


def load(f, map_location=None, *, weights_only: bool | None = None, mmap=None, **kwargs):
    """Read a file from `save`: a flat dict comes back as an OrderedDict in the saved key
    order (as does any safetensors file), other objects as they were saved.

    `map_location` is accepted for compatibility (everything lives on the CPU).
    """
    arrays, metadata = _read(f)
    if _TREE in metadata:
        return _decode(json.loads(metadata[_TREE]), arrays, {})
    # a foreign file keeps the order safetensors.torch.load_file gives (the file's own)
    order = json.loads(metadata[_KEYS]) if _KEYS in metadata else list(arrays)
    order = [k for k in order if k in arrays] + [k for k in arrays if k not in order]
    flags = json.loads(metadata.get(_GRAD, "{}"))
    return OrderedDict(
        (k, _restore(Tensor._wrap(_writable(arrays[k])), *flags.get(k, (False, False))))
        for k in order
    )


def _restore(tensor: Tensor, parameter: bool, requires_grad: bool) -> Tensor:
    """The tensor as saved: a Parameter again, or a leaf that requires grad."""
    if parameter:
        from .nn.parameter import Parameter

        return Parameter(tensor, requires_grad=requires_grad)
    return tensor.requires_grad_(True) if requires_grad else tensor


def _writable(array: np.ndarray) -> np.ndarray:
    return array if array.flags.writeable else array.copy()


def load_metadata(f) -> dict:
    """The user metadata (str -> str) stored with `save(..., metadata=...)`."""
    _, metadata = _read(f)
    return {k: v for k, v in metadata.items() if not k.startswith("minitorch_ft.")}


def _is_flat(obj) -> bool:
    return isinstance(obj, Mapping) and all(
        isinstance(k, str) and isinstance(v, Tensor) for k, v in obj.items()
    )


def _encode(obj, arrays: dict, seen: dict, path: str):
    """A JSON-able outline of obj; tensors go into arrays under "0", "1", ... once each."""
    if isinstance(obj, (np.integer, np.floating, np.bool_)):  # numpy scalars: plain numbers
        return obj.item()
    if obj is None or isinstance(obj, (bool, int, float, str)):
        return obj
    if isinstance(obj, Tensor):
        if id(obj) not in seen:
            seen[id(obj)] = str(len(arrays))
            arrays[seen[id(obj)]] = _arrays({"": obj})[""]
        return {
            "$tensor": seen[id(obj)],
            "requires_grad": obj.requires_grad,
            "parameter": type(obj).__name__ == "Parameter",
        }
    if isinstance(obj, Mapping):
        items = [
            [_encode(k, arrays, seen, f"{path} key"), _encode(v, arrays, seen, f"{path}[{k!r}]")]
            for k, v in obj.items()
        ]
        return {"$dict": items, "ordered": isinstance(obj, OrderedDict)}
    if isinstance(obj, (list, tuple)):
        tag = "$list" if isinstance(obj, list) else "$tuple"
        return {tag: [_encode(v, arrays, seen, f"{path}[{i}]") for i, v in enumerate(obj)]}
    raise TypeError(
        f"minitorch_ft.save: {path} is a {type(obj).__name__}; only tensors and dicts, lists "
        "and tuples of tensors, numbers, strings, bools and None can be saved (nothing is pickled); "
        "save model.state_dict() rather than the model"
    )


def _decode(node, arrays: dict, made: dict):
    if not isinstance(node, dict):
        return node
    if "$tensor" in node:
        key = node["$tensor"]
        if key not in made:
            tensor = Tensor._wrap(_writable(arrays[key]))
            made[key] = _restore(
                tensor,
                node.get("parameter", False),
                node.get("requires_grad", node.get("parameter", False)),
            )
        return made[key]
    if "$dict" in node:
        pairs = ((_decode(k, arrays, made), _decode(v, arrays, made)) for k, v in node["$dict"])
        return OrderedDict(pairs) if node.get("ordered") else dict(pairs)
    if "$list" in node:
        return [_decode(v, arrays, made) for v in node["$list"]]
    return tuple(_decode(v, arrays, made) for v in node["$tuple"])
