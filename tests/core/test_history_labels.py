"""Change keys that are not fields of the changed object get a translated label too."""

from __future__ import annotations

import pytest
from django.utils import translation

from nap1325.core.history import change_label


@pytest.mark.parametrize(
    "lang, key, expected",
    [
        ("en", "group_counts", "Participants by group"),
        ("ru", "group_counts", "Участники по группам"),
        ("ru", "reason", "Причина"),
        ("ky", "bytes", "Файлдын көлөмү (байт)"),
        ("en", "some_new_key", "Some new key"),
    ],
)
def test_change_keys_are_labelled_in_the_page_language(lang, key, expected):
    with translation.override(lang):
        assert change_label(key) == expected
