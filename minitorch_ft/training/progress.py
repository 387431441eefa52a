"""tqdm progress bars for epochs and batches, and log lines that do not break them.

Bars show only when asked for and stderr is a terminal; otherwise (CI logs, pipes, `--quiet`)
nothing but the log lines is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tqdm import tqdm


class Progress:
    """Owns the bars of one run; `write` goes above the bars when they are shown."""

    def __init__(self, enabled: bool, log: Callable | None = print) -> None:
        self.enabled = enabled
        self.log = log

    def write(self, message: str) -> None:
        if self.log is None:
            return
        if self.enabled:
            tqdm.write(message)
        else:
            self.log(message)

    def epochs(self, done: int, total: int):
        if not self.enabled:
            return None
        return tqdm(total=total, initial=done, desc="epochs", unit="epoch", dynamic_ncols=True)

    def batches(self, loader: Iterable, epoch: int) -> Iterable:
        if not self.enabled:
            return loader
        return tqdm(
            loader,
            total=len_or_none(loader),
            desc=f"epoch {epoch}",
            unit="batch",
            leave=False,
            dynamic_ncols=True,
        )

    def postfix(self, bar, loss: float, lr) -> None:
        if isinstance(bar, tqdm):
            bar.set_postfix(loss=f"{loss:.4f}", lr=f"{float(lr):.3g}", refresh=False)

    def advance(self, bar, record: dict) -> None:
        if bar is not None:
            shown = {
                k: f"{v:.4f}"
                for k, v in record.items()
                if k in ("train_loss", "val_loss") and isinstance(v, float)
            }
            bar.set_postfix(shown, refresh=False)
            bar.update(1)

    def close(self, bar) -> None:
        if bar is not None:
            bar.close()


def len_or_none(loader: Iterable) -> int | None:
    """The number of batches, or None for a loader without `len` (an iterable)."""
    return len(loader) if hasattr(loader, "__len__") else None
