"""Timing helpers shared by the benchmarks: medians after warm-up, optional torch."""

from __future__ import annotations

import gc
import statistics
import time


def median_seconds(fn, repeats: int, warmup: int = 3, inner: int = 1) -> float:
    """Median wall time of `fn()` over `repeats` runs (each `inner` calls), after warm-up."""
    for _ in range(warmup):
        fn()
    times = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            times.append((time.perf_counter() - start) / inner)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(times)


def paired_median_seconds(fns: list, repeats: int, warmup: int = 3, inner: int = 1) -> list[float]:
    """Median wall time of each function, timed in turn within every repeat.

    Interleaving keeps slow drift on a shared machine (other processes, CPU clocks) from
    favouring whichever function happened to be measured first.
    """
    return [statistics.median(t) for t in paired_times(fns, repeats, warmup, inner)]


def paired_times(fns: list, repeats: int, warmup: int = 3, inner: int = 1) -> list[list[float]]:
    """Every repeat's wall time of each function (see `paired_median_seconds`)."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    times: list[list[float]] = [[] for _ in fns]
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeats):
            for fn, bucket in zip(fns, times, strict=True):
                start = time.perf_counter()
                for _ in range(inner):
                    fn()
                bucket.append((time.perf_counter() - start) / inner)
    finally:
        if gc_was_enabled:
            gc.enable()
    return times


def try_import_torch():
    """torch when installed (an oracle for comparison only), else None."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(max(1, torch.get_num_threads()))
    return torch


def row(name: str, mine: float, numpy_s: float | None, torch_s: float | None, **extra) -> dict:
    """One result row with ratios against hand-written numpy and torch."""
    return {
        "name": name,
        "minitorch_s": mine,
        "numpy_s": numpy_s,
        "torch_s": torch_s,
        "ratio_numpy": None if not numpy_s else mine / numpy_s,
        "ratio_torch": None if not torch_s else mine / torch_s,
        **extra,
    }
