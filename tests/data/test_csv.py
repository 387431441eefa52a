"""CSV loading: every bad file names the file, the row (header = row 1) and the column."""

import numpy as np
import pytest

from minitorch_ft.data import CSVError, read_csv, split, standardize


def _write(tmp_path, text, name="d.csv"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


GOOD = "a,b,label\n1,2,0\n3,4,1\n5,6,0\n7,8,1\n"


def test_reads_features_and_labels(tmp_path):
    t = read_csv(_write(tmp_path, GOOD), "label", label_kind="binary")
    assert t.feature_names == ["a", "b"] and t.target_name == "label"
    assert t.x.dtype == np.float32 and t.x.tolist() == [[1, 2], [3, 4], [5, 6], [7, 8]]
    assert t.y.tolist() == [0, 1, 0, 1] and t.rows.tolist() == [2, 3, 4, 5]


def test_feature_selection_no_header_and_delimiter(tmp_path):
    t = read_csv(_write(tmp_path, GOOD), "label", ["b"], label_kind="class")
    assert t.x.tolist() == [[2], [4], [6], [8]] and t.y.dtype == np.int64
    t = read_csv(_write(tmp_path, "1;2;0.5\n3;4;1.5\n"), "2", delimiter=";", header=False)
    assert t.feature_names == ["0", "1"] and t.y.tolist() == [0.5, 1.5]


@pytest.mark.parametrize(
    "text,kind,target,expected",
    [
        ("a,b,label\n1,2,0\n3,x,1\n", "binary", "label", r"row 3, column 'b': not a number: 'x'"),
        ("a,b,label\n1,2,0\n3,nan,1\n", "binary", "label", r"row 3, column 'b': missing value"),
        ("a,b,label\n1,,0\n3,4,1\n", "binary", "label", r"row 2, column 'b': missing value"),
        ("a,b,label\n1,2,0\n3,4\n", "binary", "label", r"row 3: expected 3 fields, got 2"),
        (
            "a,b,label\n1,2,0\n3,4,2\n",
            "binary",
            "label",
            r"row 3, column 'label': a binary label must be 0 or 1, got 2",
        ),
        (
            "a,b,label\n1,2,0.5\n3,4,1\n",
            "class",
            "label",
            r"row 2, column 'label': a class label must be an integer >= 0, got 0.5",
        ),
        ("a,b,label\n1,2,1\n3,4,1\n", "binary", "label", r"column 'label': only one class \(1\)"),
        (
            "a,b,label\n1,2,0\n3,4,1\n",
            "binary",
            "lable",
            r"target column 'lable' not found \(did you mean 'label'\?\); columns are: 'a', 'b'",
        ),
        ("", "binary", "label", r"the file is empty"),
        ("a,b,label\n", "binary", "label", r"header but no data rows"),
        ("a,a,label\n1,2,0\n", "binary", "label", r"row 1: duplicate column name 'a'"),
        ("a,b,label\n1,inf,0\n3,4,1\n", "regression", "label", r"row 2, column 'b': not a finite"),
    ],
)
def test_errors_name_row_and_column(tmp_path, text, kind, target, expected):
    path = _write(tmp_path, text)
    with pytest.raises(CSVError, match=expected) as info:
        read_csv(path, target, label_kind=kind)
    assert str(info.value).startswith(path)


def test_missing_feature_column(tmp_path):
    with pytest.raises(CSVError, match=r"feature column 'c' not found"):
        read_csv(_write(tmp_path, GOOD), "label", ["a", "c"])


def test_not_utf8(tmp_path):
    path = tmp_path / "bin.csv"
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CSVError, match="not a text file"):
        read_csv(str(path), "label")


def test_split_is_seeded_and_standardize_uses_train_stats_only(tmp_path):
    rows = "".join(f"{i},{i % 2}\n" for i in range(20))
    t = read_csv(_write(tmp_path, "x,y\n" + rows), "y", label_kind="binary")
    tr, va = split(t, 0.25, seed=1)
    tr2, va2 = split(t, 0.25, seed=1)
    assert len(va.y) == 5 and len(tr.y) == 15
    assert np.array_equal(tr.x, tr2.x) and np.array_equal(va.rows, va2.rows)
    assert set(tr.rows.tolist()).isdisjoint(va.rows.tolist())
    s_tr, s_va = standardize(tr.x, va.x)
    assert abs(float(s_tr.mean())) < 1e-6 and abs(float(s_tr.std()) - 1) < 1e-5
    mean, std = tr.x.mean(), tr.x.std()
    np.testing.assert_allclose(s_va, (va.x - mean) / std, rtol=1e-5)
    with pytest.raises(CSVError, match="too few"):
        split(t, 0.99, seed=0)
