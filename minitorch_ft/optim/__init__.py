"""Optimizers (torch.optim); filled in by the optim change."""
