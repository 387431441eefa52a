"""Train or fine-tune from a YAML config: `python scripts/train.py --config FILE [--set k=v]`.

Same as `minitorch-ft train ...`; see `--help` for --dry-run, --print-config, --eval-only.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from minitorch_ft.training.cli import script_main  # noqa: E402 - after the path fix

if __name__ == "__main__":
    script_main("train")
