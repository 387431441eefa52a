"""`python -m minitorch_ft train|evaluate --config FILE ...` (same as the minitorch-ft script)."""

import sys

from minitorch_ft.training.cli import main

if __name__ == "__main__":
    sys.exit(main())
