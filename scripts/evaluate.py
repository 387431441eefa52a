"""Evaluate saved weights: `python scripts/evaluate.py --config FILE [--checkpoint PATH]`.

Same as `minitorch-ft evaluate ...`: metrics on the validation split, under no_grad.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from minitorch_ft.training.cli import script_main  # noqa: E402 - after the path fix

if __name__ == "__main__":
    script_main("evaluate")
