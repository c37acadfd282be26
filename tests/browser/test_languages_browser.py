"""An anonymous visitor of the public portal switches to Kyrgyz; a title the plan lacks in
Kyrgyz shows in Russian, marked ``lang="ru"`` (as objective 2 of the demo's KG plan).
"""

from __future__ import annotations

from nap1325.plans import services
from tests.factories import make_plan, make_result

KY_TITLE = "Тынчтыкты сактоодо аялдардын ролун күчөтүү"
RU_ONLY_TITLE = "Укрепление взаимодействия для предупреждения конфликтов"


def test_visitor_switches_to_kyrgyz_and_sees_the_russian_fallback(page, transactional_db):
    plan = make_plan(
        slug="kg-nap-2018",
        title="NAP 2018–2020",
        title_ru="НПД 2018–2020",
        title_ky="УИП 2018–2020",
    )
    first = make_result(
        plan, "1", title="Women's role in peace", title_ru="Роль женщин", title_ky=KY_TITLE
    )
    second = make_result(
        plan, "2", title="Interaction to prevent conflicts", title_ru=RU_ONLY_TITLE
    )
    services.plan_publish(actor=None, plan=plan)
    base = page.base_url
    heading = "#result-{}-heading"

    # Anonymous, on the English framework page: switch to Kyrgyz without JavaScript tricks.
    page.goto(f"{base}/en/public/{plan.slug}/framework/")
    assert page.locator(heading.format(second.pk)).inner_text() == (
        "2 Interaction to prevent conflicts"
    )
    switcher = page.get_by_role("form", name="Language")
    assert switcher.locator("button[aria-current=true]").inner_text() == "English"
    switcher.locator("button[lang=ky]").click()
    page.wait_for_url(f"{base}/ky/public/{plan.slug}/framework/")
    assert page.locator("html").get_attribute("lang") == "ky"
    switcher = page.locator("form.lang-switch")  # its label is in Kyrgyz now
    assert switcher.locator("button[aria-current=true]").get_attribute("lang") == "ky"

    # The plan and objective 1 are in Kyrgyz, unmarked.
    assert page.locator(".portal-bar .plan-name").inner_text() == "УИП 2018–2020"
    assert page.locator(heading.format(first.pk)).inner_text() == f"1 {KY_TITLE}"
    assert page.locator(f"{heading.format(first.pk)} span[lang]").count() == 0
    # Objective 2 has no Kyrgyz title: Russian, the next in the plan's chain, marked lang="ru".
    fallback = page.locator(f"{heading.format(second.pk)} span[lang=ru]")
    assert fallback.inner_text() == RU_ONLY_TITLE

    # Back to Russian from the same page: the same plan, all in Russian, nothing marked.
    page.locator("form.lang-switch button[lang=ru]").click()
    page.wait_for_url(f"{base}/ru/public/{plan.slug}/framework/")
    assert page.locator(heading.format(second.pk)).inner_text() == f"2 {RU_ONLY_TITLE}"
    assert page.locator("main span[lang]").count() == 0
