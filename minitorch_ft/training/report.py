"""What the user reads: the freeze report, epoch lines, the final summary, the curves PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence

from ..nn import Module
from . import atomic


def count_parameters(model: Module) -> tuple[int, int]:
    """(trainable, all) parameter element counts."""
    trainable = total = 0
    for _, p in model.named_parameters():
        total += p.numel()
        if p.requires_grad:
            trainable += p.numel()
    return trainable, total


def trainable_line(model: Module) -> str:
    """PEFT's one-liner: `trainable params: N || all params: M || trainable%: P`."""
    trainable, total = count_parameters(model)
    percent = 100 * trainable / total if total else 0.0
    return (
        f"trainable params: {trainable:,d} || all params: {total:,d} || trainable%: {percent:.4f}"
    )


def freeze_report(
    model: Module, frozen_norms: Sequence[str] = (), groups: Sequence[dict] = ()
) -> str:
    """A table of every parameter (name, shape, size, trainable, optimizer group)."""
    group_of = {
        n: g.get("name", str(i)) for i, g in enumerate(groups) for n in g.get("param_names", ())
    }
    rows = [("parameter", "shape", "size", "trainable", "group")]
    for name, p in model.named_parameters():
        shape = "(" + ", ".join(str(s) for s in p.shape) + ("," if p.ndim == 1 else "") + ")"
        rows.append(
            (
                name,
                shape,
                f"{p.numel():,d}",
                "yes" if p.requires_grad else "no",
                group_of.get(name, "-"),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = [
        "  ".join(
            cell.ljust(w) if i != 2 else cell.rjust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]
    lines.insert(1, "-" * len(lines[0]))
    if frozen_norms:
        lines.append(
            "norm layers kept in eval mode (running statistics fixed): " + ", ".join(frozen_norms)
        )
    lines.append(trainable_line(model))
    return "\n".join(lines)


def groups_report(groups: Sequence[dict]) -> str:
    """One line per optimizer param group: name, lr, weight decay, parameter count."""
    lines = []
    for g in groups:
        size = sum(p.numel() for p in g["params"])
        lines.append(
            f"  param group {g.get('name', '?')}: lr {g['lr']:g}, weight_decay "
            f"{g.get('weight_decay', 0):g}, {len(g['params'])} tensors, {size:,d} params"
        )
    return "\n".join(lines)


def fmt(value) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def epoch_line(record: dict, epochs: int) -> str:
    """`epoch 3/20  train_loss 0.41  val_loss 0.39  val_accuracy 0.84  lr 0.01  0.3s`."""
    parts = [f"epoch {record['epoch']}/{epochs}"]
    parts += [
        f"{k} {fmt(v)}"
        for k, v in record.items()
        if k.startswith(("train_", "val_")) and not isinstance(v, (dict, list))
    ]
    lrs = sorted({float(v) for v in record.get("lr", {}).values()})
    if lrs:
        parts.append("lr " + "/".join(f"{v:.3g}" for v in lrs))
    parts.append(f"{record.get('time_s', 0):.2f}s")
    return "  ".join(parts)


def metrics_table(metrics: dict) -> str:
    """Aligned `name  value` lines for a metrics dict."""
    if not metrics:
        return "  (no metrics)"
    width = max(len(k) for k in metrics)
    return "\n".join(f"  {k.ljust(width)}  {fmt(v)}" for k, v in metrics.items())


def plot_curves(history: Sequence[dict], path: str) -> bool:
    """Loss and metric curves as a PNG when matplotlib is installed; False otherwise."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    keys = sorted(
        {
            k
            for r in history
            for k, v in r.items()
            if k.startswith(("train_", "val_")) and isinstance(v, (int, float))
        }
    )
    losses = [k for k in keys if k.endswith("loss")]
    others = [k for k in keys if k not in losses]
    panels = [
        (chosen, title) for chosen, title in ((losses, "loss"), (others, "metrics")) if chosen
    ]
    if not panels:
        return False
    fig, axes = plt.subplots(1, len(panels), figsize=(5 * len(panels), 4), squeeze=False)
    for ax, (chosen, title) in zip(axes[0], panels, strict=True):
        for key in chosen:
            points = [(r["epoch"], r[key]) for r in history if r.get(key) is not None]
            ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=key)
        ax.set_xlabel("epoch")
        ax.set_title(title)
        ax.legend()
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    plt.close(fig)
    atomic.write_bytes(path, buf.getvalue())
    return True
