"""Where a tensor lives and how its memory is laid out (device, layout, sizes in bytes,
contiguity): rarely used metadata, kept out of `tensor.py` as a base class of Tensor."""

from __future__ import annotations

from .size import contiguous_format, device, preserve_format, strided

_CPU = device("cpu")  # immutable, so every tensor can hand out the same one


class TensorLayout:
    """Device and memory-layout queries of a Tensor (which holds the array as `_data`)."""

    __slots__ = ()

    @property
    def device(self) -> device:
        return _CPU

    @property
    def is_cuda(self) -> bool:
        return False

    @property
    def is_cpu(self) -> bool:
        return True

    def get_device(self) -> int:
        """-1 for a CPU tensor, as torch."""
        return -1

    @property
    def layout(self):
        return strided

    # Kinds of tensor torch has and this library does not: every tensor is dense and plain.
    is_sparse = is_quantized = is_meta = is_mkldnn = is_nested = False
    output_nr = 0  # split/chunk/unbind set their later pieces' own number

    def _is_view(self) -> bool:
        return self._base is not None

    def element_size(self) -> int:
        return self._data.itemsize

    @property
    def itemsize(self) -> int:
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        return self._data.nbytes

    def is_complex(self) -> bool:
        return False  # no complex dtypes here

    def is_contiguous(self, *, memory_format=contiguous_format) -> bool:
        if memory_format is not contiguous_format and memory_format is not preserve_format:
            raise TypeError(
                "is_contiguous(): argument 'memory_format' must be torch.memory_format, not "
                f"{type(memory_format).__name__}"
            )
        return bool(self._data.flags.c_contiguous)

    def data_ptr(self) -> int:
        return self._data.__array_interface__["data"][0]
