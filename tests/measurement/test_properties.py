"""Property tests: pooling and roll-up stay within their parts; display never mutates."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from nap1325.measurement import Progress, Ratio, display, percent_display, pool_ratios, roll_up

SETTINGS = settings(database=None, max_examples=300, deadline=None)

amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def ratios(draw):
    denominator = draw(amounts.filter(lambda value: value > 0))
    numerator = draw(st.decimals(min_value=0, max_value=denominator, places=2))
    return Ratio(numerator, denominator)


progress = st.builds(
    Progress,
    st.one_of(st.none(), st.decimals(min_value=0, max_value=100, places=3)),
    st.one_of(st.none(), st.decimals(min_value=0, max_value=10, places=2)),
)


@SETTINGS
@given(st.lists(ratios(), min_size=1, max_size=8))
def test_pooled_percentage_lies_between_its_parts(parts):
    pooled = pool_ratios(parts)
    percents = [part.percent for part in parts]
    assert min(percents) <= pooled.percent <= max(percents)


@SETTINGS
@given(st.lists(progress, min_size=1, max_size=8))
def test_roll_up_lies_between_its_children(items):
    result = roll_up(items)
    values = [item.value for item in items if item.value is not None]
    if not values:
        assert result.value is None
    else:
        assert min(values) <= result.value <= max(values)
        assert result.reporting == len(values)


@SETTINGS
@given(st.lists(st.lists(progress, min_size=1, max_size=5), min_size=1, max_size=5))
def test_nested_roll_up_lies_between_its_children(groups):
    children = [roll_up(group) for group in groups]
    parent = roll_up([child.as_child() for child in children])
    values = [child.value for child in children if child.value is not None]
    if values:
        assert min(values) <= parent.value <= max(values)


@SETTINGS
@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=6))
def test_display_never_changes_the_stored_value(value, places):
    before = value.as_tuple()
    copy = Decimal(value)
    text = display(value, places)
    percent_display(value, places)
    assert value.as_tuple() == before
    assert value == copy
    assert abs(Decimal(text) - value) <= Decimal("0.5").scaleb(-places)
