"""Shared helpers for the training tests: repo paths and tiny configs in tmp_path."""

import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIGS = os.path.join(ROOT, "configs")
FINETUNE = os.path.join(CONFIGS, "finetune.yaml")
PRETRAINED = os.path.join(ROOT, "minitorch_ft", "assets", "pretrained_mlp.safetensors")


@pytest.fixture
def write(tmp_path):
    """write(name, text) -> path of a file in tmp_path."""

    def _write(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return str(path)

    return _write


@pytest.fixture
def small(write, tmp_path):
    """A small fine-tuning config (based on configs/finetune.yaml) writing into tmp_path."""
    return write(
        "small.yaml",
        f"""
base: {FINETUNE}
data:
  n_val: 300
trainer:
  epochs: 6
  eval_every: 3
  progress: false
output:
  dir: {tmp_path / "run"}
  plot: false
""",
    )


TINY = """
base: {finetune}
model: {{args: {{dropout: 0.1}}}}
data: {{n_train: 48, n_val: 40, batch_size: 16}}
freeze:
  patterns: [backbone]
  schedule: [{{epoch: 3, unfreeze: [backbone.fc2, backbone.bn2], lr: 0.001}}]
scheduler: {{name: cosine, interval: step}}
trainer: {{epochs: 4, eval_every: 2, progress: false}}
output: {{dir: {out}, plot: false, checkpoint_every_n_steps: 2}}
"""


@pytest.fixture
def tiny(write, tmp_path):
    """A 12-step run (4 epochs of 3 batches): dropout, a step-wise cosine schedule, a freeze
    schedule that adds groups and thaws a batch norm at epoch 3, checkpoints every 2 steps."""
    return write("tiny.yaml", TINY.format(finetune=FINETUNE, out=tmp_path / "run"))


def final_state(run_dir) -> dict:
    """Everything a finished run computed, as bytes and numbers (timings left out)."""
    import json

    folder = os.path.join(run_dir, "checkpoints")
    with open(os.path.join(folder, "last.json")) as f:
        record = json.load(f)
    out = {}
    for key, name in record["files"].items():
        with open(os.path.join(folder, name), "rb") as f:
            out[key] = f.read()
    with open(os.path.join(run_dir, "metrics.jsonl")) as f:
        out["metrics"] = [
            {k: v for k, v in json.loads(line).items() if k != "time_s"} for line in f
        ]
    out["global_step"] = record["trainer"]["global_step"]
    return out
