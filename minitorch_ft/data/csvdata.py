"""A user's own tabular data from a CSV file: numeric features, one label column.

Every problem names the file, the row (counted as a spreadsheet does: the header is row 1)
and the column, so a user can go straight to the cell. Standardisation uses training
statistics only, so the validation rows stay unseen.
"""

from __future__ import annotations

import csv
import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

_FLOAT32_MAX = float(np.finfo(np.float32).max)


class CSVError(ValueError):
    """A CSV file that cannot be used as it is; the message names file, row and column."""


@dataclass
class Table:
    """Features and labels read from a CSV file."""

    x: NDArray[np.float32]
    y: NDArray
    feature_names: list[str]
    target_name: str
    rows: NDArray[np.int64]  # the spreadsheet row number of each example


def _open_rows(path: str, delimiter: str):
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            rows = [(reader.line_num, row) for row in reader if any(c.strip() for c in row)]
    except UnicodeDecodeError:
        raise CSVError(f"{path}: not a text file (invalid UTF-8)") from None
    except csv.Error as exc:
        raise CSVError(f"{path}: malformed CSV: {exc}") from None
    except OSError as exc:
        raise CSVError(f"{path}: cannot read: {exc.strerror}") from None
    return rows


def _column(name: str, names: list[str], path: str, what: str) -> int:
    if name in names:
        return names.index(name)
    close = difflib.get_close_matches(name, names, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    listed = ", ".join(repr(n) for n in names[:30]) + (", ..." if len(names) > 30 else "")
    raise CSVError(f"{path}: {what} column {name!r} not found{hint}; columns are: {listed}")


def _number(cell: str, path: str, row: int, column: str) -> float:
    text = cell.strip()
    if text == "" or text.lower() in ("nan", "na", "n/a", "null", "none"):
        raise CSVError(f"{path}: row {row}, column {column!r}: missing value {cell!r}")
    try:
        value = float(text)
    except ValueError:
        raise CSVError(f"{path}: row {row}, column {column!r}: not a number: {cell!r}") from None
    if not math.isfinite(value):
        raise CSVError(f"{path}: row {row}, column {column!r}: not a finite number: {cell!r}")
    if abs(value) > _FLOAT32_MAX:  # would become inf in the float32 arrays, then NaN losses
        raise CSVError(
            f"{path}: row {row}, column {column!r}: {cell!r} is too large for float32 "
            f"(at most {_FLOAT32_MAX:.4g} in magnitude)"
        )
    return value


def _check_labels(y: NDArray, rows: NDArray, kind: str, path: str, target: str) -> NDArray:
    if kind == "regression":
        return y.astype(np.float32)
    for value, row in zip(y.tolist(), rows.tolist(), strict=True):
        if kind == "binary" and value not in (0.0, 1.0):
            raise CSVError(
                f"{path}: row {row}, column {target!r}: a binary label must be 0 "
                f"or 1, got {value:g}"
            )
        if kind == "class" and (value < 0 or not float(value).is_integer()):
            raise CSVError(
                f"{path}: row {row}, column {target!r}: a class label must be an "
                f"integer >= 0, got {value:g}"
            )
    classes = np.unique(y)
    if classes.size < 2:
        raise CSVError(
            f"{path}: column {target!r}: only one class ({classes[0]:g}) in "
            f"{y.size} rows; classification needs at least two"
        )
    return y.astype(np.float32 if kind == "binary" else np.int64)


def read_csv(
    path: str,
    target: str,
    features: Sequence[str] | None = None,
    *,
    delimiter: str = ",",
    header: bool = True,
    label_kind: str = "regression",
) -> Table:
    """Read numeric features and a label column; `label_kind` is class, binary or regression.

    Without a header, columns are named by their 0-based index ("0", "1", ...).
    """
    rows = _open_rows(path, delimiter)
    if not rows:
        raise CSVError(f"{path}: the file is empty")
    if header:
        names = [c.strip() for c in rows[0][1]]
        rows = rows[1:]
        if not rows:
            raise CSVError(f"{path}: the file has a header but no data rows")
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise CSVError(f"{path}: row 1: duplicate column name {dupes[0]!r}")
    else:
        names = [str(i) for i in range(len(rows[0][1]))]
    target_col = _column(str(target), names, path, "target")
    wanted = [str(f) for f in features] if features else [n for n in names if n != str(target)]
    feature_cols = [_column(f, names, path, "feature") for f in wanted]
    if target_col in feature_cols:
        raise CSVError(f"{path}: column {names[target_col]!r} is both the target and a feature")
    if not feature_cols:
        raise CSVError(f"{path}: no feature columns besides the target {names[target_col]!r}")
    x = np.empty((len(rows), len(feature_cols)), dtype=np.float64)
    y = np.empty(len(rows), dtype=np.float64)
    line_numbers = np.empty(len(rows), dtype=np.int64)
    for i, (line, cells) in enumerate(rows):
        if len(cells) != len(names):
            raise CSVError(f"{path}: row {line}: expected {len(names)} fields, got {len(cells)}")
        for j, col in enumerate(feature_cols):
            x[i, j] = _number(cells[col], path, line, names[col])
        y[i] = _number(cells[target_col], path, line, names[target_col])
        line_numbers[i] = line
    y = _check_labels(y, line_numbers, label_kind, path, names[target_col])
    return Table(
        x.astype(np.float32), y, [names[c] for c in feature_cols], names[target_col], line_numbers
    )


def split(table: Table, val_fraction: float, seed: int, path: str = "") -> tuple[Table, Table]:
    """A seeded random train/validation split (validation gets ceil(n * fraction) rows)."""
    n = table.x.shape[0]
    n_val = math.ceil(n * val_fraction)
    if n - n_val < 1 or n_val < 1:
        raise CSVError(f"{path}: {n} data rows are too few for val_fraction {val_fraction:g}")
    order = np.random.default_rng([int(seed), 7]).permutation(n)

    def take(idx: NDArray) -> Table:
        idx = np.sort(idx)
        return Table(
            table.x[idx], table.y[idx], table.feature_names, table.target_name, table.rows[idx]
        )

    return take(order[n_val:]), take(order[:n_val])


def standardize(train_x: NDArray, *others: NDArray) -> tuple[NDArray, ...]:
    """Scale with the training set's mean and std only (a constant column keeps std 1)."""
    mean = train_x.mean(axis=0, dtype=np.float64)
    std = train_x.std(axis=0, dtype=np.float64)
    std[std == 0] = 1.0
    return tuple(((a - mean) / std).astype(np.float32) for a in (train_x, *others))
