"""`torch.utils` names: `minitorch_ft.utils.data` is `minitorch_ft.data`."""

from . import data

__all__ = ["data"]
