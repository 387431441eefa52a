"""Run the CLI in a subprocess that kills itself at a chosen moment (for the crash tests).

FAULT=step:N       SIGKILL right after optimizer step N
FAULT=write:M:how  at the M-th atomic file write: `partial` leaves half a temporary file
                   and dies before the rename; `after` dies right after the rename
FAULT=sigint:N     SIGINT (Ctrl-C) right after step N; the run should save and exit 130
Usage: python fault_runner.py train --config FILE ...
"""

import os
import signal
import sys

from minitorch_ft.training import atomic, cli
from minitorch_ft.training import trainer as trainer_module


def main() -> None:
    kind, _, rest = os.environ.get("FAULT", "").partition(":")
    if kind in ("step", "sigint"):
        target = int(rest)
        sig = signal.SIGKILL if kind == "step" else signal.SIGINT
        original_step = trainer_module.Trainer._step

        def step(self, batch, epoch):
            out = original_step(self, batch, epoch)
            if self.global_step == target:
                os.kill(os.getpid(), sig)
            return out

        trainer_module.Trainer._step = step
    elif kind == "write":
        number, _, how = rest.partition(":")
        target, calls = int(number), [0]
        original_write = atomic.write_bytes

        def write_bytes(path, data):
            calls[0] += 1
            if calls[0] != target:
                return original_write(path, data)
            if how == "partial":
                folder, name = os.path.split(os.path.abspath(path))
                with open(os.path.join(folder, f".{name}.crash.tmp"), "wb") as f:
                    f.write(data[: len(data) // 2])
            else:
                original_write(path, data)
            os.kill(os.getpid(), signal.SIGKILL)

        atomic.write_bytes = write_bytes
    sys.exit(cli.main(sys.argv[1:]))


if __name__ == "__main__":
    main()
