"""Plan content in the reader's language with the plan's fallback chain (issue 6, point 3)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import translation

from nap1325.core.content import LocalisedText, content, fallback_chain

KY_PLAN = SimpleNamespace(languages=["ky", "ru", "en"])
RU_PLAN = SimpleNamespace(languages=["ru", "en"])


def row(**titles: str | None) -> dict[str, str | None]:
    return {f"title_{code}": titles.get(code) for code in ("en", "ru", "ky")}


@pytest.mark.parametrize(
    ("requested", "plan", "titles", "text", "lang"),
    [
        # the requested language has it
        ("ky", KY_PLAN, {"ky": "Тынчтык", "ru": "Мир", "en": "Peace"}, "Тынчтык", "ky"),
        # missing, empty, blank and whitespace translations fall back along the plan's chain
        ("ky", KY_PLAN, {"ru": "Мир", "en": "Peace"}, "Мир", "ru"),
        ("ky", KY_PLAN, {"ky": "", "ru": "Мир", "en": "Peace"}, "Мир", "ru"),
        ("ky", KY_PLAN, {"ky": "  \n\t", "ru": "Мир", "en": "Peace"}, "Мир", "ru"),
        ("ky", KY_PLAN, {"ky": "\u00a0", "ru": " ", "en": "Peace"}, "Peace", "en"),
        # the plan's chain decides the order: ru before en for the Kyrgyz plan
        ("en", KY_PLAN, {"ky": "Тынчтык", "ru": "Мир"}, "Тынчтык", "ky"),
        ("en", RU_PLAN, {"ky": "Тынчтык", "ru": "Мир"}, "Мир", "ru"),
        # ru missing → en (LANGUAGE_CODE), then the rest of LANGUAGES
        ("ru", RU_PLAN, {"en": "Peace", "ky": "Тынчтык"}, "Peace", "en"),
        ("ru", None, {"ky": "Тынчтык"}, "Тынчтык", "ky"),
        # no plan (organisations): requested, then English, then Russian
        ("ky", None, {"ru": "Мир", "en": "Peace"}, "Peace", "en"),
        # nothing anywhere: empty, in the requested language
        ("ky", KY_PLAN, {}, "", "ky"),
    ],
)
def test_fallback_chain_table(requested, plan, titles, text, lang):
    result = content(row(**titles), "title", plan, language=requested)
    assert (str(result), result.lang, result.is_fallback) == (text, lang, lang != requested)


def test_chain_skips_languages_the_platform_does_not_have():
    plan = SimpleNamespace(languages=["fr", "en"])
    assert fallback_chain("ky", plan) == ["ky", "en", "ru"]
    assert fallback_chain("ru-RU", KY_PLAN) == ["ru", "ky", "en"]


def test_the_requested_language_defaults_to_the_active_one():
    with translation.override("ru"):
        assert content(row(ru="Мир", en="Peace"), "title", KY_PLAN).lang == "ru"
    with translation.override("ky"):
        assert content(row(ru="Мир", en="Peace"), "title", KY_PLAN) == "Мир"


def test_untranslated_values_pass_through():
    done = LocalisedText("Мир", "ru", True)
    assert content({"title": done}, "title") is done
    plain = content({"title": "Peace"}, "title", language="ky")
    assert (plain, plain.lang, plain.is_fallback) == ("Peace", "ky", False)


TAG = Template('{% load content %}{% content obj "title" %}|{% content_text obj "title" %}')


@pytest.mark.parametrize(
    ("page", "titles", "html"),
    [
        ("ky", {"ky": "Тынчтык", "ru": "Мир"}, "Тынчтык|Тынчтык"),
        ("ky", {"ky": " ", "ru": "Мир <б>"}, '<span lang="ru">Мир &lt;б&gt;</span>|Мир &lt;б&gt;'),
        ("en", {"ru": "Мир"}, '<span lang="ru">Мир</span>|Мир'),
        ("ru", {"ru": "Мир"}, "Мир|Мир"),
    ],
)
def test_tag_marks_text_in_another_language(page, titles, html):
    plan = SimpleNamespace(languages=["ky", "ru", "en"])
    obj = SimpleNamespace(plan_id=1, **{f"title_{c}": titles.get(c) for c in ("en", "ru", "ky")})
    with translation.override(page):
        assert TAG.render(Context({"obj": obj, "plan": plan})) == html


@pytest.mark.django_db
def test_model_rows_read_without_queries(django_assert_num_queries):
    from tests.factories import make_plan, make_result

    plan = make_plan()
    make_result(plan, "1", title="Women's participation", title_ru="Участие женщин")
    make_result(plan, "2", title="Protection", title_ru="Защита", title_ky="Коргоо")
    from nap1325.plans.models import Result

    results = list(Result.objects.filter(plan=plan).order_by("code"))
    with django_assert_num_queries(0), translation.override("ky"):
        texts = [content(result, "title", plan) for result in results]
    assert [(t.text, t.lang) for t in texts] == [("Участие женщин", "ru"), ("Коргоо", "ky")]


@pytest.mark.django_db
def test_history_shows_changes_per_language():
    from nap1325.core.history import readable_events
    from nap1325.core.models import AuditEvent
    from nap1325.plans import services
    from tests.factories import make_plan, make_result

    plan = make_plan()
    result = make_result(plan, "1", title="Women's participation")
    services.result_update(actor=None, result=result, title_ru="Участие женщин", title_ky="  ")
    event = AuditEvent.objects.order_by("-id").first()
    assert event.changes == {"title_ru": [None, "Участие женщин"]}
    [readable] = readable_events([event])
    assert [(c.label, c.new) for c in readable.changes] == [("Title (Russian)", "Участие женщин")]
