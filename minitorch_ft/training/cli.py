"""The command line: `minitorch-ft train|evaluate --config FILE [--set k=v ...]`.

Exit codes: 0 success, 2 usage or config error (message naming file and key, no traceback),
1 failure during the run. `scripts/train.py`, `scripts/evaluate.py` and
`python -m minitorch_ft` all land in `main`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shlex
import sys
import traceback
from collections.abc import Sequence

from . import config as cfgmod
from .checkpoint import CheckpointError, weights_file
from .errors import ConfigError, Problem, TrainingError, UsageError
from .guards import Interrupted
from .sources import Sources

PROG = "minitorch-ft"


class _Parser(argparse.ArgumentParser):
    """argparse that raises UsageError instead of exiting, so main() owns the exit code."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError([Problem(None, None, f"{message}\n{self.format_usage().strip()}")])


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", "-c", required=True, metavar="FILE", help="YAML config file")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config value (VALUE is read as YAML); repeatable",
    )
    p.add_argument("--print-config", action="store_true", help="print the resolved config and exit")
    p.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bars or reports: only errors and the final result",
    )
    p.add_argument(
        "--checkpoint",
        metavar="PATH",
        help="weights to evaluate (or start from), loaded strictly: a .safetensors file, "
        "a checkpoint .json or a run directory (best, else last)",
    )
    p.add_argument(
        "--predictions",
        action="store_true",
        help="also write predictions.csv (same as --set output.predictions=true)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Fine-tune small models from a YAML config.")
    sub = parser.add_subparsers(dest="command", metavar="{train,evaluate}", parser_class=_Parser)
    sub.required = True
    train = sub.add_parser("train", help="train (or fine-tune) a model")
    _common(train)
    train.add_argument(
        "--dry-run",
        action="store_true",
        help="build and check everything, print the freeze report, then exit",
    )
    train.add_argument(
        "--resume",
        metavar="PATH",
        help="continue a run from a checkpoint: a run directory (its checkpoints/last) or a "
        "checkpoint .json; the result is bit-identical to an uninterrupted run",
    )
    train.add_argument(
        "--resume-weights-only",
        action="store_true",
        help="with --resume: load only the weights, with a fresh optimizer and schedule "
        "(for a config that changed the freezing or the param groups)",
    )
    train.add_argument(
        "--eval-only",
        action="store_true",
        help="only evaluate the weights of model.init_from (or --checkpoint)",
    )
    evaluate = sub.add_parser("evaluate", help="evaluate saved weights on the validation set")
    _common(evaluate)
    return parser


def load(args: argparse.Namespace) -> tuple[cfgmod.Config, Sources]:
    """Read, override and validate the config the arguments name."""
    _check_resume_args(args)
    implied = []
    if args.checkpoint:
        weights = _weights_path(args.checkpoint)
        implied += [("--checkpoint", f"model.init_from={weights}")]
        implied += [("--checkpoint", "model.init_strict=true")]
    if args.predictions:
        implied.append(("--predictions", "output.predictions=true"))
    return cfgmod.load_with_sources(args.config, list(args.overrides), implied)


def _check_resume_args(args: argparse.Namespace) -> None:
    resume = getattr(args, "resume", None)
    if getattr(args, "resume_weights_only", False) and not resume:
        raise UsageError([Problem("--resume-weights-only", None, "needs --resume PATH")])
    if resume and (args.checkpoint or args.eval_only):
        other = "--checkpoint" if args.checkpoint else "--eval-only"
        raise UsageError(
            [
                Problem(
                    "--resume",
                    None,
                    f"cannot be combined with {other}: a resumed run "
                    "takes its weights from the checkpoint",
                )
            ]
        )


def _weights_path(path: str) -> str:
    """The safetensors file behind --checkpoint (a file, a checkpoint JSON or a run dir)."""
    if os.path.isdir(path):
        for tag in ("best", "last"):
            candidate = os.path.join(path, "checkpoints", f"{tag}.safetensors")
            if os.path.isfile(candidate):
                return os.path.abspath(candidate)
        raise UsageError(
            [
                Problem(
                    "--checkpoint",
                    None,
                    f"{path}: no checkpoints/best or checkpoints/last weights in this folder",
                )
            ]
        )
    if path.endswith(".json"):
        return os.path.abspath(weights_file(path))
    if not os.path.isfile(path):
        raise UsageError([Problem("--checkpoint", None, f"file not found: {path}")])
    return os.path.abspath(path)


def _report_error(exc: Exception) -> None:
    if isinstance(exc, ConfigError) and len(exc.problems) > 1:
        print(f"{PROG}: error: {exc.format()}", file=sys.stderr)
    else:
        print(f"{PROG}: error: {exc}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code (the console script passes it to sys.exit)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args = make_parser().parse_args(argv)
        except SystemExit as exc:  # --help and --version print and exit 0
            return int(exc.code or 0)
        cfg, sources = load(args)
        if args.print_config:
            print(cfgmod.to_yaml(cfg), end="")
            return 0
        from . import commands

        if args.command == "evaluate" or getattr(args, "eval_only", False):
            return commands.evaluate(cfg, sources, args)
        return commands.train(cfg, sources, args)
    except ConfigError as exc:
        _report_error(exc)
        return exc.exit_code
    except CheckpointError as exc:  # a bad file the user named: their mistake, not a crash
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except Interrupted as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        if exc.run_dir:
            print(f"resume with: {_resume_command(argv, exc.run_dir)}", file=sys.stderr)
        return exc.exit_code
    except TrainingError as exc:
        print(f"{PROG}: run failed: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception:  # a bug, not a user mistake: show where it happened
        traceback.print_exc()
        print(f"{PROG}: run failed with an unexpected error (above)", file=sys.stderr)
        return 1


def _resume_command(argv: list[str], run_dir: str) -> str:
    """The command line that continues an interrupted run: the same, plus --resume RUN."""
    kept, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--resume":
            skip = True
        elif not arg.startswith("--resume"):
            kept.append(arg)
    return shlex.join([PROG, *kept, "--resume", run_dir])


def script_main(command: str) -> None:
    """Entry for scripts/train.py and scripts/evaluate.py: `main([command, *argv])`."""
    with contextlib.suppress(BrokenPipeError):
        sys.exit(main([command, *sys.argv[1:]]))
