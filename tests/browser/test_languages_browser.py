"""An anonymous visitor switches to Kyrgyz; a title the plan lacks in Kyrgyz shows in Russian.

Until the public portal lands, the visitor reads the login page anonymously, then signs in
as a working-group member to read the plan's matrix (the integrator retargets this to the
portal).
"""

from __future__ import annotations

from nap1325.core.models import Role
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    UserFactory,
    grant,
    make_plan,
    make_result,
)

KY_TITLE = "Тынчтыкты сактоодо аялдардын ролун күчөтүү"
RU_ONLY_TITLE = "Укрепление взаимодействия для предупреждения конфликтов"


def test_visitor_switches_to_kyrgyz_and_sees_the_russian_fallback(page, transactional_db):
    plan = make_plan(title="NAP 2018–2020", title_ru="НПД 2018–2020", title_ky="УИП 2018–2020")
    make_result(plan, "1", title="Women's role in peace", title_ru="Роль женщин", title_ky=KY_TITLE)
    make_result(plan, "2", title="Interaction to prevent conflicts", title_ru=RU_ONLY_TITLE)
    organisation = OrganisationFactory()
    member = UserFactory(username="member")
    grant(member, plan, organisation, Role.WORKING_GROUP_MEMBER)
    base = page.base_url

    # Anonymous, on the English sign-in page: switch to Kyrgyz without JavaScript tricks.
    page.goto(f"{base}/en/accounts/login/")
    switcher = page.get_by_role("form", name="Language")
    assert switcher.locator("button[aria-current=true]").inner_text() == "English"
    switcher.locator("button[lang=ky]").click()
    page.wait_for_url(f"{base}/ky/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "ky"
    switcher = page.locator("form.lang-switch")  # its label is in Kyrgyz now
    assert switcher.locator("button[aria-current=true]").get_attribute("lang") == "ky"

    # Sign in on the Kyrgyz page; the plan's matrix is in Kyrgyz where it has Kyrgyz text.
    page.fill("#id_username", "member")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/ky/")
    page.goto(f"{base}/ky/plans/{plan.slug}/")
    assert page.locator(".plan-name").inner_text() == "УИП 2018–2020"
    titles = page.locator(".result-title")
    assert titles.nth(0).inner_text() == KY_TITLE
    assert titles.nth(0).locator("span[lang]").count() == 0
    # Objective 2 has no Kyrgyz title: Russian, the next in the plan's chain, marked lang="ru".
    fallback = titles.nth(1).locator("span[lang=ru]")
    assert fallback.inner_text() == RU_ONLY_TITLE

    # Back to Russian from the same page: the same plan, all in Russian, nothing marked.
    page.locator("form.lang-switch button[lang=ru]").click()
    page.wait_for_url(f"{base}/ru/plans/{plan.slug}/")
    assert page.locator(".result-title").nth(1).inner_text() == RU_ONLY_TITLE
    assert page.locator(".result-title span[lang]").count() == 0
