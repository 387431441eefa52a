"""`save` / `load`: flat dicts of tensors as safetensors files, never pickle.

A file written here loads into PyTorch with `safetensors.torch.load_file`, and one
written by PyTorch loads here: the same keys, shapes and dtypes. Loading never runs code.
Writes are atomic (temp file in the same directory, fsync, rename), so a crash leaves
either the old file or the new one, never half of one.
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
    return result


def save(obj: Mapping[str, Tensor], f, metadata: Mapping[str, str] | None = None,
         **_pickle_options) -> None:
    """Write a flat dict of tensors (a state_dict) to `f` as safetensors.

    `f` is a path or a writable binary file object; `metadata` is optional str -> str.
    torch.save's pickle options (pickle_protocol, ...) are accepted and ignored.
    """
    arrays = _arrays(obj)
    meta = _metadata(obj, metadata)
    if hasattr(f, "write"):
        f.write(safetensors.numpy.save(arrays, metadata=meta))
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
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
            header = json.loads(data[8:8 + int.from_bytes(data[:8], "little")])
            metadata = header.get("__metadata__") or {}
    except Exception as err:
        raise SerializationError(
            f"could not load '{name}': not a valid safetensors file ({err})"
        ) from err
    return arrays, metadata


def load(f, map_location=None, *, weights_only: bool | None = None, mmap=None,
         **kwargs) -> OrderedDict:
    """Read a safetensors file into an OrderedDict of tensors, in the saved key order.

    `map_location` is accepted for compatibility (everything lives on the CPU).
    """
    arrays, metadata = _read(f)
    order = json.loads(metadata[_KEYS]) if _KEYS in metadata else sorted(arrays)
    order = [k for k in order if k in arrays] + [k for k in sorted(arrays) if k not in order]
    return OrderedDict((k, Tensor._wrap(_writable(arrays[k]))) for k in order)


def _writable(array: np.ndarray) -> np.ndarray:
    return array if array.flags.writeable else array.copy()


def load_metadata(f) -> dict:
    """The user metadata (str -> str) stored with `save(..., metadata=...)`."""
    _, metadata = _read(f)
    return {k: v for k, v in metadata.items() if not k.startswith("minitorch_ft.")}
