"""Run a ported tutorial snippet (written for `import torch`) on minitorch_ft or on torch.

Only the import lines change, as a user porting the code would change them.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

HERE = Path(__file__).parent
NAMES = sorted(p.stem for p in HERE.glob("s[0-9][0-9]_*.py"))


def port(source: str) -> str:
    """The snippet with its torch imports pointed at minitorch_ft."""
    source = re.sub(r"^from torch\.", "from minitorch_ft.", source, flags=re.M)
    source = re.sub(r"^from torch import", "from minitorch_ft import", source, flags=re.M)
    source = re.sub(
        r"^import torch\.nn\.functional as F$",
        "import minitorch_ft.nn.functional as F",
        source,
        flags=re.M,
    )
    return re.sub(r"^import torch$", "import minitorch_ft as torch", source, flags=re.M)


def run(name: str, torch_itself: bool = False) -> str:
    """Execute snippet `name` and return what it printed (warnings silenced)."""
    source = (HERE / f"{name}.py").read_text()
    if not torch_itself:
        source = port(source)
        assert "import torch" not in source.replace("import minitorch_ft as torch", "")
    out = io.StringIO()
    with contextlib.redirect_stdout(out), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(source, f"{name}.py", "exec"), {"__name__": f"snippet_{name}"})
    return out.getvalue()


_NUMBER = re.compile(r"(-?\d+(?:\.\d*)?(?:e[-+]?\d+)?)")


def same_output(ours: str, theirs: str, rel: float = 1e-5, abs_: float = 2e-4) -> str | None:
    """None when the two printouts agree: identical text, numbers equal within print rounding.

    Otherwise a short description of the first difference. Object addresses are ignored.
    """
    ours, theirs = (re.sub(r"0x[0-9a-f]+", "0x", s) for s in (ours, theirs))
    a, b = _NUMBER.split(ours), _NUMBER.split(theirs)
    if len(a) != len(b):
        return f"different structure:\n--- ours\n{ours}\n--- torch\n{theirs}"
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if i % 2 == 0:
            if x != y:
                return f"text differs: {x!r} vs torch {y!r}"
        elif x != y and abs(float(x) - float(y)) > abs_ + rel * abs(float(y)):
            context = "".join(a[max(0, i - 3) : i + 2])
            return f"number differs: {x} vs torch {y} in ...{context}"
    return None
