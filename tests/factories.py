"""Factories for test data shaped like real NAP data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from nap1325.core.models import Membership, Organisation, Role, User
from nap1325.plans import services
from nap1325.plans.models import Action, Dimension, Indicator, Plan, Result

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: object = None) -> None:
        if create:
            instance.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministry number {n}")
    acronym = factory.Sequence(lambda n: f"M{n}")
    kind = Organisation.Kind.MINISTRY
    country = "KG"


def make_plan(**overrides: object) -> Plan:
    """A drafting plan with three tiers, through the service (so it has the sex dimension)."""
    fields: dict[str, object] = {
        "slug": "test-plan",
        "country": "KG",
        "title": "National Action Plan on resolution 1325, 2018–2020",
        "generation": 2,
        "period_start": dt.date(2018, 1, 1),
        "period_end": dt.date(2020, 12, 31),
        "tier_labels": ["Objective", "Task", "Measure"],
        "currency": "KGS",
        "languages": ["ky", "ru", "en"],
        "time_zone": "Asia/Bishkek",
    }
    fields.update(overrides)
    return services.plan_create(actor=None, **fields)


def make_result(plan: Plan, code: str, parent: Result | None = None, **fields: object) -> Result:
    fields.setdefault("title", f"Result {code}")
    return services.result_create(actor=None, plan=plan, parent=parent, code=code, **fields)


def make_action(result: Result, code: str, lead: Organisation, **fields: object) -> Action:
    fields.setdefault("title", f"Action {code}")
    return services.action_create(actor=None, result=result, code=code, lead_agency=lead, **fields)


def grant(user: User, plan: Plan, organisation: Organisation, role: str) -> Membership:
    return Membership.objects.create(user=user, plan=plan, organisation=organisation, role=role)


def budget(action: Action, amount: str, source: str = "state_budget", **fields: object) -> object:
    return services.budget_line_create(
        actor=None, action=action, amount=Decimal(amount), funding_source=source, **fields
    )


ROLES = [role.value for role in Role]


def make_indicator(owner: Result | Action, code: str, **fields: object) -> Indicator:
    """An indicator on a result or an action, through the service (``actor=None``)."""
    fields.setdefault("title", f"Indicator {code}")
    key = "action" if isinstance(owner, Action) else "result"
    return services.indicator_create(
        actor=None, plan=owner.plan, code=code, **{key: owner}, **fields
    )


def make_dimension(plan: Plan, key: str, name: str, categories: list[tuple[str, str]]) -> Dimension:
    return services.dimension_create(
        actor=None, plan=plan, key=key, name=name, categories=categories
    )


def sex_dimension(plan: Plan) -> Dimension:
    return Dimension.objects.get(plan=plan, key="sex")


#: Organisations of the Kyrgyz NAP (2018–2020) by acronym, as named in the demo data.
KG_ORGANISATIONS = [
    ("MoD", "Ministry of Defence", Organisation.Kind.MINISTRY, "KG"),
    ("MLSD", "Ministry of Labour and Social Development", Organisation.Kind.MINISTRY, "KG"),
    ("MoE", "Ministry of Education and Science", Organisation.Kind.MINISTRY, "KG"),
    (
        "LSG Agency",
        "State Agency for Local Self-Government",
        Organisation.Kind.LOCAL_GOVERNMENT,
        "KG",
    ),
    ("WPN", "Women's Peace Network", Organisation.Kind.CSO, "KG"),
    ("UN Women", "UN Women", Organisation.Kind.INTERNATIONAL, ""),
    ("OSCE", "OSCE Centre in Bishkek", Organisation.Kind.INTERNATIONAL, ""),
]
