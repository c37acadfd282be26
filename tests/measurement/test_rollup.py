"""Cases A5: roll-up of action progress to results."""

from decimal import Decimal as D

import pytest

from nap1325.measurement import MeasurementError, Progress, quotient, roll_up

MEAN_OF_60_60_80 = quotient(D(200), D(3))


def actions(*pairs):
    return [Progress(value, weight) for value, weight in pairs]


@pytest.mark.parametrize(
    ("label", "items", "value", "shown", "coverage", "weighted"),
    [
        (
            "plain mean",
            actions((D(60), None), (D(60), None), (D(80), None)),
            MEAN_OF_60_60_80,
            "66.7 %",
            "3 of 3 actions reporting",
            False,
        ),
        (
            "weights 0.5 / 0.3 / 0.2",
            actions((D(60), D("0.5")), (D(60), D("0.3")), (D(80), D("0.2"))),
            D(64),
            "64 %",
            "3 of 3 actions reporting",
            True,
        ),
        (
            "weights 5 / 3 / 2 are normalised",
            actions((D(60), D(5)), (D(60), D(3)), (D(80), D(2))),
            D(64),
            "64 %",
            "3 of 3 actions reporting",
            True,
        ),
        (
            "a fourth action without update",
            actions((D(60), None), (D(60), None), (D(80), None), (None, None)),
            MEAN_OF_60_60_80,
            "66.7 %",
            "3 of 4 actions reporting",
            False,
        ),
        (
            "weights normalised over reporting actions only",
            actions((D(60), D(5)), (D(60), D(3)), (D(80), D(2)), (None, D(10))),
            D(64),
            "64 %",
            "3 of 4 actions reporting",
            True,
        ),
        (
            "no update at all",
            actions((None, None)),
            None,
            "not reported",
            "0 of 1 actions reporting",
            False,
        ),
    ],
)
def test_roll_up(label, items, value, shown, coverage, weighted):
    result = roll_up(items)
    assert result.value == value, label
    assert result.display() == shown
    assert result.coverage() == coverage
    assert result.weighted is weighted


def test_weights_on_some_actions_only_are_ignored_and_said_so():
    result = roll_up(actions((D(60), D(5)), (D(60), None), (D(80), D(2))))
    assert result.display() == "66.7 %"
    assert result.note == "weights ignored: set on 2 of 3 reporting items"


def test_nested_parent_lies_between_its_children():
    first = roll_up(actions((D(60), None), (D(60), None), (D(80), None)))  # 66.7
    second = roll_up(actions((D(20), None), (D(40), None)))  # 30
    silent = roll_up(actions((None, None)))
    parent = roll_up([first.as_child(), second.as_child(), silent.as_child()])
    assert parent.coverage("results") == "2 of 3 results reporting"
    assert second.value <= parent.value <= first.value
    assert parent.display() == "48.3 %"


@pytest.mark.parametrize(
    ("value", "weight", "field"),
    [(D(101), None, "progress"), (D(-1), None, "progress"), (D(50), D(-1), "weight")],
)
def test_out_of_range_progress_is_a_field_error(value, weight, field):
    with pytest.raises(MeasurementError) as caught:
        Progress(value, weight)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ([], []),
        ([(D(60), None)], [(D(80), None), (None, None)]),
        ([(D(60), D(5)), (D(60), D(3))], [(D(80), D(2))]),
        ([(D("33.33"), D(5))], [(D(0), D(3)), (D("66.67"), D(0))]),
        ([(D(10), D(1))], [(D(20), None)]),
        ([(D(10), D(0))], [(D(20), D(0))]),
    ],
)
def test_sums_of_groups_add_up_to_the_roll_up_of_all_items(left, right):
    """A database adds groups up (GROUP BY); the roll-up of the sums is that of the items."""
    from nap1325.measurement import ProgressSums, roll_up_sums

    a = [Progress(value, weight) for value, weight in left]
    b = [Progress(value, weight) for value, weight in right]
    assert ProgressSums.of(a) + ProgressSums.of(b) == ProgressSums.of(a + b)
    assert roll_up_sums(ProgressSums.of(a) + ProgressSums.of(b)) == roll_up(a + b)


def test_inconsistent_sums_are_refused():
    from nap1325.measurement import ProgressSums, roll_up_sums

    with pytest.raises(MeasurementError):
        roll_up_sums(ProgressSums(total=1, reporting=2))
