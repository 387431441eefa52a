"""Sweep of the CLI against issues 5 and 6: user mistakes found by running it as a user would.

Each test failed before its fix: a CSV value that overflows float32, a param group over
frozen parameters only, `optimizer.betas: null`, messages that named `--set` for values the
user gave by `--checkpoint` or in another file, and `--eval-only --dry-run` writing files.
The last test checks that trained weights load into a torch model with the same names.
"""

import os

import pytest

from minitorch_ft.data import CSVError, read_csv
from minitorch_ft.training import cli

from .conftest import FINETUNE, PRETRAINED


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dry(capsys, tmp_path, *sets):
    argv = ["train", "-c", FINETUNE, "--dry-run", "-q", "--set", f"output.dir={tmp_path / 'r'}"]
    for assignment in sets:
        argv += ["--set", assignment]
    return run(capsys, *argv)


def one_line_error(code: int, err: str) -> str:
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1, err
    return err


# ----- data ---------------------------------------------------------------------------------
def test_csv_value_beyond_float32_names_row_and_column(tmp_path, capsys):
    rows = [f"{i / 10},{(i * 7 % 10) / 10},{i % 2}" for i in range(20)]
    rows[4] = "1e39,0.5,1"  # finite as a python float, inf once stored as float32
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n" + "\n".join(rows) + "\n")
    with pytest.raises(CSVError, match=r"row 6, column 'a': '1e39' is too large for float32"):
        read_csv(str(path), "y", label_kind="binary")
    code, _, err = dry(
        capsys,
        tmp_path,
        "model.init_from=null",
        "freeze.patterns=[]",
        "data.name=csv",
        f"data.path={path}",
        "data.target=y",
        "model.args.in_features=2",
    )
    assert "row 6, column 'a'" in one_line_error(code, err)  # was exit 1 on a NaN loss


# ----- config -------------------------------------------------------------------------------
def test_param_group_over_frozen_parameters_only_is_a_config_error(capsys, tmp_path):
    code, _, err = dry(capsys, tmp_path, "optimizer.param_groups=[{params: [backbone], lr: 1}]")
    err = one_line_error(code, err)  # was accepted, and the lr silently never used
    assert "optimizer.param_groups[0].params: selects only frozen parameters" in err
    code, _, err = dry(capsys, tmp_path, "optimizer.param_groups=[{params: [backbone, head]}]")
    assert code == 0, err  # a group with some trainable parameters is fine


def test_betas_null_is_a_config_error(capsys, tmp_path):
    code, _, err = dry(capsys, tmp_path, "optimizer.betas=null")  # was an IndexError, exit 1
    assert "--set: optimizer.betas: expected a list, got null" in one_line_error(code, err)


def test_model_argument_problem_names_where_the_argument_came_from(capsys, tmp_path):
    code, _, err = dry(capsys, tmp_path, "model.args.hidden=-1")
    err = one_line_error(code, err)  # named configs/finetune.yaml, which says nothing of it
    assert err.startswith("minitorch-ft: error: --set: model.args: hidden[0]: expected")


def test_checkpoint_problems_name_the_checkpoint_option(capsys, tmp_path):
    argv = ["train", "-c", FINETUNE, "--eval-only", "--set", f"output.dir={tmp_path / 'e'}"]
    code, _, err = run(capsys, *argv, "--checkpoint", PRETRAINED)  # 8 outputs, the model 1
    err = one_line_error(code, err)  # said "--set", which the user never typed
    assert err.startswith("minitorch-ft: error: --checkpoint: model.init_from: ")
    state = tmp_path / "x.json"
    state.write_text("{}")
    code, _, err = run(capsys, *argv, "--checkpoint", str(state))
    assert "--checkpoint: model.init_from: file not found" in one_line_error(code, err)


# ----- CLI ----------------------------------------------------------------------------------
def test_eval_only_dry_run_writes_nothing(capsys, tmp_path):
    out_dir = tmp_path / "e"
    code, out, err = run(
        capsys,
        "train",
        "-c",
        FINETUNE,
        "--eval-only",
        "--dry-run",
        "--set",
        f"output.dir={out_dir}",
        "--set",
        f"model.init_from={PRETRAINED}",
        "--set",
        "model.args.out_features=8",
        "--set",
        "loss.name=cross_entropy",
        "--set",
        "output.monitor=val_accuracy",
    )
    assert code == 0, err
    assert "dry run" in out and not os.path.exists(out_dir)  # it evaluated and wrote files


# ----- interoperability -------------------------------------------------------------------
def test_trained_weights_load_into_torch_with_the_same_names(capsys, tmp_path):
    torch = pytest.importorskip("torch")
    safetensors_torch = pytest.importorskip("safetensors.torch")
    import numpy as np

    import minitorch_ft as mt
    from minitorch_ft.training import checkpoint, mlp

    folder = tmp_path / "run"
    code, _, err = run(
        capsys,
        "train",
        "-c",
        FINETUNE,
        "-q",
        "--set",
        f"output.dir={folder}",
        "--set",
        "trainer.epochs=2",
    )
    assert code == 0, err
    path = str(folder / "checkpoints" / "last.safetensors")
    state = safetensors_torch.load_file(path)
    nn = torch.nn
    backbone = nn.Sequential()
    for i, (n_in, n_out) in enumerate([(16, 64), (64, 64)], start=1):
        backbone.add_module(f"fc{i}", nn.Linear(n_in, n_out))
        backbone.add_module(f"bn{i}", nn.BatchNorm1d(n_out))
        backbone.add_module(f"act{i}", nn.ReLU())
    model = nn.Module()
    model.backbone, model.head = backbone, nn.Linear(64, 1)
    model.load_state_dict(state, strict=True)  # same key names and shapes, nothing left over
    assert {k: (tuple(v.shape), v.dtype) for k, v in model.state_dict().items()} == {
        k: (tuple(v.shape), v.dtype) for k, v in state.items()
    }
    ours = mlp(16, [64, 64], 1, batch_norm=True)
    ours.load_state_dict({k: mt.tensor(v) for k, v in checkpoint.load_weights(path).items()})
    assert list(ours.state_dict()) == list(model.state_dict())  # the same order, too
    model.eval()
    ours.eval()
    x = np.random.default_rng(0).standard_normal((5, 16)).astype(np.float32)
    expected = model.head(model.backbone(torch.from_numpy(x))).detach().numpy()
    np.testing.assert_allclose(ours(mt.tensor(x)).detach().numpy(), expected, rtol=1e-5, atol=1e-6)
