"""Bad CSV files through the real CLI: exit 2, one message naming the file (and the cell)."""

import os

import pytest

from minitorch_ft.training import cli

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FINETUNE = os.path.join(ROOT, "configs", "finetune.yaml")

CASES = [
    (b"", "data.csv: the file is empty"),
    (b"\n\n  \n", "data.csv: the file is empty"),
    (b"a,b,label\n", "data.csv: the file has a header but no data rows"),
    (b"a,b,label\n1,2,0\n3,4\n", "data.csv: row 3: expected 3 fields, got 2"),
    (b"a,b,label\n1,2,0\n3,4,1,9\n", "data.csv: row 3: expected 3 fields, got 4"),
    (b"a,b,label\n1,2,0\n3,four,1\n", "data.csv: row 3, column 'b': not a number: 'four'"),
    (b"a,b,label\n1,,0\n3,4,1\n", "data.csv: row 2, column 'b': missing value ''"),
    (b"a,b,label\n1,NaN,0\n3,4,1\n", "data.csv: row 2, column 'b': missing value 'NaN'"),
    (b"a,b,label\n1,1e999,0\n3,4,1\n", "data.csv: row 2, column 'b': not a finite number"),
    (b"a,b,label\n1,2,0\n3,4,2\n", "row 3, column 'label': a binary label must be 0 or 1, got 2"),
    (b"a,b,label\n1,2,-1\n3,4,1\n", "row 2, column 'label': a binary label must be 0 or 1, got -1"),
    (b"a,b,label\n1,2,0.5\n3,4,1\n", "a binary label must be 0 or 1, got 0.5"),
    (b"a,b,label\n1,2,yes\n3,4,1\n", "row 2, column 'label': not a number: 'yes'"),
    (b"a,b,label\n1,2,1\n3,4,1\n", "column 'label': only one class (1) in 2 rows"),
    (b"a,b,lab\n1,2,1\n3,4,0\n", "target column 'label' not found (did you mean 'lab'?)"),
    (b"a,a,label\n1,2,1\n3,4,0\n", "data.csv: row 1: duplicate column name 'a'"),
    (b"a,b,label\n1,2,1\n3,4\x00,0\n", "row 3, column 'b': not a number: '4\\x00'"),
    (b"\xff\xfe\x00\x01binary", "data.csv: not a text file (invalid UTF-8)"),
    (b'a,b,label\n1,"2,0\n', "data.csv: malformed CSV"),
    (b"label\n1\n0\n", "no feature columns besides the target 'label'"),
    (b"a,b,label\n1,2,1\n3,4,0\n", "the training rows of"),
]


@pytest.mark.parametrize("data,message", CASES, ids=[f"csv{i}" for i in range(len(CASES))])
def test_bad_csv_gives_one_clear_message(capsys, tmp_path, data, message):
    (tmp_path / "data.csv").write_bytes(data)
    config = tmp_path / "c.yaml"
    config.write_text(
        f"base: {FINETUNE}\ndata: {{name: csv, path: data.csv, target: label}}\n"
        f"output: {{dir: {tmp_path / 'run'}}}\n"
    )
    code = cli.main(["train", "--config", str(config), "--dry-run"])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("minitorch-ft: error: ") and err.count("\n") == 1, err
    assert message in err and str(tmp_path / "data.csv") in err
    assert "Traceback" not in err
    assert not (tmp_path / "run").exists()
