"""Regression guards for speed that are not timed: what the graph records and computes.

A frozen backbone must add no nodes and no weight-gradient work; eval under no_grad must
create no node at all.
"""

import gc

import numpy as np

import minitorch_ft as mt
from minitorch_ft import nn
from minitorch_ft.autograd.function import AccumulateGrad, Node


def _mlp(frozen_linears: int) -> nn.Sequential:
    mt.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(8, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1)
    )
    for layer in [m for m in model if isinstance(m, nn.Linear)][:frozen_linears]:
        layer.requires_grad_(False)
    return model


def _graph_nodes(root: Node) -> list:
    seen, stack = [], [root]
    while stack:
        node = stack.pop()
        if node is None or any(node is s for s in seen):
            continue
        seen.append(node)
        stack.extend(child for child, _ in node.next_functions)
    return seen


def _batch():
    rng = np.random.default_rng(0)
    x = mt.from_numpy(rng.standard_normal((4, 8)).astype(np.float32))
    y = mt.from_numpy((rng.random((4, 1)) < 0.5).astype(np.float32))
    return x, y


def test_frozen_backbone_records_only_the_head():
    model = _mlp(frozen_linears=2)
    x, y = _batch()
    loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
    nodes = [n for n in _graph_nodes(loss.grad_fn) if not isinstance(n, AccumulateGrad)]
    assert [n.name() for n in nodes] == ["BinaryCrossEntropyWithLogitsBackward0", "AddmmBackward0"]
    head = nodes[1]
    # no input gradient below the first trainable layer; weight and bias gradients only
    assert head.needs_input_grad == (False, True, True)
    leaves = [n.variable for n in _graph_nodes(loss.grad_fn) if isinstance(n, AccumulateGrad)]
    assert {id(t) for t in leaves} == {id(model[4].weight), id(model[4].bias)}
    loss.backward()
    assert model[0].weight.grad is None and model[2].weight.grad is None
    assert model[4].weight.grad is not None


def test_full_model_records_every_layer():
    model = _mlp(frozen_linears=0)
    x, y = _batch()
    loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
    names = [n.name() for n in _graph_nodes(loss.grad_fn) if not isinstance(n, AccumulateGrad)]
    assert names.count("AddmmBackward0") == 3 and names.count("ReluBackward0") == 2
    first = [n for n in _graph_nodes(loss.grad_fn) if n.name() == "AddmmBackward0"][-1]
    assert first.needs_input_grad[0] is False  # the data batch never gets a gradient


def _live_nodes() -> int:
    return sum(1 for o in gc.get_objects() if issubclass(type(o), Node))


def test_eval_under_no_grad_creates_no_node():
    model = _mlp(frozen_linears=0).eval()
    x, _ = _batch()
    gc.collect()
    before = _live_nodes()
    with mt.no_grad():
        out = model(x)
    assert out.grad_fn is None and not out.requires_grad
    assert _live_nodes() == before


def test_no_saved_arrays_survive_backward():
    model = _mlp(frozen_linears=0)
    x, y = _batch()
    loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
    nodes = [n for n in _graph_nodes(loss.grad_fn) if not isinstance(n, AccumulateGrad)]
    assert all(n._saved for n in nodes if n.name() == "AddmmBackward0")
    loss.backward()
    assert all(not n._saved for n in nodes)


def test_adopted_gradients_alias_nothing():
    """Linear's fresh gradients are adopted uncopied; no two leaves may share memory."""
    mt.manual_seed(0)
    x = mt.randn(4, 3, requires_grad=True)
    layer = nn.Linear(3, 2)
    out = layer(x) + layer(x)  # the shared weight receives two contributions
    out.sum().backward()
    arrays = [x.grad.numpy(), layer.weight.grad.numpy(), layer.bias.grad.numpy()]
    for i, a in enumerate(arrays):
        for b in arrays[i + 1 :]:
            assert not np.shares_memory(a, b)
    expected_w = 2 * np.ones((4, 2), np.float32).T @ x.detach().numpy()
    np.testing.assert_allclose(layer.weight.grad.numpy(), expected_w, rtol=1e-6)
    before = layer.bias.grad.numpy().copy()
    (layer(x).sum() * 3).backward()  # accumulates in place into the adopted arrays
    np.testing.assert_allclose(layer.bias.grad.numpy(), before + 12, rtol=1e-6)
    np.testing.assert_allclose(
        x.grad.numpy(), 5 * np.ones((4, 2)) @ layer.weight.detach().numpy(), rtol=1e-5
    )


def test_sgd_step_records_nothing_without_a_grad_mode_switch():
    """SGD.step updates arrays directly (no no_grad block): parameters stay leaves, no node
    is made, and the update matches torch's rule p -= lr * (mu * buf + g)."""
    model = _mlp(frozen_linears=0)
    x, y = _batch()
    opt = mt.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for _ in range(2):
        opt.zero_grad()
        nn.functional.binary_cross_entropy_with_logits(model(x), y).backward()
        weight_before = model[4].weight.detach().numpy().copy()
        buf_before = opt.state[model[4].weight].get("momentum_buffer")
        buf_before = None if buf_before is None else buf_before.numpy().copy()
        grad = model[4].weight.grad.numpy().copy()
        gc.collect()
        nodes_before = _live_nodes()
        assert mt.is_grad_enabled()
        opt.step()
        assert _live_nodes() == nodes_before
    buf = grad if buf_before is None else 0.9 * buf_before + grad
    np.testing.assert_allclose(
        model[4].weight.detach().numpy(), weight_before - 0.1 * buf, rtol=1e-6
    )
    assert all(p.grad_fn is None and p.is_leaf and p.requires_grad for p in model.parameters())
