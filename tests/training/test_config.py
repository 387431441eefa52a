"""Config loading: base files, --set overrides, strict validation with file and key path."""

import math

import pytest

from minitorch_ft.training import ConfigError, load_config, to_yaml
from minitorch_ft.training.config import from_dict


def problems(path, overrides=()):
    with pytest.raises(ConfigError) as info:
        load_config(path, list(overrides))
    return [str(p) for p in info.value.problems]


def test_defaults_and_round_trip(write):
    cfg = load_config(None)
    assert cfg.optimizer.lr == 1e-3 and cfg.model.name == "mlp" and cfg.freeze.patterns == []
    again = load_config(write("again.yaml", to_yaml(cfg)))
    assert again == cfg


def test_base_merges_and_overrides_win(write):
    write("base.yaml", "optimizer:\n  lr: 0.1\n  weight_decay: 0.5\nmodel:\n  args: {a: 1, b: 2}\n")
    child = write("child.yaml", "base: base.yaml\noptimizer:\n  lr: 0.2\nmodel:\n  args: {b: 3}\n")
    cfg = load_config(child, ["optimizer.weight_decay=0.25"])
    assert cfg.optimizer.lr == 0.2 and cfg.optimizer.weight_decay == 0.25
    assert cfg.model.args == {"a": 1, "b": 3}


def test_set_values_are_yaml(write):
    cfg = load_config(
        None,
        [
            "freeze.patterns=[backbone, 'head.*']",
            "trainer.grad_clip=null",
            "optimizer.betas=[0.8, 0.9]",
            "data.shuffle=false",
            "optimizer.lr=1e-2",
        ],
    )
    assert cfg.freeze.patterns == ["backbone", "head.*"] and cfg.trainer.grad_clip is None
    assert cfg.optimizer.betas == [0.8, 0.9] and cfg.data.shuffle is False
    assert cfg.optimizer.lr == 0.01  # 1e-2 is a number, not the string YAML 1.1 would give


def test_set_into_list_items(write):
    path = write("g.yaml", "optimizer:\n  param_groups:\n    - {params: [head], lr: 0.1}\n")
    cfg = load_config(path, ["optimizer.param_groups[0].lr=0.3"])
    assert cfg.optimizer.param_groups[0].lr == 0.3
    cfg = load_config(path, ["optimizer.param_groups.0.lr=0.4"])
    assert cfg.optimizer.param_groups[0].lr == 0.4
    assert problems(path, ["optimizer.param_groups[3].lr=1"]) == [
        "--set: optimizer.param_groups[3].lr: list index 3 out of range (the list has 1 items)"
    ]


def test_message_names_file_and_key_path(write):
    path = write("x.yaml", "optimizer:\n  lr: fast\n")
    assert problems(path) == [f"{path}: optimizer.lr: expected a number > 0, got 'fast'"]


def test_several_problems_reported_together(write):
    path = write(
        "x.yaml",
        """
optimizer: {lr: 0, lrr: 3, momentum: 1.5}
trainer: {lr: 0.1, epochs: 1e12}
data: {batch_size: -1, name: toy}
freeze: {patterns: [backbone, ""]}
""",
    )
    got = problems(path)
    expected = [
        "data.batch_size: expected an integer >= 1, got -1",
        "data.name: expected one of 'toy_source', 'toy_target', 'csv', got 'toy'",
        "freeze.patterns[1]: expected a non-empty string",
        "optimizer.lrr: unknown key (did you mean 'lr'?)",
        "optimizer.lr: expected a number > 0, got 0",
        "optimizer.momentum: expected a number < 1, got 1.5",
        "trainer.lr: unknown key (did you mean 'optimizer.lr'?)",
        "trainer.epochs: expected an integer <= 1000000, got 1000000000000",
    ]
    for text in expected:
        assert any(p.endswith(text) for p in got), (text, got)
    assert all(p.startswith(path + ": ") for p in got)


def test_problem_in_base_names_the_base_file(write):
    base = write("base.yaml", "trainer:\n  epochs: many\n")
    child = write("child.yaml", "base: base.yaml\nseed: 1\n")
    assert problems(child) == [f"{base}: trainer.epochs: expected an integer >= 1, got 'many'"]


@pytest.mark.parametrize(
    "text,message",
    [
        ("a: [1,\n", "not valid YAML: line 2, column 1"),
        ("- 1\n- 2\n", "expected a mapping of sections at the top level, got a list"),
        ("seed: 1\nseed: 2\n", "duplicate key 'seed'"),
        ("optimizer: 3\n", "optimizer: expected a mapping, got 3"),
        ("seed: -1\n", "seed: expected an integer >= 0, got -1"),
        ("seed: 1.5\n", "seed: expected an integer >= 0, got 1.5"),
        (
            "trainer: {grad_clip: .nan}\n",
            "trainer.grad_clip: expected a finite number > 0, got nan",
        ),
        ("optimizer: {lr: .inf}\n", "optimizer.lr: expected a finite number > 0, got inf"),
        ("optimizer: {betas: [0.9]}\n", "optimizer.betas: expected a list of 2 items, got 1"),
        ("optimizer: {name: adamx}\n", "(did you mean 'adam'?)"),
        ("data: {shuffle: 'yes'}\n", "data.shuffle: expected true or false, got 'yes'"),
        (
            "data: {delimiter: ';;', name: csv, path: x.csv, target: y}\n",
            "data.delimiter: expected a single character",
        ),
        ("freeze: {patterns: backbone}\n", "freeze.patterns: expected a list, got 'backbone'"),
        ("freeze: {schedule: [{unfreeze: [a]}]}\n", "freeze.schedule[0].epoch: required key"),
        ("freeze: {schedule: [{epoch: 99, unfreeze: [a]}]}\n", "epoch 99 is after the last epoch"),
        ("data: {name: csv}\n", "data.path: required when data.name is 'csv'"),
        ("data: {target: y}\n", "data.target: only used when data.name is 'csv'"),
        ("model: {init_from: nothere.safetensors}\n", "model.init_from: file not found"),
        ("model: {target: 'nocolon'}\n", "expected 'package.module:function'"),
        ("output: {monitor: val_acc}\n", "output.monitor: expected one of"),
        ("scheduler: {name: multistep}\n", "scheduler.milestones: required"),
        ("optimizer: {name: sgd, momentum: 0, nesterov: true}\n", "Nesterov momentum requires"),
        ("base: missing.yaml\n", "base: file not found"),
        ("base: 3\n", "base: expected a file name, got 3"),
        ("seed: 99999999999999999999999\n", "seed: expected an integer <="),
    ],
)
def test_bad_configs(write, text, message):
    path = write("bad.yaml", text)
    got = "\n".join(problems(path))
    assert message in got
    assert path in got


def test_base_including_itself(write):
    a = write("a.yaml", "base: b.yaml\n")
    write("b.yaml", "base: a.yaml\n")
    assert "includes itself" in problems(a)[0]


def test_missing_and_unreadable_files(tmp_path):
    assert "config file not found" in problems(str(tmp_path / "none.yaml"))[0]
    assert "is a directory" in problems(str(tmp_path))[0]


@pytest.mark.parametrize(
    "assignment,message",
    [
        ("optimizer.lr", "expected KEY=VALUE"),
        ("=3", "expected KEY=VALUE"),
        ("optimizer..lr=3", "empty part"),
        ("optimizer.lr=[1,", "not valid YAML"),
        ("seed.x=1", '--set: seed: expected an integer >= 0, got {"x": 1}'),
        ("data.name=toy_source", None),
        ("optimizer.lr=fast", "--set: optimizer.lr: expected a number > 0, got 'fast'"),
        ("base=x.yaml", "base can only be set inside a config file"),
    ],
)
def test_bad_overrides(write, assignment, message):
    if message is None:  # a value that is fine in itself
        load_config(None, [assignment])
        return
    assert message in "\n".join(problems(None, [assignment]))
    path = write("s.yaml", "seed: 3\n")
    if assignment.startswith("seed.x"):
        assert "seed is a value, not a section" in problems(path, [assignment])[0]


def test_from_dict_for_library_use():
    cfg = from_dict({"optimizer": {"lr": 0.5}})
    assert cfg.optimizer.lr == 0.5 and math.isclose(cfg.optimizer.betas[1], 0.999)
    with pytest.raises(ConfigError, match="<dict>: optimizer.lr"):
        from_dict({"optimizer": {"lr": -1}})


def test_relative_paths_resolve_against_the_declaring_file(write, tmp_path):
    weights = write("sub/w.safetensors", "x")
    path = write("sub/c.yaml", "model: {init_from: w.safetensors}\n")
    assert load_config(path).model.init_from == weights


def test_shorthands_for_freeze_and_loss(write):
    write("base.yaml", "freeze: {patterns: [a], frozen_norm_eval: false}\n")
    path = write("c.yaml", "base: base.yaml\nfreeze: [backbone, head.bias]\nloss: mse\n")
    cfg = load_config(path)
    assert cfg.freeze.patterns == ["backbone", "head.bias"] and cfg.loss.name == "mse"
    assert cfg.freeze.frozen_norm_eval is False  # the rest of the base's section is kept
    cfg = load_config(path, ["freeze=[x]", "loss=l1"])
    assert cfg.freeze.patterns == ["x"] and cfg.loss.name == "l1"
    assert cfg.freeze.frozen_norm_eval is False


def test_a_misspelt_value_is_not_taken_for_a_key():
    # regression: a value that happened to be a key elsewhere got "did you mean 'data.noise'?"
    for assignment in ("loss.name=noise", "output.monitor=epochs", "data.name=seed"):
        (message,) = problems(None, [assignment])
        assert "did you mean" not in message, message
    (message,) = problems(None, ["loss.name=mse_"])
    assert message.endswith("got 'mse_' (did you mean 'mse'?)")


def test_unknown_key_still_suggests_another_section():
    (message,) = problems(None, ["trainer.batch_size=3"])
    assert "(did you mean 'data.batch_size'?)" in message


def test_csv_columns_by_index_without_quotes(write):
    # regression: `target: 2` (a column of a header-less file) was refused as not a string
    csv = write("d.csv", "".join(f"{i},{i % 3},{i % 2}\n" for i in range(20)))
    cfg = load_config(
        write("c.yaml", f"data: {{name: csv, path: {csv}, header: false, target: 2}}\n"),
        ["data.features=[0, 1]"],
    )
    assert cfg.data.target == "2" and cfg.data.features == ["0", "1"]
    found = problems(None, ["data.name=csv", "data.path=x", "data.target=-1"])
    assert "--set: data.target: expected a string, got -1" in found
