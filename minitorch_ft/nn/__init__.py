"""Neural-network modules (torch.nn); filled in by the nn change."""
from . import functional  # noqa: F401
