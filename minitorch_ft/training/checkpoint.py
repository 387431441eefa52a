"""Checkpoints: safetensors for every array, strict JSON for everything else, never pickled
objects.

A checkpoint `tag` in a folder is committed by one atomic write of `tag.json`: that record
names its array files (`tag.<token>.safetensors` for the model's state_dict and
`tag.<token>.optim.safetensors` for optimizer tensors keyed `param_name/state_key`) and
their sha256. The arrays are written first, under fresh names, so a crash at any moment
leaves the previous checkpoint whole: its JSON still names its own, untouched files.
After the commit, `tag.safetensors` is pointed at the new weights (usable as
`model.init_from`) and files no record names are removed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np
import safetensors.numpy

from ..autograd.tensor import Tensor
from . import atomic, jsonstate

FORMAT = "minitorch_ft.checkpoint"
FORMAT_VERSION = 2
MAX_JSON_BYTES = 256 * 2**20  # a state record is small; refuse to parse a huge file


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used; the message names the file."""


class CheckpointWriteError(OSError):
    """Writing a checkpoint failed (disk full, read-only folder); the previous one is intact."""


# ----- weights --------------------------------------------------------------------------------
def _contiguous(array: np.ndarray) -> np.ndarray:
    # not np.ascontiguousarray: it turns 0-d arrays (num_batches_tracked) into shape (1,)
    return array if array.flags.c_contiguous else array.copy(order="C")


def state_arrays(state_dict: dict) -> dict[str, np.ndarray]:
    """The arrays of a state_dict's tensors (contiguous, as safetensors needs)."""
    return {
        k: _contiguous(v._data if isinstance(v, Tensor) else np.asarray(v))
        for k, v in state_dict.items()
    }


def save_weights(path: str, state_dict: dict, metadata: dict[str, str] | None = None) -> str:
    """Write a state_dict as one safetensors file, atomically; returns its sha256."""
    data = safetensors.numpy.save(state_arrays(state_dict), metadata=metadata)
    atomic.write_bytes(path, data)
    return hashlib.sha256(data).hexdigest()


_PICKLE_MAGIC = (b"\x80\x02", b"\x80\x03", b"\x80\x04", b"\x80\x05")


def _looks_pickled(data: bytes) -> bool:
    """A pickled file (protocol 2+) or a zip such as torch.save writes: refused before parsing."""
    return data[:2] in _PICKLE_MAGIC or data[:2] == b"PK"


def parse_weights(data: bytes, path: str) -> dict[str, np.ndarray]:
    """Arrays from safetensors bytes; a pickled or zip (torch.save) file is refused unread."""
    if _looks_pickled(data):
        raise CheckpointError(
            f"{path}: looks like a pickled/zip (torch.save) file; only "
            "safetensors files are loaded, since unpickling can run code"
        )
    try:
        return dict(safetensors.numpy.load(data))
    except Exception as exc:  # safetensors raises its own error types for bad headers
        raise CheckpointError(f"{path}: not a valid safetensors file ({exc})") from None


def _read_bytes(path: str, what: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        raise CheckpointError(f"{path}: {what} not found") from None
    except IsADirectoryError:
        raise CheckpointError(f"{path}: is a directory, not a {what}") from None
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read: {exc.strerror}") from None


def load_weights(path: str) -> dict[str, np.ndarray]:
    """Arrays from a safetensors file; anything else (pickled, truncated) is refused."""
    return parse_weights(_read_bytes(path, "weights file"), path)


# ----- optimizer and scheduler ------------------------------------------------------------------
def optimizer_parts(optimizer, names: dict[int, str]) -> tuple[dict, dict[str, np.ndarray]]:
    """(JSON part, arrays) of an optimizer's state, parameters referred to by name.

    `names` maps id(parameter) -> its model name, for groups built without `param_names`.
    """
    sd = optimizer.state_dict()
    by_index: dict[int, str] = {}
    groups = []
    for group, live in zip(sd["param_groups"], optimizer.param_groups, strict=True):
        group_names = group.get("param_names") or [
            names.get(id(p), f"param{i}")
            for i, p in zip(group["params"], live["params"], strict=True)
        ]
        by_index.update(zip(group["params"], group_names, strict=True))
        hyper = {k: v for k, v in group.items() if k not in ("params", "param_names")}
        groups.append({**hyper, "param_names": list(group_names)})
    arrays: dict[str, np.ndarray] = {}
    scalars: dict[str, dict] = {}
    for index, state in sd["state"].items():
        name = by_index[index]
        for key, value in state.items():
            if isinstance(value, Tensor):
                arrays[f"{name}/{key}"] = _contiguous(value._data)
            else:
                scalars.setdefault(name, {})[key] = value
    return {"type": type(optimizer).__name__, "param_groups": groups, "scalars": scalars}, arrays


# ----- writing ------------------------------------------------------------------------------------
def _remove_temporaries(folder: str) -> None:
    """Temporary files a killed process left behind (atomic writes name them `.x.tmp`)."""
    for name in os.listdir(folder):
        if name.startswith(".") and name.endswith(".tmp"):
            with contextlib.suppress(OSError):
                os.remove(os.path.join(folder, name))


def _point(link: str, target: str) -> None:
    """Make `link` hold `target`'s bytes, atomically (a hard link; a copy where unsupported)."""
    tmp = os.path.join(os.path.dirname(link), f".{os.path.basename(link)}.{secrets.token_hex(4)}")
    try:
        os.link(target, tmp + ".tmp")
        os.replace(tmp + ".tmp", link)
    except OSError:
        with contextlib.suppress(OSError):
            os.remove(tmp + ".tmp")
        with open(target, "rb") as f:
            atomic.write_bytes(link, f.read())


def _prune(folder: str, tag: str, keep: set[str]) -> None:
    """Remove the array files of earlier saves of `tag` (those no record names any more)."""
    for name in os.listdir(folder):
        if name.startswith(f"{tag}.") and name.count(".") >= 2 and name not in keep:
            if name.endswith(".safetensors") and name != f"{tag}.safetensors":
                with contextlib.suppress(OSError):
                    os.remove(os.path.join(folder, name))


def save(
    folder: str,
    tag: str,
    model,
    optimizer=None,
    scheduler=None,
    trainer_state: dict | None = None,
) -> dict[str, str]:
    """Write checkpoint `tag` into `folder`; returns the paths written.

    Raises CheckpointWriteError (an OSError) if the disk is full or the folder read-only;
    the previous checkpoint `tag` is then left as it was.
    """
    from .. import __version__

    token = secrets.token_hex(4)
    files = {"weights": f"{tag}.{token}.safetensors"}
    blobs = {
        "weights": safetensors.numpy.save(
            state_arrays(model.state_dict()), metadata={"format": "minitorch_ft.weights"}
        )
    }
    record: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        "tag": tag,
        "trainer": dict(trainer_state or {}),
    }
    if optimizer is not None:
        names = {id(p): n for n, p in model.named_parameters()}
        record["optimizer"], arrays = optimizer_parts(optimizer, names)
        files["optimizer"] = f"{tag}.{token}.optim.safetensors"
        blobs["optimizer"] = safetensors.numpy.save(
            arrays, metadata={"format": "minitorch_ft.optimizer"}
        )
    if scheduler is not None:
        record["scheduler"] = {"type": type(scheduler).__name__, "state": scheduler.state_dict()}
    record["files"] = files
    record["sha256"] = {k: hashlib.sha256(b).hexdigest() for k, b in blobs.items()}
    text = jsonstate.dumps(record)  # before any write: a value JSON cannot hold fails here
    json_path = os.path.join(folder, f"{tag}.json")
    written: list[str] = []
    try:
        os.makedirs(folder, exist_ok=True)
        _remove_temporaries(folder)
        for key, name in files.items():
            path = os.path.join(folder, name)
            atomic.write_bytes(path, blobs[key])
            written.append(path)
        atomic.write_text(json_path, text)  # the commit point
    except OSError as exc:
        for path in written:  # never committed: nothing refers to them
            with contextlib.suppress(OSError):
                os.remove(path)
        raise CheckpointWriteError(exc.errno, exc.strerror, exc.filename) from None
    weights_link = os.path.join(folder, f"{tag}.safetensors")
    try:
        _point(weights_link, os.path.join(folder, files["weights"]))
    except OSError as exc:
        raise CheckpointWriteError(exc.errno, exc.strerror, weights_link) from None
    _prune(folder, tag, set(files.values()))
    return {"json": json_path, **{k: os.path.join(folder, v) for k, v in files.items()}}


# ----- reading ------------------------------------------------------------------------------------
@dataclass
class Checkpoint:
    """A checkpoint read back and verified: its record, weights and optimizer arrays."""

    path: str
    record: dict
    weights: dict[str, np.ndarray]
    optimizer_arrays: dict[str, np.ndarray] | None

    @property
    def trainer(self) -> dict:
        return self.record["trainer"]


def _load_record(json_path: str) -> dict:
    data = _read_bytes(json_path, "checkpoint file")
    if len(data) > MAX_JSON_BYTES:
        raise CheckpointError(f"{json_path}: too large for a checkpoint state file")
    if _looks_pickled(data):
        raise CheckpointError(
            f"{json_path}: looks like a pickled/zip (torch.save) file, not a checkpoint state "
            "file; it was not loaded, since unpickling can run code"
        )
    try:
        record = jsonstate.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise CheckpointError(
            f"{json_path}: not a checkpoint state file (not UTF-8 text)"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise CheckpointError(f"{json_path}: not a valid checkpoint state file ({exc})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise CheckpointError(f"{json_path}: not a minitorch_ft checkpoint state file")
    version = record.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise CheckpointError(
            f"{json_path}: checkpoint format version {version!r} is not supported "
            f"(this library reads 1 to {FORMAT_VERSION})"
        )
    for key in ("trainer", "files", "sha256"):
        if not isinstance(record.get(key), dict):
            raise CheckpointError(f"{json_path}: the checkpoint state has no valid {key!r} field")
    return record


def _array_file(json_path: str, record: dict, key: str) -> dict[str, np.ndarray] | None:
    name = record["files"].get(key)
    if name is None:
        return None
    if not isinstance(name, str) or os.path.basename(name) != name or name in ("", ".", ".."):
        raise CheckpointError(f"{json_path}: files.{key} must be a file name, got {name!r}")
    path = os.path.join(os.path.dirname(json_path), name)
    data = _read_bytes(path, f"{key} file of {os.path.basename(json_path)}")
    if hashlib.sha256(data).hexdigest() != record["sha256"].get(key):
        raise CheckpointError(
            f"{path}: does not match {os.path.basename(json_path)} "
            "(sha256 differs): the file was changed or comes from another save"
        )
    return parse_weights(data, path)


def read(json_path: str) -> Checkpoint:
    """A checkpoint's record and arrays, each array file checked against its sha256."""
    record = _load_record(json_path)
    weights = _array_file(json_path, record, "weights")
    if weights is None:
        raise CheckpointError(f"{json_path}: the checkpoint state names no weights file")
    return Checkpoint(json_path, record, weights, _array_file(json_path, record, "optimizer"))


def locate(path: str) -> str:
    """The checkpoint JSON behind `path`: a run directory (its `last`), a folder, or a file."""
    if os.path.isdir(path):
        for folder in (os.path.join(path, "checkpoints"), path):
            candidate = os.path.join(folder, "last.json")
            if os.path.isfile(candidate):
                return candidate
        raise CheckpointError(f"{path}: no checkpoint here (no checkpoints/last.json)")
    if path.endswith(".safetensors"):
        stem = os.path.basename(path).split(".")[0]
        sibling = os.path.join(os.path.dirname(path), f"{stem}.json")
        if os.path.isfile(sibling):
            return sibling
        raise CheckpointError(
            f"{path}: a weights file without its checkpoint state ({stem}.json): it can start a "
            "run (model.init_from) but not resume one"
        )
    if not os.path.exists(path):
        raise CheckpointError(f"{path}: checkpoint not found")
    return path


def weights_file(json_path: str) -> str:
    """The weights file a checkpoint JSON names (falls back to `tag.safetensors`)."""
    with contextlib.suppress(CheckpointError):
        name = _load_record(json_path)["files"].get("weights")
        if isinstance(name, str) and os.path.basename(name) == name:
            return os.path.join(os.path.dirname(json_path), name)
    return json_path[: -len(".json")] + ".safetensors"
