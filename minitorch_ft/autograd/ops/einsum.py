"""torch.einsum and torch.tensordot as one node over numpy's einsum.

The gradient for operand k is itself an einsum: the output gradient with the other operands,
into operand k's subscripts (letters only k has were summed, so they broadcast back; repeated
letters were a diagonal, so the gradient is written onto it).
"""

from __future__ import annotations

import string

import numpy as np

from ..function import Op
from ..tensor import Tensor

__all__ = ["einsum", "tensordot"]


class Einsum(Op):
    """numpy einsum over explicit subscripts; one node for the whole contraction."""

    grad_fn_name = "ViewBackward0"  # what torch records for a contraction (a reshaped bmm)

    @staticmethod
    def forward(ctx, *arrays, inputs, output):
        ctx.inputs, ctx.output = inputs, output
        ctx.save_for_backward(*arrays)
        spec = ",".join(inputs) + "->" + output
        return np.asarray(np.einsum(spec, *arrays, optimize=len(arrays) > 2))

    @staticmethod
    def backward(ctx, grad):
        arrays = ctx.saved
        grads = []
        for k, (subs, array) in enumerate(zip(ctx.inputs, arrays, strict=True)):
            if not ctx.needs_input_grad[k]:
                grads.append(None)
                continue
            others = [
                (s, a) for j, (s, a) in enumerate(zip(ctx.inputs, arrays, strict=True)) if j != k
            ]
            seen = set(ctx.output).union(*(s for s, _ in others))
            unique = "".join(dict.fromkeys(c for c in subs if c in seen))
            spec = ",".join([ctx.output] + [s for s, _ in others]) + "->" + unique
            g = np.einsum(spec, grad, *(a for _, a in others), optimize=len(others) > 1)
            sizes = dict(zip(subs, array.shape, strict=True))
            full = "".join(dict.fromkeys(subs))  # each letter once, summed-away ones included
            g = np.broadcast_to(
                np.einsum(f"{unique}->{unique}", g).reshape(
                    [sizes[c] if c in unique else 1 for c in full]
                ),
                [sizes[c] for c in full],
            )
            if len(full) == len(subs):
                grads.append(np.einsum(f"{full}->{subs}", g).astype(array.dtype, copy=True))
                continue
            out = np.zeros(array.shape, array.dtype)
            np.einsum(f"{subs}->{full}", out)[...] = g  # writeable diagonal view
            grads.append(out)
        return tuple(grads)


class _Permute(Einsum):
    grad_fn_name = "PermuteBackward0"


class _Sum(Einsum):
    grad_fn_name = "SumBackward1"


class _Mul(Einsum):
    grad_fn_name = "MulBackward0"


def _parse(equation: str, operands) -> tuple:
    """Explicit per-operand subscripts and output, with '...' spelled out as letters."""
    equation = equation.replace(" ", "")
    lhs, arrow, rhs = equation.partition("->")
    terms = lhs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError(
            "einsum(): more operands were provided than specified in the equation"
            if len(operands) > len(terms)
            else "einsum(): fewer operands were provided than specified in the equation"
        )
    spare = [c for c in string.ascii_letters if c not in equation]
    ell_dims = 0
    for term, t in zip(terms, operands, strict=True):
        if "..." in term:
            ell_dims = max(ell_dims, t.ndim - len(term.replace("...", "")))
    ell = "".join(spare[:ell_dims])
    inputs = []
    for k, (term, t) in enumerate(zip(terms, operands, strict=True)):
        n = len(term.replace("...", ""))
        if "..." in term:
            term = term.replace("...", ell[ell_dims - (t.ndim - n) :] if t.ndim > n else "")
        elif n != t.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({n}) does not match the "
                f"number of dimensions ({t.ndim}) for operand {k} and no ellipsis was given"
            )
        inputs.append(term)
    if arrow:
        output = rhs.replace("...", ell)
        letters = set("".join(inputs))
        for c in output:
            if c not in letters:
                raise RuntimeError(
                    f"einsum(): output subscript {c} does not appear in the "
                    "equation for any input operand"
                )
    else:
        counts = "".join(t for t in inputs)
        output = ell + "".join(
            sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ell)
        )
    sizes: dict = {}
    for k, (term, t) in enumerate(zip(inputs, operands, strict=True)):
        for c, s in zip(term, t.shape, strict=True):
            if sizes.get(c, s) != s and s != 1 and sizes[c] != 1:
                raise RuntimeError(
                    f"einsum(): subscript {c} has size {s} for operand {k} which "
                    f"does not broadcast with previously seen size {sizes[c]}"
                )
            sizes[c] = s if sizes.get(c, 1) == 1 else sizes[c]
    return inputs, output


def einsum(equation: str, *operands) -> Tensor:
    """Einstein summation, e.g. einsum('bij,bjk->bik', a, b); '...' and implicit output work."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    inputs, output = _parse(equation, operands)
    op = Einsum
    if len(inputs) == 1:  # torch takes any diagonal, then permutes or sums
        op = _Permute if set(output) == set(inputs[0]) else _Sum
    elif len(inputs) == 2 and set(output) == set(inputs[0]) | set(inputs[1]):
        op = _Mul  # nothing summed: a broadcast product
    return op.apply(*operands, inputs=tuple(inputs), output=output)


def tensordot(a: Tensor, b: Tensor, dims=2, out=None) -> Tensor:
    """Contract the last `dims` dims of a with the first of b, or the listed dim pairs."""
    if isinstance(dims, int):
        dims_a, dims_b = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        dims_a, dims_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    dims_a = [d % a.ndim for d in dims_a]
    dims_b = [d % b.ndim for d in dims_b]
    letters = iter(string.ascii_letters)
    sa = [next(letters) for _ in range(a.ndim)]
    sb = [next(letters) for _ in range(b.ndim)]
    for da, db in zip(dims_a, dims_b, strict=True):
        sb[db] = sa[da]
    output = [c for i, c in enumerate(sa) if i not in dims_a] + [
        c for i, c in enumerate(sb) if i not in dims_b
    ]
    return Einsum.apply(a, b, inputs=("".join(sa), "".join(sb)), output="".join(output))
