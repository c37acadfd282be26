from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from nap1325.core.models import Organisation, Role
from nap1325.library.models import Pillar
from tests.factories import (
    KG_ORGANISATIONS,
    OrganisationFactory,
    UserFactory,
    budget,
    grant,
    make_action,
    make_dimension,
    make_indicator,
    make_plan,
    make_result,
    sex_dimension,
)


@pytest.fixture
def lead_ministry(db) -> Organisation:
    return OrganisationFactory(name="Ministry of Internal Affairs", acronym="MIA")


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def framework(plan, lead_ministry):
    """Objective 1 → Task 1.1 → Measure 1.1.1 (led by the ministry)."""
    objective = make_result(plan, "1", title="Women's participation in peace and security")
    task = make_result(plan, "1.1", parent=objective, title="Women in the security sector")
    action = make_action(task, "1.1.1", lead_ministry, title="Mentoring for women officers")
    return {"objective": objective, "task": task, "action": action}


@pytest.fixture
def member_factory(plan, lead_ministry):
    """``member_factory(role)`` → a user holding ``role`` on ``plan`` for the ministry."""

    def make(role: str, organisation: Organisation | None = None):
        user = UserFactory()
        grant(user, plan, organisation or lead_ministry, role)
        return user

    return make


@pytest.fixture
def coordinator(member_factory):
    return member_factory(Role.COORDINATOR)


@pytest.fixture
def admin_user(db):
    return UserFactory(is_superuser=True, is_staff=True, username="root-admin")


# --------------------------------------------------------------------------- shared helpers


@pytest.fixture
def organisations(lead_ministry) -> dict[str, Organisation]:
    """Ministries, agencies, a CSO and international partners of the Kyrgyz NAP, by acronym."""
    found = {"MIA": lead_ministry}
    for acronym, name, kind, country in KG_ORGANISATIONS:
        found[acronym] = OrganisationFactory(name=name, acronym=acronym, kind=kind, country=country)
    return found


@pytest.fixture
def pillars(db) -> dict[str, Pillar]:
    """The canonical pillars (synced from frameworks.yaml after migrate), by key."""
    return {pillar.key: pillar for pillar in Pillar.objects.all()}


@pytest.fixture
def login():
    """``login(user)`` → a test client signed in as ``user`` (``None``: anonymous)."""

    def make(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


#: Roles a test may ask ``user_in_role`` for: the five plan roles and three outsiders.
ALL_ROLES = [*Role.values, "admin", "non_member", "anonymous"]


@pytest.fixture
def user_in_role(plan, lead_ministry, admin_user):
    """``user_in_role(name)`` → a user holding ``name`` on ``plan`` (see ``ALL_ROLES``)."""

    def make(name: str):
        if name == "anonymous":
            return None
        if name == "admin":
            return admin_user
        user = UserFactory(display_name=f"{name} person")
        if name != "non_member":
            grant(user, plan, lead_ministry, name)
        return user

    return make


@pytest.fixture
def kg_matrix(plan, organisations, pillars):
    """Two objectives of the Kyrgyz NAP 2018–2020 with tasks, measures, indicators, budget.

    Objective 1 (participation): indicator 1a (percentage 9.5 → 15)
      Task 1.1: 1.1.1 MIA + UN Women, completed, stage indicator, 350 000 KGS donor (UN Women)
                1.1.2 MIA + OSCE, officers 0 → 200 by rank × sex, 600 000 donor (OSCE, unsecured)
      Task 1.2: 1.2.1 LSG Agency + WPN, UN Women, people 0 → 600 by sex, 900 000 unfunded
    Objective 2 (prevention)
      Task 2.1: 2.1.1 MoE + MIA, sessions 0 → 120, 300 000 state budget + 150 000 own funds
    """
    org = organisations
    rank = make_dimension(
        plan,
        "rank",
        "Rank",
        [("generals", "Generals"), ("senior", "Senior officers"), ("junior", "Junior officers")],
    )
    sex = sex_dimension(plan)
    o1 = make_result(
        plan,
        "1",
        pillar=pillars["participation"],
        title="Strengthening women's role and participation in preserving peace and security",
    )
    i1a = make_indicator(
        o1,
        "1a",
        title="Share of women among police officers",
        measure="percentage",
        time_aggregation="latest",
        baseline_value=Decimal("9.5"),
        target_value=Decimal("15"),
        responsible_organisation=org["MIA"],
    )
    t11 = make_result(
        plan, "1.1", parent=o1, title="Increase the number of women in the security sector"
    )
    m111 = make_action(
        t11,
        "1.1.1",
        org["MIA"],
        title="Review the recruitment and promotion rules of the MIA for barriers to women",
        partners=[org["UN Women"]],
        start=dt.date(2018, 3, 1),
        end=dt.date(2018, 12, 31),
        status="completed",
    )
    i111 = make_indicator(
        m111,
        "1.1.1a",
        title="Recruitment and promotion rules reviewed and amended",
        measure="stage",
        stages=["Not started", "Review drafted", "Amendments adopted"],
    )
    b111 = budget(m111, "350000", "donor", funder=org["UN Women"], year=2018, secured=True)
    m112 = make_action(
        t11,
        "1.1.2",
        org["MIA"],
        title="Mentoring programme for women officers of the police",
        partners=[org["OSCE"]],
        start=dt.date(2018, 9, 1),
        end=dt.date(2020, 12, 31),
        status="in_progress",
    )
    i112 = make_indicator(
        m112,
        "1.1.2a",
        title="Women police officers who completed the mentoring programme",
        unit="officers",
        baseline_value=Decimal("0"),
        target_value=Decimal("200"),
        breakdowns=[[rank, sex]],
    )
    b112 = budget(m112, "600000", "donor", funder=org["OSCE"], year=2019, secured=False)
    t12 = make_result(
        plan, "1.2", parent=o1, title="Increase women's participation in local decision-making"
    )
    m121 = make_action(
        t12,
        "1.2.1",
        org["LSG Agency"],
        title="Train women leaders of local self-government on conflict prevention",
        partners=[org["WPN"], org["UN Women"]],
        start=dt.date(2018, 6, 1),
        end=dt.date(2020, 6, 30),
        geographic_level="local",
        status="in_progress",
    )
    i121 = make_indicator(
        m121,
        "1.2.1a",
        title="People trained on resolution 1325",
        unit="people",
        baseline_value=Decimal("0"),
        target_value=Decimal("600"),
        breakdowns=[[sex]],
    )
    b121 = budget(m121, "900000", "unfunded", year=2019)
    o2 = make_result(
        plan,
        "2",
        pillar=pillars["prevention"],
        title="Preventing conflicts and violence against women and girls",
    )
    t21 = make_result(plan, "2.1", parent=o2, title="Prevent violence against women and girls")
    m211 = make_action(
        t21,
        "2.1.1",
        org["MoE"],
        title="Awareness sessions on gender-based violence in secondary schools",
        partners=[org["MIA"]],
        start=dt.date(2018, 9, 1),
        end=dt.date(2020, 5, 31),
        status="in_progress",
    )
    i211 = make_indicator(
        m211,
        "2.1.1a",
        title="Awareness sessions held in schools",
        unit="sessions",
        baseline_value=Decimal("0"),
        target_value=Decimal("120"),
    )
    b211 = budget(m211, "300000", "state_budget", year=2019, secured=True)
    b211b = budget(m211, "150000", "own_funds", year=2020, secured=False)
    return {
        "1": o1,
        "1.1": t11,
        "1.2": t12,
        "2": o2,
        "2.1": t21,
        "1.1.1": m111,
        "1.1.2": m112,
        "1.2.1": m121,
        "2.1.1": m211,
        "1a": i1a,
        "1.1.1a": i111,
        "1.1.2a": i112,
        "1.2.1a": i121,
        "2.1.1a": i211,
        "budget 1.1.1": b111,
        "budget 1.1.2": b112,
        "budget 1.2.1": b121,
        "budget 2.1.1": b211,
        "budget 2.1.1 own": b211b,
        "rank": rank,
        "sex": sex,
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Users are made by the hundred in tests; PBKDF2 would cost a quarter second each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default language (a page in /ky/ activates Kyrgyz
    for the thread, which would otherwise leak into the next test's messages)."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)
