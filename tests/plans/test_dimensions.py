"""Breakdown dimensions as readers see them."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "sex", "women", "men"),
    [("en", "Sex", "Women", "Men"), ("ru", "Пол", "Женщины", "Мужчины")],
)
def test_the_standard_sex_dimension_speaks_the_readers_language(plan, language, sex, women, men):
    """The platform creates "Sex"/"Women"/"Men" with every plan; they show translated."""
    from django.utils import translation

    from nap1325.plans.models import Dimension

    dimension = Dimension.objects.get(plan=plan, key="sex")
    with translation.override(language):
        assert dimension.label == sex
        assert [c.label for c in dimension.categories.all()] == [women, men]
