"""Run every benchmark, print ratios, and write benchmarks/RESULTS.md with machine info.

`python benchmarks/run.py [--quick]` (`make bench`, `make bench-quick`). Ratios < 1 mean faster
than the baseline. A quick run only prints, so RESULTS.md keeps the last full run.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

SUITES = ("bench_autograd", "bench_train", "bench_optim", "bench_trainer", "bench_nn")


def machine_info() -> list[str]:
    """Machine, numpy/BLAS build and thread count, so figures can be compared honestly."""
    lines = [
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} "
        f"{platform.release()}",
        f"- python {platform.python_version()}, numpy {np.__version__}",
    ]
    try:
        config = np.show_config(mode="dicts")
        blas = config.get("Build Dependencies", {}).get("blas", {})
        lines.append(f"- BLAS: {blas.get('name', '?')} {blas.get('version', '')}".rstrip())
    except Exception:  # noqa: BLE001 - older numpy has no dict mode
        lines.append("- BLAS: unknown")
    threads = [
        f"{k}={os.environ[k]}"
        for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "OPENBLAS_CORETYPE")
        if k in os.environ
    ]
    lines.append(f"- thread env: {', '.join(threads) or 'defaults'}")
    try:
        import torch

        lines.append(f"- torch {torch.__version__}, {torch.get_num_threads()} threads")
    except ImportError:
        lines.append("- torch: not installed (torch columns empty)")
    return lines


def _fmt_time(seconds) -> str:
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.2f} us"
    return f"{seconds * 1e3:.3f} ms"


def _fmt_ratio(ratio) -> str:
    return "-" if ratio is None else f"{ratio:.2f}x"


def render(rows: list[dict], quick: bool) -> str:
    out = [
        "# Benchmark results",
        "",
        f"Mode: {'quick' if quick else 'full'} (medians of repeated runs after warm-up).",
        "",
        *machine_info(),
        "",
        "| scenario | minitorch_ft | hand numpy | torch | vs numpy | vs torch |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    extra = []
    for r in rows:
        if "minitorch_s" in r:
            out.append(
                f"| {r['name']} | {_fmt_time(r['minitorch_s'])} | {_fmt_time(r['numpy_s'])} | "
                f"{_fmt_time(r['torch_s'])} | {_fmt_ratio(r['ratio_numpy'])} | "
                f"{_fmt_ratio(r['ratio_torch'])} |"
            )
        else:
            extra.append(r)
    for r in extra:
        out.append("")
        out.append(
            f"- {r['name']}: "
            + ", ".join(
                f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                for k, v in r.items()
                if k != "name"
            )
        )
    notes = HERE / "NOTES.md"
    if notes.exists():
        out += ["", notes.read_text().strip()]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--quick", action="store_true", help="fewer repeats, a few seconds; print only"
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    for name in SUITES:
        try:
            module = importlib.import_module(f"benchmarks.{name}")
        except ImportError as err:
            print(f"skipping {name}: {err}")
            continue
        for r in module.run(args.quick):
            rows.append(r)
            print(
                r["name"],
                "|",
                ", ".join(
                    f"{k}={v:.3g}" if isinstance(v, float) else f"{k}={v}"
                    for k, v in r.items()
                    if k != "name"
                ),
                flush=True,
            )
    text = render(rows, args.quick)
    if not (args.no_write or args.quick):  # RESULTS.md holds full runs only
        (HERE / "RESULTS.md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
