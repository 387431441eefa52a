"""`torch.utils.data`: the same objects as `minitorch_ft.data`."""

from ..data import *  # noqa: F403
from ..data import __all__  # noqa: F401
