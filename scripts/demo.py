"""The whole story in well under a minute: fine-tune the shipped pretrained toy model.

1. `configs/finetune.yaml`: load the pretrained backbone, freeze it, train a new head on a
   target task with only 64 labels (freeze report, epoch lines, metrics, frozen check).
2. The same head on a randomly initialised frozen backbone, and full fine-tuning, for
   comparison on the same validation set.
"""

from __future__ import annotations

import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from minitorch_ft.training import cli, load_config  # noqa: E402 - after the path fix
from minitorch_ft.training.build import build  # noqa: E402
from minitorch_ft.training.commands import make_trainer  # noqa: E402
from minitorch_ft.training.report import count_parameters  # noqa: E402

CONFIG = os.path.join(ROOT, "configs", "finetune.yaml")
RUN_DIR = os.path.join("runs", "finetune")


def rule(title: str) -> None:
    print(f"\n=== {title} " + "=" * max(0, 86 - len(title)))


def compare(overrides: list[str]) -> dict:
    """One quiet run of the fine-tuning config with `overrides`; final validation metrics."""
    cfg = load_config(CONFIG, [*overrides, "trainer.eval_every=1000"])
    built = build(cfg)
    trainer = make_trainer(cfg, built)
    trainer.fit(built.train_loader, built.val_loader, cfg.trainer.epochs)
    metrics = trainer.evaluate(built.val_loader)
    metrics["trainable"] = count_parameters(built.model)[0]
    return metrics


def main() -> int:
    start = time.perf_counter()
    rule("1. fine-tune the pretrained toy MLP (configs/finetune.yaml)")
    print(
        f"$ python scripts/train.py --config configs/finetune.yaml "
        f"--set output.dir={RUN_DIR} --set output.overwrite=true\n"
    )
    code = cli.main(
        [
            "train",
            "--config",
            CONFIG,
            "--set",
            f"output.dir={RUN_DIR}",
            "--set",
            "output.overwrite=true",
        ]
    )
    if code != 0:
        return code
    rule("2. does pretraining matter? (same target data, same validation set)")
    rows = [
        ("pretrained backbone, frozen (finetune.yaml)", []),
        ("random backbone, frozen (same head training)", ["model.init_from=null"]),
        ("pretrained, full fine-tuning (nothing frozen)", ["freeze.patterns=[]"]),
    ]
    print(f"{'setup':<48}{'trainable':>10}{'accuracy':>10}{'F1':>8}{'ROC AUC':>9}{'loss':>8}")
    for label, overrides in rows:
        m = compare(overrides)
        print(
            f"{label:<48}{m['trainable']:>10,d}{m['val_accuracy']:>10.3f}{m['val_f1']:>8.3f}"
            f"{m['val_auc']:>9.3f}{m['val_loss']:>8.3f}"
        )
    print(f"\nrun files: {RUN_DIR}/ (config.yaml, metrics.jsonl, checkpoints/, summary.json)")
    print("evaluate them again: python scripts/evaluate.py --config configs/evaluate.yaml")
    print(f"demo took {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
