"""Small value types of tensor metadata: `torch.Size` and `torch.device`."""

from __future__ import annotations


class Size(tuple):
    """A tuple of dimensions that prints as `torch.Size([2, 3])`."""

    def __repr__(self) -> str:
        return f"torch.Size({list(self)})"

    # Slicing, concatenating and repeating a Size give a Size, as in PyTorch.
    def __getitem__(self, index):
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):
        if not isinstance(other, tuple):
            raise TypeError(
                f"can only concatenate tuple (not {type(other).__name__}) to torch.Size"
            )
        return Size(tuple(self) + other)

    def __radd__(self, other):
        return Size(other + tuple(self))

    def __mul__(self, n):
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def numel(self) -> int:
        n = 1
        for s in self:
            n *= s
        return n


class device(str):  # noqa: N801 - PyTorch's name
    """Only the CPU exists here; `device('cpu')` compares equal to 'cpu'."""

    @property
    def type(self) -> str:
        return str(self).split(":")[0]

    def __repr__(self) -> str:
        return f"device(type='{self.type}')"
