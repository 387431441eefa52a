"""Bad checkpoint files: truncated, random, incomplete, another architecture, pickles.

Loading never runs code and never crashes: each gives exit 2 and a message naming the file.
A pickle that would create a marker file if it were ever unpickled proves the first point.
"""

import hashlib
import io
import json
import os
import pickle
import shutil
import uuid
import zipfile

import numpy as np
import pytest
import safetensors.numpy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minitorch_ft.training import cli
from minitorch_ft.training.checkpoint import CheckpointError, load_weights, read


class Evil:
    """Unpickling this runs `touch MARKER`."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def evil_pickles(marker):
    """A pickle of each protocol family, and a torch.save-style zip holding one."""
    payload = {p: pickle.dumps(Evil(marker), protocol=p) for p in (0, 2, 4, 5)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("archive/data.pkl", payload[2])
    payload["zip"] = buffer.getvalue()
    return payload


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trained(capsys, tiny, tmp_path):
    """A finished 3-epoch run of the tiny config; returns its folder."""
    assert run(capsys, "train", "-c", tiny, "-q", "--set", "trainer.epochs=3")[0] == 0
    return str(tmp_path / "run")


def record_of(folder):
    path = os.path.join(folder, "checkpoints", "last.json")
    with open(path) as f:
        return path, json.load(f)


def rewrite(folder, record=None, weights=None):
    """Replace the JSON record and/or the weights bytes (keeping the sha256 consistent)."""
    path, old = record_of(folder)
    record = record if record is not None else old
    if weights is not None:
        target = os.path.join(folder, "checkpoints", old["files"]["weights"])
        with open(target, "wb") as f:
            f.write(weights)
        record["sha256"]["weights"] = hashlib.sha256(weights).hexdigest()
    with open(path, "w") as f:
        json.dump(record, f)
    return path


def resume_fails(capsys, tiny, folder, *messages):
    code, out, err = run(capsys, "train", "-c", tiny, "--resume", folder)
    assert code == 2, (out, err)
    assert err.startswith("minitorch-ft: error: ") and "Traceback" not in err
    for message in messages:
        assert message in err, err
    return err


def test_truncated_and_random_files(capsys, tiny, trained, tmp_path):
    _, record = record_of(trained)
    weights = os.path.join(trained, "checkpoints", record["files"]["weights"])
    data = open(weights, "rb").read()
    open(weights, "wb").write(data[: len(data) // 3])
    resume_fails(capsys, tiny, trained, weights, "sha256 differs")
    rewrite(trained, weights=data[: len(data) // 3])  # consistent sha, still truncated
    resume_fails(capsys, tiny, trained, weights, "not a valid safetensors file")
    noise = np.random.default_rng(0).bytes(4096)
    rewrite(trained, weights=noise)
    resume_fails(capsys, tiny, trained, weights, "not a valid safetensors file")
    json_path, _ = record_of(trained)
    open(json_path, "wb").write(noise)
    resume_fails(capsys, tiny, trained, json_path, "not a checkpoint state file")
    open(json_path, "w").write('{"format": "minitorch_ft.checkpoint", "format_version": 2, ')
    resume_fails(capsys, tiny, trained, json_path, "not a valid checkpoint state file")
    open(json_path, "w").write("[]")
    resume_fails(capsys, tiny, trained, json_path, "not a minitorch_ft checkpoint state file")
    os.remove(weights)
    open(json_path, "w").write(json.dumps(record))
    resume_fails(capsys, tiny, trained, "weights file of last.json not found")


@pytest.mark.parametrize(
    "edit,message",
    [
        (lambda r: r.pop("files"), "the checkpoint state has no valid 'files' field"),
        (lambda r: r.pop("trainer"), "the checkpoint state has no valid 'trainer' field"),
        (lambda r: r.pop("format_version"), "checkpoint format version None is not supported"),
        (lambda r: r.update(format_version=99), "format version 99 is not supported"),
        (
            lambda r: r["trainer"].pop("epoch"),
            "trainer.epoch: expected an integer >= 0, got nothing",
        ),
        (
            lambda r: r["trainer"].pop("global_step"),
            "trainer.global_step: expected an integer >= 0",
        ),
        (
            lambda r: r["trainer"].pop("history"),
            "trainer.history: expected a list of epoch records, got nothing",
        ),
        (
            lambda r: r["trainer"].pop("rng"),
            "trainer.rng: expected a dict of generator states, got nothing",
        ),
        (
            lambda r: r["trainer"].pop("frozen"),
            "trainer.frozen: expected a list of parameter names, got nothing",
        ),
        (
            lambda r: r["trainer"].update(epoch="3"),
            "trainer.epoch: expected an integer >= 0, got str '3'",
        ),
        (
            lambda r: r["trainer"].update(epoch=-1),
            "trainer.epoch: expected an integer >= 0, got int -1",
        ),
        (lambda r: r["trainer"]["rng"].pop("global"), "trainer.rng.global"),
        (
            lambda r: r["trainer"].update(position={"epoch": 1}),
            "trainer.position.batch: expected an integer >= 1, got nothing",
        ),
        (lambda r: r.pop("optimizer"), "the checkpoint holds no optimizer state"),
        (lambda r: r["files"].update(weights="../../x"), "files.weights must be a file name"),
        (lambda r: r["sha256"].update(weights="0" * 64), "sha256 differs"),
        (lambda r: r["files"].update(optimizer="gone.safetensors"), "optimizer file of last.json"),
        (lambda r: r["trainer"]["rng"]["global"].update(state=7), "not a usable generator state"),
        (lambda r: r["trainer"]["history"].append(3), "trainer.history[3]: expected an epoch"),
        (lambda r: r["trainer"].update(best={"value": "x"}), "trainer.best.value"),
        (lambda r: r["optimizer"]["param_groups"][0].update(lr="fast"), "param_groups[0].lr"),
        (lambda r: r["optimizer"]["param_groups"][1].pop("eps"), "param_groups[1].eps"),
        (lambda r: r["scheduler"]["state"].update(T_max=None), "scheduler.state.T_max"),
        (lambda r: r["scheduler"]["state"].update(base_lrs=[1]), "scheduler.state.base_lrs"),
    ],
)
def test_incomplete_or_altered_state(capsys, tiny, trained, edit, message):
    _, record = record_of(trained)
    edit(record)
    path = rewrite(trained, record)
    err = resume_fails(capsys, tiny, trained, message)
    assert "last" in err and os.path.dirname(path) in err


def test_weights_of_another_architecture_name_every_key(capsys, tiny, trained):
    _, record = record_of(trained)
    record["trainer"].pop("resume_config")  # a checkpoint that does not say what it was
    rng = np.random.default_rng(0)
    other = {
        "backbone.fc1.weight": rng.standard_normal((32, 16)).astype(np.float32),
        "backbone.fc1.bias": np.zeros(32, np.float32),
        "extra.weight": np.zeros(3, np.float32),
        "head.weight": np.zeros((1, 64), np.float64),
    }
    rewrite(trained, record, safetensors.numpy.save(other))
    err = resume_fails(capsys, tiny, trained, "the weights do not fit the model (17 mismatched")
    for key in (
        "missing in checkpoint: backbone.bn1.weight",
        "missing in checkpoint: head.bias",
        "not in the model: extra.weight",
        "shape mismatch: backbone.fc1.weight: checkpoint (32, 16) vs model (64, 16)",
        "shape mismatch: backbone.fc1.bias: checkpoint (32,) vs model (64,)",
        "dtype mismatch: head.weight: checkpoint float64 vs model float32",
    ):
        assert key in err


def test_pickles_are_refused_unread_everywhere(capsys, tiny, trained, tmp_path):
    marker = tmp_path / "MARKER"
    payloads = evil_pickles(marker)
    for kind, data in payloads.items():
        evil = tmp_path / f"evil_{kind}.safetensors"
        evil.write_bytes(data)
        with pytest.raises(CheckpointError, match=str(evil)):
            load_weights(str(evil))
        expected = "looks like a pickled/zip" if kind != 0 else "not a valid safetensors file"
        for argv in (
            ["train", "-c", tiny, "--set", f"model.init_from={evil}", "--dry-run"],
            [
                "evaluate",
                "-c",
                tiny,
                "--checkpoint",
                str(evil),
                "--set",
                f"output.dir={tmp_path}/e",
            ],
        ):
            code, out, err = run(capsys, *argv)
            assert code == 2 and str(evil) in err and expected in err, err
            assert "Traceback" not in err
        as_state = tmp_path / f"evil_{kind}.json"
        as_state.write_bytes(data)
        code, _, err = run(capsys, "train", "-c", tiny, "--resume", str(as_state))
        assert code == 2 and str(as_state) in err and "Traceback" not in err
        rewrite(trained, weights=data)  # inside a checkpoint, with a matching sha256
        resume_fails(capsys, tiny, trained, "last.", expected)
    with pytest.raises(CheckpointError, match="looks like a pickled"):
        read(str(tmp_path / "evil_4.json"))
    assert not marker.exists()  # nothing was ever unpickled


# ----- random edits of a real checkpoint state -------------------------------------------------------
def _nodes(value, path=()):
    yield path
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        yield from _nodes(child, (*path, key))


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(2**66), 2**66),
        st.floats(-1e300, 1e300),
        st.text(max_size=6),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One finished 3-epoch tiny run, copied for each example."""
    from .conftest import FINETUNE, TINY

    folder = tmp_path_factory.mktemp("pristine")
    cfg = folder / "tiny.yaml"
    cfg.write_text(TINY.format(finetune=FINETUNE, out=folder / "run"))
    assert cli.main(["train", "-c", str(cfg), "-q", "--set", "trainer.epochs=3"]) == 0
    return cfg, folder / "run"


@settings(
    derandomize=True,
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_random_edits_of_the_state_never_crash(capsys, pristine, tmp_path, data):
    cfg, source = pristine
    folder = tmp_path / uuid.uuid4().hex
    shutil.copytree(source, folder)
    path = folder / "checkpoints" / "last.json"
    record = json.loads(path.read_text())
    where = data.draw(st.sampled_from([p for p in _nodes(record) if p]))
    parent = record
    for key in where[:-1]:
        parent = parent[key]
    if isinstance(parent, dict) and data.draw(st.booleans()):
        del parent[where[-1]]
    else:
        parent[where[-1]] = data.draw(json_values)
    path.write_text(json.dumps(record))
    code = cli.main(
        [
            "train",
            "-c",
            str(cfg),
            "-q",
            "--set",
            f"output.dir={folder}",
            "--set",
            "trainer.epochs=4",
            "--resume",
            str(folder),
        ]
    )
    out, err = capsys.readouterr()
    # 0: the edit was harmless; 2: refused with a message; 1: a clean run failure (an absurd
    # learning rate that makes the loss overflow is caught by the non-finite guard)
    assert code in (0, 2) or err.startswith("minitorch-ft: run failed: "), (where, err)
    assert "Traceback" not in err and "unexpected error" not in err, (where, err)


def test_optimizer_arrays_of_an_unknown_parameter_are_named(capsys, tiny, trained):
    # regression: the shape lookup ran before the name check: "does not fit: 'ghost.exp_avg'"
    path, record = record_of(trained)
    optim_path = os.path.join(trained, "checkpoints", record["files"]["optimizer"])
    arrays = safetensors.numpy.load_file(optim_path)
    key = next(k for k in arrays if k.endswith("/exp_avg"))
    arrays["ghost.weight/exp_avg"] = arrays.pop(key)
    data = safetensors.numpy.save(arrays)
    open(optim_path, "wb").write(data)
    record["sha256"]["optimizer"] = hashlib.sha256(data).hexdigest()
    rewrite(trained, record)
    resume_fails(
        capsys,
        tiny,
        trained,
        "optimizer state ghost.weight/exp_avg: ghost.weight is not a parameter of these groups",
    )
