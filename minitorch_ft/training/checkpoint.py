"""Checkpoints: safetensors for every array, plain JSON for everything else. No pickle.

A checkpoint `tag` in a folder is three files, each written atomically:
`tag.safetensors` (the model's state_dict, usable as `model.init_from`),
`tag.optim.safetensors` (optimizer tensors keyed `param_name/state_key`) and `tag.json`
(trainer state, optimizer hyper-parameters and groups by parameter name, scheduler state,
random generator states, and the sha256 of the two array files). The JSON goes last, so a
JSON that exists always describes complete array files.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from typing import Any

import numpy as np
import safetensors.numpy

from ..autograd.tensor import Tensor
from . import atomic

FORMAT = "minitorch_ft.checkpoint"
FORMAT_VERSION = 1


class CheckpointError(ValueError):
    """A checkpoint file that cannot be used; the message names the file."""


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


def load_weights(path: str) -> dict[str, np.ndarray]:
    """Arrays from a safetensors file; anything else (pickle, truncated) is refused."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read: {exc.strerror}") from None
    if (
        data[:2] == b"\x80\x02"
        or data[:2] in (b"\x80\x03", b"\x80\x04", b"\x80\x05")
        or (data[:2] == b"PK")
    ):
        raise CheckpointError(
            f"{path}: looks like a pickle/zip (torch.save) file; only "
            "safetensors files are loaded, since unpickling can run code"
        )
    try:
        return dict(safetensors.numpy.load(data))
    except Exception as exc:  # safetensors raises its own error types for bad headers
        raise CheckpointError(f"{path}: not a valid safetensors file ({exc})") from None


# ----- optimizer and scheduler ------------------------------------------------------------------
def _jsonable(value: Any, where: str) -> Any:
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise CheckpointError(
                f"{where}: cannot store a tensor of shape {tuple(value.shape)} as JSON"
            )
        return value.item()
    if isinstance(value, (np.generic,)):
        return value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value)  # 'inf' / 'nan': JSON has no such numbers
    if isinstance(value, dict):
        return {str(k): _jsonable(v, f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise CheckpointError(f"{where}: cannot store a {type(value).__name__} in a checkpoint")


def optimizer_parts(optimizer) -> tuple[dict, dict[str, np.ndarray]]:
    """(JSON part, arrays) of an optimizer's state, with parameters referred to by name."""
    sd = optimizer.state_dict()
    names: dict[int, str] = {}
    groups = []
    for group in sd["param_groups"]:
        group_names = group.get("param_names") or [f"param{i}" for i in group["params"]]
        names.update(zip(group["params"], group_names, strict=True))
        hyper = {k: v for k, v in group.items() if k not in ("params", "param_names")}
        groups.append({**_jsonable(hyper, "param_groups"), "param_names": list(group_names)})
    arrays: dict[str, np.ndarray] = {}
    scalars: dict[str, dict] = {}
    for index, state in sd["state"].items():
        name = names[index]
        for key, value in state.items():
            if isinstance(value, Tensor):
                arrays[f"{name}/{key}"] = _contiguous(value._data)
            else:
                scalars.setdefault(name, {})[key] = _jsonable(value, f"state.{name}.{key}")
    return {"type": type(optimizer).__name__, "param_groups": groups, "scalars": scalars}, arrays


# ----- whole checkpoints ------------------------------------------------------------------------
def save(
    folder: str, tag: str, model, optimizer=None, scheduler=None, trainer_state: dict | None = None
) -> dict[str, str]:
    """Write checkpoint `tag` into `folder`; returns the paths written."""
    os.makedirs(folder, exist_ok=True)
    paths = {
        "weights": os.path.join(folder, f"{tag}.safetensors"),
        "json": os.path.join(folder, f"{tag}.json"),
    }
    digests = {
        "weights": save_weights(
            paths["weights"], model.state_dict(), {"format": "minitorch_ft.weights"}
        )
    }
    record: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "trainer": _jsonable(trainer_state or {}, "trainer"),
    }
    if optimizer is not None:
        opt_json, arrays = optimizer_parts(optimizer)
        paths["optimizer"] = os.path.join(folder, f"{tag}.optim.safetensors")
        data = safetensors.numpy.save(arrays, metadata={"format": "minitorch_ft.optimizer"})
        atomic.write_bytes(paths["optimizer"], data)
        digests["optimizer"] = hashlib.sha256(data).hexdigest()
        record["optimizer"] = opt_json
    if scheduler is not None:
        record["scheduler"] = {
            "type": type(scheduler).__name__,
            "state": _jsonable(scheduler.state_dict(), "scheduler"),
        }
    record["files"] = {k: os.path.basename(p) for k, p in paths.items() if k != "json"}
    record["sha256"] = digests
    atomic.write_json(paths["json"], record)
    return paths


def read(json_path: str) -> dict:
    """A checkpoint's JSON record, its weights and optimizer arrays, checked against sha256."""
    try:
        with open(json_path, encoding="utf-8") as f:
            record = json.load(f)
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"{json_path}: cannot read checkpoint state ({exc})") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise CheckpointError(f"{json_path}: not a minitorch_ft checkpoint state file")
    folder = os.path.dirname(json_path)
    out = {"record": record}
    for key in ("weights", "optimizer"):
        name = record.get("files", {}).get(key)
        if name is None:
            continue
        path = os.path.join(folder, name)
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest != record.get("sha256", {}).get(key):
            raise CheckpointError(
                f"{path}: does not match {os.path.basename(json_path)} "
                "(sha256 differs): the files come from different saves"
            )
        out[key] = load_weights(path)
    return out
