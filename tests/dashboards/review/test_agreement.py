"""Cohen's kappa, checked against hand-computed examples, and agreement per category."""

from __future__ import annotations

import pytest

from dashboards.review.agreement import Judgement, agreement, cohen_kappa


def test_kappa_of_a_hand_computed_example() -> None:
    # 50 items: both yes 20, first yes / second no 5, first no / second yes 10, both no 15.
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    # p_o = 35/50 = 0.7; first says yes 25/50 = 0.5, second 30/50 = 0.6;
    # p_e = 0.5 × 0.6 + 0.5 × 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4
    assert cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_with_three_categories() -> None:
    # confusion (rows: first, columns: second) over a, b, c: [[2, 1, 0], [0, 3, 1], [1, 0, 2]], n = 10
    cells = {("a", "a"): 2, ("a", "b"): 1, ("b", "b"): 3, ("b", "c"): 1, ("c", "a"): 1, ("c", "c"): 2}
    pairs = [pair for pair, count in cells.items() for _ in range(count)]
    # p_o = 7/10; first: a 3, b 4, c 3; second: a 3, b 4, c 3; p_e = (9 + 16 + 9) / 100 = 0.34
    assert cohen_kappa(pairs) == pytest.approx((0.7 - 0.34) / (1 - 0.34))


def test_kappa_limits() -> None:
    assert cohen_kappa([]) is None
    assert cohen_kappa([(True, True)] * 4) is None  # chance alone always agrees: undefined
    assert cohen_kappa([(True, True), (False, False)]) == 1.0
    assert cohen_kappa([(True, False), (False, True)]) == -1.0


def test_agreement_per_category_leaves_out_escalated_and_unsure_pairs() -> None:
    confirm = Judgement("confirm", ("xenophobia",))
    relabel = Judgement("relabel", ("xenophobia", "incitement"))
    reject = Judgement("reject", ())
    pairs = [(confirm, relabel), (confirm, confirm), (reject, reject), (confirm, reject),
             (confirm, Judgement("unsure", ())), (Judgement("escalate", ()), reject)]
    rows = {row.category: row for row in agreement(pairs)}
    assert (rows["any"].pairs, rows["any"].agreed) == (4, 3)
    assert rows["any"].kappa == pytest.approx(cohen_kappa([(True, True), (True, True), (False, False), (True, False)]))
    assert (rows["xenophobia"].pairs, rows["xenophobia"].agreed) == (4, 3)
    assert (rows["incitement"].agreed, rows["incitement"].kappa) == (3, 0.0)
    assert rows["racism"].kappa is None  # nobody ever found it: undefined, not perfect
