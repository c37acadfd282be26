"""Yes/no indicators take 0 (no) or 1 (yes) as baseline and target."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from nap1325.plans import services
from nap1325.plans.models import Indicator


@pytest.mark.parametrize(
    ("target", "accepted"), [("1", True), ("0", True), ("5", False), ("0.5", False)]
)
def test_yes_no_target_is_zero_or_one(framework, target, accepted):
    create = lambda: services.indicator_create(  # noqa: E731
        actor=None,
        plan=framework["action"].plan,
        action=framework["action"],
        code="1.1.1y",
        title="Emergency plans include the needs of women and girls",
        measure="yes_no",
        target_value=Decimal(target),
    )
    if accepted:
        assert create().target_value == Decimal(target)
        return
    with pytest.raises(ValidationError) as error:
        create()
    assert error.value.message_dict["target_value"] == [
        "A yes/no indicator takes 0 (no) or 1 (yes)."
    ]
    assert not Indicator.objects.filter(code="1.1.1y").exists()
