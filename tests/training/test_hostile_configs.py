"""Malformed configs through the real CLI: each gives one clear message, exit 2, no traceback.

Plus a hypothesis test: random YAML documents and random `--set` overrides fed to the
loader, where the only exception allowed to escape is the project's ConfigError.
"""

import os
import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minitorch_ft.training import cli, sources
from minitorch_ft.training.config import load_config
from minitorch_ft.training.errors import ConfigError

from .conftest import FINETUNE

BASE = f"base: {FINETUNE}\n"
BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
)

# (file text, --set overrides, the message expected on stderr)
CASES = [
    ("seed: [1, 2\n", [], "not valid YAML: line 2, column 1"),
    (b"\xff\xfe\x00garbage", [], "not a text file (invalid UTF-8)"),
    ("- a\n- b\n", [], "expected a mapping of sections at the top level, got a list"),
    ("just words\n", [], "expected a mapping of sections at the top level, got a string"),
    ("42\n", [], "at the top level, got an integer"),
    ("1: 2\n", [], "keys must be strings, got 1"),
    ("seed: 1\nseed: 2\n", [], "duplicate key 'seed'"),
    ("trainer:\n\tepochs: 3\n", [], "not valid YAML"),
    ("seed: !!python/object/apply:os.system ['touch PWNED']\n", [], "not valid YAML"),
    (BOMB + "seed: *h\n", [], "more than 100,000 values (repeated YAML aliases?)"),
    ("seed: " + "[" * 80 + "]" * 80 + "\n", [], "nested more than 64 levels deep"),
    (BASE + "model: 3\n", [], "model: expected a mapping, got 3"),
    (BASE + "modle: {}\n", [], "modle: unknown key (did you mean 'model'?)"),
    (BASE + "optimizer: {lrr: 0.1}\n", [], "optimizer.lrr: unknown key (did you mean 'lr'?)"),
    (BASE + "trainer: {epochs: ten}\n", [], "trainer.epochs: expected an integer >= 1, got 'ten'"),
    (BASE + "trainer: {epochs: true}\n", [], "trainer.epochs: expected an integer >= 1, got true"),
    (BASE + "data: {batch_size: 2.5}\n", [], "data.batch_size: expected an integer >= 1, got 2.5"),
    (BASE + "data: {batch_size: -4}\n", [], "data.batch_size: expected an integer >= 1, got -4"),
    (BASE + "trainer: {epochs: 0}\n", [], "trainer.epochs: expected an integer >= 1, got 0"),
    (BASE + "optimizer: {lr: 0}\n", [], "optimizer.lr: expected a number > 0, got 0"),
    (BASE + "optimizer: {lr: -0.1}\n", [], "optimizer.lr: expected a number > 0, got -0.1"),
    (BASE + "optimizer: {lr: .nan}\n", [], "optimizer.lr: expected a finite number > 0, got nan"),
    (BASE + "optimizer: {lr: .inf}\n", [], "optimizer.lr: expected a finite number > 0, got inf"),
    (BASE + "trainer: {epochs: 1.0e+30}\n", [], "trainer.epochs: expected an integer <= 1000000"),
    (BASE + "data: {n_train: 99999999999999999999}\n", [], "data.n_train: expected an integer <="),
    (BASE + "model: {args: {hidden: [1000000, 1000000]}}\n", [], "the limit is 100,000,000"),
    (BASE + "freeze: ['']\n", [], "freeze.patterns[0]: expected a non-empty string"),
    (BASE + "freeze: [backbon]\n", [], "pattern 'backbon' matches no parameter (did you mean"),
    (
        BASE + "freeze: {patterns: backbone}\n",
        [],
        "freeze.patterns: expected a list, got 'backbone'",
    ),
    (BASE + "optimizer: {name: adamm}\n", [], "(did you mean 'adam'?)"),
    (BASE + "optimizer: {betas: [0.9, 0.99, 0.999]}\n", [], "expected a list of 2 items, got 3"),
    (BASE + "optimizer: {betas: [0.9, 1.5]}\n", [], "optimizer.betas[1]: expected a number < 1"),
    (BASE + "optimizer: {name: sgd, momentum: 0, nesterov: true}\n", [], "Nesterov momentum"),
    (BASE + "scheduler: {name: multistep, milestones: [5, 2]}\n", [], "expected increasing"),
    (BASE + "output: {monitor: val_acc}\n", [], "output.monitor: expected one of"),
    (BASE + "freeze: {schedule: [{epoch: 99, unfreeze: [head]}]}\n", [], "after the last epoch"),
    (BASE + "data: {name: csv, target: y}\n", [], "data.path: required when data.name is 'csv'"),
    (BASE + "data: {name: csv, path: no.csv, target: y}\n", [], "data.path: file not found"),
    (BASE + "model: {args: {hidden: abc}}\n", [], "hidden: expected a non-empty list"),
    (BASE + "model: {target: nocolon}\n", [], "expected 'package.module:function'"),
    (BASE + "trainer: {on_nonfinite: ignore}\n", [], "expected one of 'error', 'skip_step'"),
    (BASE + "trainer: {early_stopping: {patience: 0}}\n", [], "patience: expected an integer >= 1"),
    (BASE + "trainer: {grad_clip: 0}\n", [], "trainer.grad_clip: expected a number > 0, got 0"),
    (BASE + "output: {checkpoint_every_n_steps: 0}\n", [], "expected an integer >= 1, got 0"),
    ("base: missing.yaml\n", [], "base: file not found"),
    ("base: bad.yaml\n", [], "base: includes itself"),
    ("base: other.yaml\n", [], "includes itself (bad.yaml -> other.yaml -> bad.yaml)"),
    (BASE, ["trainer.epochs"], "--set: expected KEY=VALUE, got 'trainer.epochs'"),
    (BASE, ["trainer.epochs=[1,"], "--set trainer.epochs: not valid YAML"),
    (BASE, ["freeze.schedule[3].epoch=1"], "list index 3 out of range"),
    (BASE, ["seed.x=1"], "seed is a value, not a section"),
    (BASE, ["optimizer.lr=fast"], "--set: optimizer.lr: expected a number > 0, got 'fast'"),
]


@pytest.mark.parametrize(
    "text,overrides,message", CASES, ids=[f"case{i}" for i in range(len(CASES))]
)
def test_malformed_config_gives_one_clear_message(capsys, tmp_path, text, overrides, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    (tmp_path / "other.yaml").write_text("base: bad.yaml\n")
    argv = ["train", "--config", str(path), "--dry-run", "--set", f"output.dir={tmp_path}/o"]
    argv += [a for o in overrides for a in ("--set", o)]
    old = os.getcwd()
    os.chdir(tmp_path)  # relative file names in messages
    try:
        code = cli.main(argv)
    finally:
        os.chdir(old)
    out, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("minitorch-ft: error: ") and err.count("\n") == 1, err
    assert "problems:" not in err and "Traceback" not in err and out == ""
    assert message in err
    assert ("bad.yaml" in err) or ("--set" in err)
    assert not (tmp_path / "PWNED").exists()


def test_the_case_list_is_long_enough():
    assert len(CASES) >= 30 and len({m for _, _, m in CASES}) >= 30


def test_unreadable_missing_and_directory_configs(capsys, tmp_path, monkeypatch):
    path = tmp_path / "locked.yaml"
    path.write_text("seed: 1\n")
    if os.geteuid() == 0:  # root reads anything: make open() refuse as the OS would
        real_open = open

        def refusing_open(file, *args, **kwargs):
            if str(file) == str(path):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        monkeypatch.setattr(sources, "open", refusing_open, raising=False)
    else:
        path.chmod(0)
    for target, message in (
        (path, "locked.yaml: cannot read: Permission denied"),
        (tmp_path / "none.yaml", "none.yaml: config file not found"),
        (tmp_path, "is a directory, not a config file"),
    ):
        code = cli.main(["train", "--config", str(target)])
        _, err = capsys.readouterr()
        assert code == 2 and message in err and "Traceback" not in err


# ----- random documents and overrides ------------------------------------------------------------------
KEYS = [
    "seed",
    "model",
    "data",
    "loss",
    "freeze",
    "optimizer",
    "scheduler",
    "trainer",
    "output",
    "base",
    "name",
    "lr",
    "args",
    "epochs",
    "patterns",
    "schedule",
    "batch_size",
    "betas",
    "path",
    "init_from",
    "monitor",
    "x",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["adam", "csv", "backbone", "val_loss", "", "*", "nan", "[", "{"]),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=5)), inner, max_size=4),
    ),
    max_leaves=20,
)
paths = st.lists(st.sampled_from(KEYS + ["0", "[0]", ""]), min_size=1, max_size=4).map(".".join)
override = st.one_of(
    st.builds(lambda k, v: f"{k}={v}", paths, st.text(string.printable, max_size=12)),
    st.builds(lambda k, v: f"{k}={yaml.safe_dump(v).strip()}", paths, documents),
    st.text(max_size=15),
)


@settings(
    derandomize=True,
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(doc=st.one_of(documents, st.text(max_size=60)), overrides=st.lists(override, max_size=3))
def test_random_yaml_and_overrides_only_raise_config_errors(tmp_path, doc, overrides):
    path = tmp_path / "random.yaml"
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc)
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_config(str(path), overrides)
    except ConfigError as exc:
        assert str(exc)  # a message, always
