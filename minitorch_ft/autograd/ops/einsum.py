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
from ._support import type_name
from .shape import View

__all__ = ["einsum", "tensordot"]


class Einsum(Op):
    """numpy einsum over explicit subscripts; one node for the whole contraction."""

    grad_fn_name = "ViewBackward0"  # what torch records for a contraction (a reshaped bmm)

    @staticmethod
    def forward(ctx, *arrays, inputs, output):
        ctx.inputs, ctx.output = inputs, output
        ctx.layouts = [(a.shape, a.dtype) for a in arrays]
        if len(arrays) > 1:  # one operand: torch's permute/sum nodes save no tensor
            ctx.save_for_backward(*arrays)
        spec = ",".join(inputs) + "->" + output
        return np.asarray(np.einsum(spec, *arrays, optimize=len(arrays) > 2))

    @staticmethod
    def backward(ctx, grad):
        arrays = ctx.saved if len(ctx.layouts) > 1 else (None,)
        grads = []
        for k, (subs, (shape, dtype)) in enumerate(zip(ctx.inputs, ctx.layouts, strict=True)):
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
            g = np.einsum(f"{unique}->{unique}", g)
            sizes = dict(zip(subs, shape, strict=True))
            full = "".join(dict.fromkeys(subs))  # each letter once, summed-away ones included
            g = g.reshape([g.shape[unique.index(c)] if c in unique else 1 for c in full])
            # a size-1 dim of this operand broadcast against the others: sum it back
            spread = tuple(i for i, c in enumerate(full) if g.shape[i] != sizes[c])
            if spread:
                g = g.sum(axis=spread, keepdims=True)
            g = np.broadcast_to(g, [sizes[c] for c in full])
            if len(full) == len(subs):
                grads.append(np.einsum(f"{full}->{subs}", g).astype(dtype, copy=True))
                continue
            out = np.zeros(shape, dtype)
            np.einsum(f"{subs}->{full}", out)[...] = g  # writeable diagonal view
            grads.append(out)
        return tuple(grads)


class _Permute(Einsum):
    """One operand, nothing summed: numpy's einsum returns a view (transpose or diagonal), and
    so does torch."""

    grad_fn_name = "PermuteBackward0"
    is_view = True


class _Contract(Einsum):
    """A contraction: torch runs a bmm and returns a view of its result (ViewBackward0)."""

    grad_fn_name = "BmmBackward0"

    @staticmethod
    def forward(ctx, *arrays, inputs, output):
        order, swapped = _bmm_order(inputs, output, arrays)
        out = Einsum.forward(ctx, *arrays, inputs=inputs, output=order)
        ctx.output = output
        if not out.flags.c_contiguous:  # bmm's layout, not numpy's
            out = out.copy()
        if len(arrays) == 2 and not (arrays[0].size and arrays[1].size):
            out = out.astype(arrays[0 if swapped else 1].dtype, copy=False)  # empty: mat2's
        return out.transpose([order.index(c) for c in output]) if order != output else out


def _bmm_order(inputs, output, arrays) -> tuple[str, bool]:
    """The letter order of torch's bmm result in memory, which it returns permuted: for two
    operands the batch letters (size > 1 in both) first, the rest in output order; and whether
    torch's bmm takes the operands swapped (the first letter after the batch is b's own)."""
    if len(inputs) != 2:
        return output, False
    sizes = [dict(zip(term, a.shape, strict=True)) for term, a in zip(inputs, arrays, strict=True)]
    batch = [c for c in output if sizes[0].get(c, 1) != 1 and sizes[1].get(c, 1) != 1]
    rest = [c for c in output if c not in batch]
    swapped = bool(rest) and sizes[0].get(rest[0], 1) == 1 and sizes[1].get(rest[0], 1) != 1
    return "".join(batch + rest), swapped


class _Sum(Einsum):
    grad_fn_name = "SumBackward1"

    @staticmethod
    def forward(ctx, a, inputs, output):
        if a.dtype.kind in "biu":  # as sum: integers and bools add up in int64
            a = a.astype(np.int64)
        return Einsum.forward(ctx, a, inputs=inputs, output=output)


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
        first: dict = {}
        for c, s in zip(term, t.shape, strict=True):
            if first.setdefault(c, s) != s:  # a diagonal needs equal sizes, no broadcasting
                raise RuntimeError(
                    f"einsum(): subscript {c} is repeated for operand {k} but the sizes don't "
                    f"match, {s} != {first[c]}"
                )
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
    if len(inputs) == 1:  # torch takes any diagonal, then permutes or sums
        op = _Permute if set(output) == set(inputs[0]) else _Sum
        return op.apply(*operands, inputs=tuple(inputs), output=output)
    if len(inputs) == 2 and set(output) == set(inputs[0]) | set(inputs[1]):
        # nothing summed: a broadcast product (promotes dtypes, as mul does)
        return _Mul.apply(*operands, inputs=tuple(inputs), output=output)
    if _contracts(inputs, output, operands):
        _check_contraction_dtypes(operands)
        out = _Contract.apply(*operands, inputs=tuple(inputs), output=output)
    else:  # every shared summed letter has size 1 somewhere: torch multiplies, then sums
        out = _Mul.apply(*operands, inputs=tuple(inputs), output=output)
    return View.apply(out, out._data.shape)


def _contracts(inputs, output, operands) -> bool:
    """Whether torch reaches a bmm: a summed letter of size > 1 in two operands, or an empty
    operand (bmm then skips its dtype check)."""
    if any(not t._data.size for t in operands):
        return True
    for c in set("".join(inputs)) - set(output):
        pairs = zip(inputs, operands, strict=True)
        if sum(c in term and t.shape[term.index(c)] != 1 for term, t in pairs) > 1:
            return True
    return False


def _check_contraction_dtypes(operands) -> None:
    """torch's bmm neither promotes nor multiplies bools (an empty bmm checks nothing)."""
    if any(not t._data.size for t in operands):
        return
    first = operands[0]._data.dtype
    for t in operands[1:]:
        if t._data.dtype != first:
            raise RuntimeError(
                f"expected scalar type {type_name(first)} but found {type_name(t._data.dtype)}"
            )
    if first == np.bool_:
        raise NotImplementedError("\"bmm\" not implemented for 'Bool'")


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
