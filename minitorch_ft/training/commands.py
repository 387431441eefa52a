"""The two commands behind the CLI: train (or dry-run) and evaluate, from a validated config."""

from __future__ import annotations

import argparse
import os

import numpy as np

from . import config as cfgmod
from . import resume
from .build import Built, build
from .errors import ConfigError, Problem
from .freeze import frozen_norms
from .metrics import binary_scores
from .report import freeze_report, groups_report, metrics_table
from .run_files import RunFiles
from .schema import Config
from .sources import Sources, display_path
from .trainer import Trainer


def _say(args: argparse.Namespace):
    return (lambda *a: None) if args.quiet else print


def _dir_error(sources: Sources, message: str) -> ConfigError:
    return ConfigError([Problem(sources.of("output.dir"), "output.dir", message)])


def _run_dir(cfg: Config, sources: Sources, evaluating: bool = False) -> RunFiles:
    """The run directory, refused if it already holds a run (unless output.overwrite).

    An evaluation never overwrites a training run (it would delete the checkpoints).
    """
    files = RunFiles(cfg.output.dir)
    if evaluating and files.holds_training_run():
        raise _dir_error(
            sources,
            f"{cfg.output.dir} holds a training run; an evaluation writes its own files: "
            "choose another output.dir (e.g. --set output.dir=runs/evaluate)",
        )
    previous = files.holds_run()
    if previous and not cfg.output.overwrite:
        raise _dir_error(
            sources,
            f"{cfg.output.dir} already holds a run ({previous}); choose "
            "another output.dir or set output.overwrite: true",
        )
    if os.path.exists(cfg.output.dir) and not os.path.isdir(cfg.output.dir):
        raise _dir_error(sources, f"{cfg.output.dir} exists and is not a directory")
    return files


def _open_run_dir(files: RunFiles, cfg: Config, sources: Sources, resumed: bool = False) -> None:
    """Record the config in use; a new run first clears what an earlier run left, a resumed
    run keeps every file."""
    note = "; resumed run" if resumed else ""
    try:
        if not resumed:
            os.makedirs(files.folder, exist_ok=True)
            files.clear()
        files.write_text(
            "config.yaml",
            f"# resolved config (base files and --set applied{note})\n" + cfgmod.to_yaml(cfg),
        )
    except OSError as exc:
        raise _dir_error(sources, f"cannot write to {files.folder}: {exc.strerror}") from None


def _run_info(cfg: Config, built: Built, sources: Sources, run_dir: str) -> dict:
    from .. import __version__

    return {
        "config": sources.main,
        "config_hash": cfgmod.config_hash(cfg),  # the same on every machine (no abs. paths)
        "resume_config": cfgmod.comparable(cfg),
        "library_version": __version__,
        "run_dir": run_dir,
        "task": built.task,
        "data": built.data_info,
        "init_from": cfg.model.init_from,
        "init_report": built.init_report,
    }


def _print_init(say, cfg: Config, built: Built) -> None:
    rep = built.init_report
    if rep is None:
        return
    say(f"loaded {len(rep['loaded'])} tensors from {display_path(cfg.model.init_from)}")
    for key in ("shape_mismatch", "missing", "unexpected"):
        for entry in rep[key]:
            say(f"  skipped ({key.replace('_', ' ')}): {entry}")


def make_trainer(
    cfg: Config,
    built: Built,
    run_dir: str | None = None,
    progress: bool = False,
    log=None,
    run_info: dict | None = None,
) -> Trainer:
    """The Trainer a config describes, for the objects `build` made."""
    return Trainer(
        built.model,
        built.loss_fn,
        built.optimizer,
        scheduler=built.scheduler,
        scheduler_interval=cfg.scheduler.interval,
        task=built.task,
        grad_clip=cfg.trainer.grad_clip,
        eval_every=cfg.trainer.eval_every,
        freeze_schedule=[
            {"epoch": s.epoch, "unfreeze": s.unfreeze, "lr": s.lr, "weight_decay": s.weight_decay}
            for s in cfg.freeze.schedule
        ],
        no_decay_bias_and_norm=cfg.optimizer.no_decay_bias_and_norm,
        frozen_norm_eval=cfg.freeze.frozen_norm_eval,
        run_dir=run_dir,
        save_last=cfg.output.save_last,
        save_best=cfg.output.save_best,
        monitor=cfg.output.monitor,
        mode=cfg.output.mode,
        on_nonfinite=cfg.trainer.on_nonfinite,
        patience=cfg.trainer.early_stopping.patience,
        min_delta=cfg.trainer.early_stopping.min_delta,
        checkpoint_every_n_steps=cfg.output.checkpoint_every_n_steps,
        progress=progress,
        plot=cfg.output.plot,
        log=log,
        run_info=run_info,
    )


def _resume_dir(cfg: Config, sources: Sources, ckpt, say) -> RunFiles:
    """A resumed run keeps writing into the run directory that holds its checkpoint."""
    folder = resume.run_dir_of(ckpt.path)
    if folder is None:  # a checkpoint outside any run directory: output.dir as for a new run
        return _run_dir(cfg, sources)
    if os.path.abspath(folder) != os.path.abspath(cfg.output.dir):
        say(f"note: writing to the checkpoint's run directory {folder} (not output.dir)")
    return RunFiles(folder)


def _say_resumed(say, rep: dict, trainer: Trainer, cfg: Config) -> None:
    where = f"after epoch {rep['epoch']}"
    position = trainer._position
    if position is not None:
        where = f"in epoch {position['epoch']} after batch {position['batch']}"
    fresh = " (weights only: fresh optimizer and schedule)" if rep["weights_only"] else ""
    say(f"resuming from {display_path(rep['path'])} {where}, step {rep['global_step']}{fresh}")
    for line in rep["warnings"]:
        say(f"warning: the config differs from the checkpoint's: {line}")
    if rep["warnings"]:
        say("warning: so the resumed run will differ from an uninterrupted one")
    if trainer.stopped_early:
        say(f"nothing left to train: the run stopped early after epoch {trainer.epoch}")
    elif trainer.epoch >= cfg.trainer.epochs and position is None:
        say(
            f"nothing left to train: {trainer.epoch} epochs are done (trainer.epochs is "
            f"{cfg.trainer.epochs}); raise trainer.epochs to train longer"
        )


def train(cfg: Config, sources: Sources, args: argparse.Namespace) -> int:
    """Build, report, and (unless --dry-run) train; writes the run directory.

    With --resume, the run continues from a checkpoint (see resume.py).
    """
    say = _say(args)
    ckpt = resume.load(args.resume) if getattr(args, "resume", None) else None
    built = build(cfg, sources, training=True)
    files = _resume_dir(cfg, sources, ckpt, say) if ckpt else _run_dir(cfg, sources)
    _report_build(say, cfg, built)
    info = _run_info(cfg, built, sources, files.folder)
    trainer = make_trainer(
        cfg,
        built,
        run_dir=files.folder,
        progress=cfg.trainer.progress and not args.quiet,
        log=None if args.quiet else print,
        run_info=info,
    )
    if ckpt is not None:
        rep = resume.restore(trainer, cfg, ckpt, getattr(args, "resume_weights_only", False))
        trainer.run_info["resumed_from"] = {k: v for k, v in rep.items() if k != "warnings"}
        _say_resumed(say, rep, trainer, cfg)
    if args.dry_run:
        say("dry run: everything builds and checks out; nothing was trained or written")
        return 0
    _open_run_dir(files, cfg, sources, resumed=ckpt is not None)
    summary = trainer.fit(built.train_loader, built.val_loader, cfg.trainer.epochs)
    _report_result(say, summary, files.folder, args.quiet)
    return 0


def _report_build(say, cfg: Config, built: Built) -> None:
    """What is about to be trained: model, data, loaded weights, freezing, param groups."""
    model_name = cfg.model.target or cfg.model.name
    say(
        f"model {model_name} | task {built.task} | data {cfg.data.name}: "
        f"{built.data_info['n_train']} train / {built.data_info['n_val']} val examples"
    )
    _print_init(say, cfg, built)
    norms = [n for n, _ in frozen_norms(built.model)] if cfg.freeze.frozen_norm_eval else []
    say(freeze_report(built.model, norms, built.groups))
    say(f"optimizer {cfg.optimizer.name}, scheduler {cfg.scheduler.name}:")
    say(groups_report(built.groups))


def _report_result(say, summary: dict, folder: str, quiet: bool) -> None:
    """Final metrics, the frozen check, the best epoch; the run directory always printed."""
    final = {k: v for k, v in summary["final"].items() if k.startswith(("train_", "val_"))}
    say("final metrics:")
    say(metrics_table(final))
    check = summary["frozen_check"]
    if check["checked_parameters"] or check["checked_buffers"]:
        n_params, n_buffers = len(check["checked_parameters"]), len(check["checked_buffers"])
        buffers = f" and {n_buffers} buffers of frozen norm layers" if n_buffers else ""
        say(
            f"frozen check: {n_params} frozen parameters{buffers} ({check['frozen_elements']:,d} "
            "values) are bit-identical to their values before training"
        )
    if summary["best"]:
        best = summary["best"]
        say(f"best {best['monitor']}: {best['value']:.4f} at epoch {best['epoch']}")
    print(f"run directory: {folder}" + (f" | {_one_line(final)}" if quiet else ""))


def _one_line(metrics: dict) -> str:
    return "  ".join(f"{k} {v:.4f}" for k, v in metrics.items() if isinstance(v, float))


def evaluate(cfg: Config, sources: Sources, args: argparse.Namespace) -> int:
    """Load weights, evaluate on the validation split under no_grad, write the metrics."""
    say = _say(args)
    if cfg.model.init_from is None:
        raise ConfigError(
            [
                Problem(
                    sources.of("model.init_from"),
                    "model.init_from",
                    "evaluation needs weights: set model.init_from or pass --checkpoint PATH",
                )
            ]
        )
    built = build(cfg, sources, training=False)
    files = _run_dir(cfg, sources, evaluating=True)
    _print_init(say, cfg, built)
    rep = built.init_report or {}
    if rep.get("missing") or rep.get("shape_mismatch"):
        say(
            "warning: some weights were not loaded (init_strict is false), so those tensors "
            "keep their random initial values"
        )
    if getattr(args, "dry_run", False):  # train --eval-only --dry-run: check, write nothing
        say("dry run: everything builds and checks out; nothing was evaluated or written")
        return 0
    trainer = Trainer(built.model, built.loss_fn, None, task=built.task, progress=False, log=None)
    metrics = trainer.evaluate(built.val_loader)
    say(
        f"evaluated {display_path(cfg.model.init_from)} on {built.data_info['n_val']} "
        f"validation examples of {cfg.data.name}:"
    )
    say(metrics_table(metrics))
    _open_run_dir(files, cfg, sources)
    files.write_json("eval_metrics.json", metrics)
    if cfg.output.predictions:
        outputs, targets = trainer.predict(built.val_loader)
        files.write_text("predictions.csv", predictions_csv(outputs, targets, built.task))
        say(f"predictions: {files.path('predictions.csv')}")
    info = _run_info(cfg, built, sources, files.folder)
    files.write_json("summary.json", {"status": "evaluated", "metrics": metrics, **info})
    print(f"run directory: {cfg.output.dir}" + (f" | {_one_line(metrics)}" if args.quiet else ""))
    return 0


def predictions_csv(outputs: np.ndarray, targets: np.ndarray, task: str) -> str:
    """index, target, prediction (and the positive-class probability for binary tasks)."""
    targets = targets.reshape(-1).tolist()
    if task == "binary":
        scores = binary_scores(outputs)
        prob = 1.0 / (1.0 + np.exp(-np.clip(scores, -500, 500)))
        header = "index,target,prediction,probability"
        rows = [
            f"{t:g},{int(s > 0)},{p:.6f}"
            for t, s, p in zip(targets, scores.tolist(), prob.tolist(), strict=True)
        ]
    elif task == "multiclass":
        header = "index,target,prediction"
        rows = [
            f"{int(t)},{p}" for t, p in zip(targets, outputs.argmax(axis=1).tolist(), strict=True)
        ]
    else:
        header = "index,target,prediction"
        rows = [
            f"{t:.6g},{p:.6g}" for t, p in zip(targets, outputs.reshape(-1).tolist(), strict=True)
        ]
    return "\n".join([header, *(f"{i},{row}" for i, row in enumerate(rows))]) + "\n"
