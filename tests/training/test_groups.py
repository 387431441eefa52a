"""Param groups by pattern: first match wins, frozen params never included, no-decay split."""

import minitorch_ft as mt
from minitorch_ft import optim
from minitorch_ft.training import freeze as fz
from minitorch_ft.training import groups as grp
from minitorch_ft.training.models import mlp


def model():
    mt.manual_seed(0)
    return mlp(in_features=4, hidden=[5], out_features=2, batch_norm=True)


def trainable(m):
    return [n for n, p in m.named_parameters() if p.requires_grad]


def test_first_match_wins_and_rest_goes_to_default():
    m = model()
    specs = [
        grp.GroupSpec(["head"], lr=0.1, name="head"),
        grp.GroupSpec(["*.weight"], lr=0.01, weight_decay=0.5),
    ]
    groups = grp.build(
        m, trainable(m), specs, lr=1.0, weight_decay=0.2, no_decay_bias_and_norm=False
    )
    by_name = {g["name"]: g for g in groups}
    assert by_name["head"]["param_names"] == ["head.weight", "head.bias"]
    assert by_name["group1"]["param_names"] == ["backbone.fc1.weight", "backbone.bn1.weight"]
    assert by_name["group1"]["weight_decay"] == 0.5 and by_name["group1"]["lr"] == 0.01
    assert by_name["default"]["param_names"] == ["backbone.fc1.bias", "backbone.bn1.bias"]
    assert by_name["default"]["lr"] == 1.0 and by_name["default"]["weight_decay"] == 0.2


def test_no_decay_for_biases_and_norm_weights():
    m = model()
    groups = grp.build(m, trainable(m), [], lr=1.0, weight_decay=0.3)
    by_name = {g["name"]: g for g in groups}
    assert by_name["default"]["param_names"] == ["backbone.fc1.weight", "head.weight"]
    assert by_name["default/no_decay"]["param_names"] == [
        "backbone.fc1.bias",
        "backbone.bn1.weight",
        "backbone.bn1.bias",
        "head.bias",
    ]
    assert by_name["default/no_decay"]["weight_decay"] == 0.0


def test_frozen_parameters_never_reach_the_optimizer():
    m = model()
    fz.freeze(m, ["backbone"])
    groups = grp.build(m, trainable(m), [grp.GroupSpec(["backbone"], lr=5.0)], 1.0, 0.0)
    opt = optim.AdamW(groups, lr=1.0)
    held = {id(p) for g in opt.param_groups for p in g["params"]}
    assert held == {id(m.head.weight), id(m.head.bias)}
    assert all(g["name"] != "group0" for g in opt.param_groups)  # the empty group is dropped


def test_scheduler_covers_a_group_added_later():
    m = model()
    fz.freeze(m, ["backbone"])
    opt = optim.SGD(grp.build(m, trainable(m), [], 1.0, 0.0, False), lr=1.0)
    sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    opt.step()
    sched.step()
    fz.unfreeze(m, ["backbone"])
    for g in grp.build(m, fz.select(trainable(m), ["backbone"]), [], 0.5, 0.0, False, "late"):
        opt.add_param_group(g)
        grp.cover_new_group(sched, opt.param_groups[-1])
    assert len(sched.base_lrs) == len(opt.param_groups) == 2
    for _ in range(3):  # passes the cosine restart branch, which reads base_lrs
        sched.step()
    assert opt.param_groups[1]["lr"] < 0.5 and len(sched.get_last_lr()) == 2
    for _ in range(4):
        sched.step()
