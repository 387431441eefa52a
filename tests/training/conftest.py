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
