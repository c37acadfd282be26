"""Generate a national-scale plan with approved monitoring data, for the benchmarks.

The shape of a real national plan (issue 3, point 7), at ``scale`` 1:

* 5 pillars (top-tier results, one per canonical pillar) and 55 outcomes: 60 results;
* 600 actions, each led by one of 25 agencies (a few ministries lead many, as in real
  plans), with 1–3 budget lines (state budget, donor, own funds, unfunded);
* 1,500 indicators, one in ten on an outcome (with a responsible organisation), the rest on
  actions; per hundred: 70 numbers (sex breakdowns, cross-tabs rank × sex, age × sex and
  province × sex over the 26 provinces), 16 percentages (numerator / denominator), 6 yes-no
  and 8 stage indicators; time aggregations sum, latest and year-to-date (see ``KINDS``);
* 12 half-yearly reporting periods (2020–2025), an agency report per agency and period,
  every one **approved**: official values (``is_official=True``) with their breakdown cells
  (about 290,000 official cells), action updates with progress and expenditure, the
  working copies the review workflow leaves behind, and the two transitions of each report.

``scale`` multiplies actions, indicators (and so values and cells) and budget lines; the
pillars, results, agencies and periods stay the same. Everything is deterministic for a
given ``seed``. About 2.4 % of values are "no data" with a reason, and about 5 % of
breakdown tables do not add up to their total (accepted and flagged, DESIGN.md §5).

Rows are written with ``bulk_create`` in batches, bypassing the services (which check
permissions and audit every write; a benchmark needs the rows, not the trail).

Use it as a function (``generate(size=Size.national(1))``, inside a configured Django) or
from the command line, against a migrated database::

    python bench/generate.py --scale 1 --database-url sqlite:////tmp/bench/nap.sqlite3 --migrate
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path


def _bootstrap(argv: list[str]) -> None:
    """Point Django at ``--database-url`` and set it up (command line only)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--database-url")
    parser.add_argument("--data-dir")
    known, _rest = parser.parse_known_args(argv)
    if known.database_url:
        os.environ["DATABASE_URL"] = known.database_url
    if known.data_dir:
        os.environ["NAP1325_DATA_DIR"] = known.data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nap1325.settings")
    import django

    django.setup()


if __name__ == "__main__":  # Django must be set up before the models are imported.
    _bootstrap(sys.argv[1:])

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from nap1325.core.models import Membership, Organisation, Role, User  # noqa: E402
from nap1325.library.models import Pillar  # noqa: E402
from nap1325.monitoring.models import (  # noqa: E402
    ActionUpdate,
    AgencyReport,
    IndicatorValue,
    ReportingPeriod,
    ReportTransition,
    ValueCell,
)
from nap1325.plans import services as plan_services  # noqa: E402
from nap1325.plans.models import (  # noqa: E402
    Action,
    Breakdown,
    BudgetLine,
    Dimension,
    Indicator,
    IndicatorPeriodTarget,
    Plan,
    Result,
)

KEY_SEPARATOR = "|"  # as nap1325.monitoring.services.KEY_SEPARATOR
PLAN_START_YEAR = 2020
MAX_PERIODS = 12  # half-years 2020 H1 … 2025 H2, the plan's period

NUMBER, PERCENTAGE, YES_NO, STAGE = "number", "percentage", "yes_no", "stage"
SUM, LATEST, YEAR_TO_DATE = "sum", "latest", "year_to_date"

RANKS = [("generals", "Generals"), ("senior", "Senior officers"), ("junior", "Junior officers")]
AGE_GROUPS = [
    ("15-24", "15–24"),
    ("25-34", "25–34"),
    ("35-44", "35–44"),
    ("45-59", "45–59"),
    ("60-plus", "60 and over"),
]
#: The 26 provinces of the DRC (whose secretariat publishes 1325 data by province).
PROVINCES = [
    "Kinshasa",
    "Kongo-Central",
    "Kwango",
    "Kwilu",
    "Mai-Ndombe",
    "Kasaï",
    "Kasaï-Central",
    "Kasaï-Oriental",
    "Lomami",
    "Sankuru",
    "Maniema",
    "Sud-Kivu",
    "Nord-Kivu",
    "Ituri",
    "Haut-Uele",
    "Tshopo",
    "Bas-Uele",
    "Nord-Ubangi",
    "Mongala",
    "Sud-Ubangi",
    "Équateur",
    "Tshuapa",
    "Tanganyika",
    "Haut-Lomami",
    "Lualaba",
    "Haut-Katanga",
]
AGENCIES = [
    ("Ministry of Gender, Family and Children", "MGFC", "ministry"),
    ("Ministry of Defence", "MoD", "security_sector"),
    ("Ministry of Internal Affairs", "MIA", "security_sector"),
    ("Ministry of Justice", "MoJ", "ministry"),
    ("Ministry of Education", "MoE", "ministry"),
    ("Ministry of Health", "MoH", "ministry"),
    ("Ministry of Foreign Affairs", "MFA", "ministry"),
    ("Ministry of Social Affairs", "MSA", "ministry"),
    ("Ministry of Finance", "MoF", "ministry"),
    ("Ministry of Planning", "MoP", "ministry"),
    ("Ministry of Labour", "MoL", "ministry"),
    ("Ministry of Human Rights", "MHR", "ministry"),
    ("Ministry of Communication and Media", "MCM", "ministry"),
    ("Ministry of Youth", "MoY", "ministry"),
    ("Ministry of Rural Development", "MRD", "ministry"),
    ("National Police", "NP", "security_sector"),
    ("Armed Forces General Staff", "AFGS", "security_sector"),
    ("National Assembly", "NA", "parliament"),
    ("Senate", "SEN", "parliament"),
    ("Independent Electoral Commission", "IEC", "other"),
    ("National Human Rights Commission", "NHRC", "other"),
    ("National Statistics Institute", "NSI", "ministry"),
    ("Disarmament and Reintegration Programme", "DRP", "other"),
    ("Provincial Governments' Conference", "PGC", "local_government"),
    ("Women's Peace Network", "WPN", "cso"),
]
DONORS = [
    ("UN Women", "UN Women", "international"),
    ("United Nations Development Programme", "UNDP", "international"),
    ("Swedish International Development Cooperation Agency", "Sida", "donor"),
    ("Global Affairs Canada", "GAC", "donor"),
]
STAGES = ["Not started", "Drafted", "Consulted", "Adopted"]
TOPICS = [
    "women trained in mediation and conflict resolution",
    "women officers promoted",
    "survivors of sexual violence given medical and legal aid",
    "community dialogues on women's participation",
    "women candidates in local elections",
    "cases of conflict-related sexual violence prosecuted",
    "girls returned to school in conflict-affected areas",
    "women in peace negotiation delegations",
    "awareness sessions on resolution 1325",
    "women ex-combatants reintegrated",
]
UNITS = {NUMBER: "people", PERCENTAGE: "%", YES_NO: "", STAGE: ""}


@dataclass(frozen=True)
class Kind:
    """A kind of indicator: its measure, time aggregation and declared breakdowns.

    ``share`` is per hundred indicators; ``breakdowns`` lists dimension keys per breakdown
    (sex last, as :meth:`Breakdown.sorted_dimensions` orders them).
    """

    name: str
    share: int
    measure: str
    aggregation: str
    breakdowns: tuple[tuple[str, ...], ...] = ()

    @property
    def cells_per_value(self) -> int:
        """Cells one reported value carries (all its breakdowns)."""
        sizes = {"sex": 2, "rank": len(RANKS), "age": len(AGE_GROUPS), "region": len(PROVINCES)}
        total = 0
        for dims in self.breakdowns:
            cells = 1
            for key in dims:
                cells *= sizes[key]
            total += cells
        return total


KINDS: tuple[Kind, ...] = (
    Kind("people by sex", 12, NUMBER, SUM, (("sex",),)),
    Kind("officers by rank and sex", 8, NUMBER, SUM, (("sex",), ("rank", "sex"))),
    Kind("people by age and sex", 8, NUMBER, SUM, (("sex",), ("age", "sex"))),
    Kind("people by province and sex", 20, NUMBER, SUM, (("sex",), ("region", "sex"))),
    Kind("level by sex", 6, NUMBER, LATEST, (("sex",),)),
    Kind("staff by rank and sex", 4, NUMBER, LATEST, (("rank", "sex"),)),
    Kind("running total by province", 8, NUMBER, YEAR_TO_DATE, (("sex",), ("region", "sex"))),
    Kind("count", 4, NUMBER, SUM),
    Kind("share", 12, PERCENTAGE, LATEST),
    Kind("share in the period", 4, PERCENTAGE, SUM),
    Kind("yes-no", 6, YES_NO, LATEST),
    Kind("stage", 8, STAGE, LATEST),
)
assert sum(kind.share for kind in KINDS) == 100


def _smooth_sequence(shares: list[int]) -> list[int]:
    """Indexes into ``shares`` spread evenly (largest deficit first), one period of 100.

    Any run of the sequence holds each kind in about its share, so small plans (the test)
    get every kind too.
    """
    total = sum(shares)
    counts = [0] * len(shares)
    sequence = []
    for position in range(1, total + 1):
        deficits = [
            share * position / total - count for share, count in zip(shares, counts, strict=True)
        ]
        best = max(range(len(shares)), key=lambda k: (deficits[k], -k))
        counts[best] += 1
        sequence.append(best)
    return sequence


KIND_SEQUENCE = _smooth_sequence([kind.share for kind in KINDS])


def kind_of(index: int) -> Kind:
    """The kind of the ``index``-th indicator (0-based)."""
    return KINDS[KIND_SEQUENCE[index % len(KIND_SEQUENCE)]]


def is_no_data(indicator_index: int, period_index: int) -> bool:
    """About 2.4 % of values are "no data" with a reason (no cells)."""
    return (indicator_index * 7 + period_index * 3) % 41 == 0


def is_incomplete(indicator_index: int, period_index: int) -> bool:
    """About 5 % of breakdown tables fall short of their total (accepted and flagged)."""
    return (indicator_index + period_index) % 19 == 0


@dataclass(frozen=True)
class Size:
    """How big the generated plan is (``results`` counts the pillars too)."""

    pillars: int = 5
    results: int = 60
    actions: int = 600
    indicators: int = 1500
    periods: int = 12
    agencies: int = 25

    @classmethod
    def national(cls, scale: int = 1) -> Size:
        """The national plan of issue 3 at ``scale`` (actions and indicators multiplied)."""
        return cls(actions=600 * scale, indicators=1500 * scale)

    def __post_init__(self) -> None:
        if not 1 <= self.pillars <= 5:
            raise ValueError("1 to 5 pillars (the canonical pillars)")
        if self.results <= self.pillars:
            raise ValueError("results count the pillars and need at least one outcome")
        if not 1 <= self.periods <= MAX_PERIODS:
            raise ValueError(f"1 to {MAX_PERIODS} periods")
        if not 1 <= self.agencies <= self.actions:
            raise ValueError("every agency leads at least one action")
        if self.indicators < 1:
            raise ValueError("at least one indicator")


@dataclass
class Generated:
    """What :func:`generate` made: the plan, who may see it, counts and the time it took."""

    plan: Plan
    coordinator: User
    #: Rows made, by what they are (official values and cells only under ``values``/``cells``).
    counts: dict[str, int]
    seconds: float
    #: The agency with the most indicators and actions (the heaviest agency page).
    busiest_agency: Organisation
    #: A number indicator with a province × sex breakdown (the heaviest indicator page).
    sample_indicator: Indicator


# --------------------------------------------------------------------------- specs


@dataclass
class _IndicatorSpec:
    index: int
    kind: Kind
    agency: int  # who reports it (index into the agencies)
    mean: int  # mean amount per cell and period (numbers), or per-period denominator
    growth: float  # per period, for levels and shares
    rise_from: int  # yes-no: first period answered yes; stage: periods per stage
    decrease: bool = False
    pk: int = 0
    #: breakdown pk → the dimension keys it crosses, in cell-key order
    breakdowns: list[tuple[int, tuple[str, ...]]] = field(default_factory=list)
    #: levels of the finest cross-tab per cell key (latest indicators)
    levels: dict[str, int] = field(default_factory=dict)
    #: year-to-date indicators: the running totals of the year so far
    running: dict[str, int] = field(default_factory=dict)


@dataclass
class _ActionSpec:
    index: int
    agency: int
    start: int  # first period with work
    end: int  # period the action should complete in
    delayed: bool
    cancelled_at: int | None
    budget: int
    pk: int = 0


def _finest(kind: Kind) -> tuple[str, ...]:
    """The breakdown with the most dimensions (the others are its margins)."""
    return max(kind.breakdowns, key=len) if kind.breakdowns else ()


def _categories(key: str) -> list[str]:
    return {
        "sex": ["women", "men"],
        "rank": [k for k, _n in RANKS],
        "age": [k for k, _n in AGE_GROUPS],
        "region": [_slug(name) for name in PROVINCES],
    }[key]


def _slug(name: str) -> str:
    table = str.maketrans({"ï": "i", "É": "e", "é": "e", " ": "-"})
    return name.translate(table).lower()


@functools.cache
def _cell_keys(dims: tuple[str, ...]) -> list[str]:
    """Cell keys of a breakdown over ``dims`` ("kinshasa|women", …), as the services make them."""
    keys = [""]
    for dim in dims:
        keys = [f"{k}{KEY_SEPARATOR}{c}" if k else c for k in keys for c in _categories(dim)]
    return keys


def _margin(cells: dict[str, int], finest: tuple[str, ...], dims: tuple[str, ...]) -> dict:
    """Sum the ``finest`` cross-tab down to the breakdown over ``dims``."""
    if dims == finest:
        return cells
    positions = [finest.index(d) for d in dims]
    out: dict[str, int] = {}
    for key, amount in cells.items():
        parts = key.split(KEY_SEPARATOR)
        short = KEY_SEPARATOR.join(parts[p] for p in positions)
        out[short] = out.get(short, 0) + amount
    return out


def _period_bounds(index: int) -> tuple[dt.date, dt.date]:
    year = PLAN_START_YEAR + index // 2
    if index % 2 == 0:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


# --------------------------------------------------------------------------- generator


class _Generator:
    def __init__(
        self,
        size: Size,
        *,
        seed: int,
        slug: str,
        working_copies: bool,
        batch: int,
        log: Callable[[str], None],
    ) -> None:
        self.size = size
        self.rng = random.Random(seed)
        self.values_rng = random.Random(seed + 1)
        self.slug = slug
        self.working_copies = working_copies
        self.batch = batch
        self.log = log
        self.counts: dict[str, int] = {}

    def _count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n

    def _bulk(self, model, objects: list, name: str | None = None) -> list:
        created = []
        for start in range(0, len(objects), self.batch):
            created.extend(model.objects.bulk_create(objects[start : start + self.batch]))
        if name:
            self._count(name, len(objects))
        return created

    # ----------------------------------------------------------------- framework

    def run(self) -> Generated:
        started = time.perf_counter()
        self._organisations()
        self._plan()
        self._framework()
        self._periods_and_reports()
        seconds = time.perf_counter() - started
        busiest = max(
            range(self.size.agencies),
            key=lambda a: (self.scope_sizes.get(a, 0), -a),
        )
        sample = next(
            (s for s in self.indicators if _finest(s.kind) == ("region", "sex")),
            self.indicators[0],
        )
        return Generated(
            plan=self.plan,
            coordinator=self.coordinator,
            counts=dict(self.counts),
            seconds=seconds,
            busiest_agency=self.agencies[busiest],
            sample_indicator=Indicator.objects.get(pk=sample.pk),
        )

    def _organisations(self) -> None:
        names = list(AGENCIES)
        while len(names) < self.size.agencies:
            n = len(names) + 1
            names.append((f"Agency number {n}", f"A{n}", "ministry"))
        self.agencies = self._organisations_named(names[: self.size.agencies], "CD")
        self._count("agencies", len(self.agencies))
        self.donors = self._organisations_named(DONORS, "")

    def _organisations_named(self, rows: list[tuple[str, str, str]], country: str) -> list:
        """The organisations of ``rows`` (name, acronym, kind), reusing those already there."""
        names = [name for name, _a, _k in rows]
        found = {o.name: o for o in Organisation.objects.filter(name__in=names, country=country)}
        missing = [
            Organisation(name=name, acronym=acronym, kind=kind, country=country)
            for name, acronym, kind in rows
            if name not in found
        ]
        found.update((o.name, o) for o in self._bulk(Organisation, missing))
        return [found[name] for name in names]

    def _plan(self) -> None:
        self.plan = plan_services.plan_create(
            actor=None,
            slug=self.slug,
            country="CD",
            title="National Action Plan on resolution 1325 (benchmark, generated)",
            generation=2,
            period_start=dt.date(PLAN_START_YEAR, 1, 1),
            period_end=dt.date(PLAN_START_YEAR + MAX_PERIODS // 2 - 1, 12, 31),
            tier_labels=["Pillar", "Outcome", "Action"],
            currency="USD",
            languages=["fr", "en"],
            time_zone="Africa/Kinshasa",
            status=Plan.Status.IMPLEMENTING,
            reporting_frequency=Plan.ReportingFrequency.HALF_YEARLY,
            coordinating_body=self.agencies[0],
            source_note="Generated by bench/generate.py for the benchmarks.",
        )
        self.dimensions = {d.key: d for d in Dimension.objects.filter(plan=self.plan)}
        for key, name, kind, categories in (
            ("rank", "Rank", Dimension.Kind.OTHER, RANKS),
            ("age", "Age group", Dimension.Kind.AGE, AGE_GROUPS),
            ("region", "Province", Dimension.Kind.REGION, [(_slug(p), p) for p in PROVINCES]),
        ):
            self.dimensions[key] = plan_services.dimension_create(
                actor=None, plan=self.plan, key=key, name=name, kind=kind, categories=categories
            )
        suffix = self.slug
        self.coordinator = User.objects.create(
            username=f"{suffix}-coordinator", display_name="Benchmark coordinator"
        )
        self.focal_points = User.objects.bulk_create(
            User(username=f"{suffix}-focal-{a}", display_name=f"Focal point {org.short_name}")
            for a, org in enumerate(self.agencies)
        )
        Membership.objects.bulk_create(
            [
                Membership(
                    user=self.coordinator,
                    plan=self.plan,
                    organisation=self.agencies[0],
                    role=Role.COORDINATOR,
                ),
                *(
                    Membership(user=user, plan=self.plan, organisation=org, role=Role.FOCAL_POINT)
                    for user, org in zip(self.focal_points, self.agencies, strict=True)
                ),
            ]
        )

    def _framework(self) -> None:
        size, rng = self.size, self.rng
        pillars = list(Pillar.objects.order_by("order")[: size.pillars])
        tops = self._bulk(
            Result,
            [
                Result(
                    plan=self.plan,
                    code=str(p + 1),
                    title=f"Pillar {p + 1}: {pillar.name}",
                    order=p,
                    depth=0,
                    pillar=pillar,
                )
                for p, pillar in enumerate(pillars)
            ],
        )
        outcome_count = size.results - size.pillars
        seen: dict[int, int] = {}
        outcomes_new = []
        for o in range(outcome_count):
            parent = tops[o % len(tops)]
            seen[parent.pk] = seen.get(parent.pk, 0) + 1
            outcomes_new.append(
                Result(
                    plan=self.plan,
                    parent=parent,
                    depth=1,
                    code=f"{parent.code}.{seen[parent.pk]}",
                    title=f"Outcome {parent.code}.{seen[parent.pk]}: more {TOPICS[o % 10]}",
                    order=seen[parent.pk],
                )
            )
        self.outcomes = self._bulk(Result, outcomes_new)
        self._count("pillars", len(tops))
        self._count("results", len(tops) + len(self.outcomes))
        self._actions(rng)
        self._indicators(rng)

    def _actions(self, rng: random.Random) -> None:
        size = self.size
        weights = [1 / (a + 1) ** 0.6 for a in range(size.agencies)]
        per_outcome: dict[int, int] = {}
        specs, objects = [], []
        for j in range(size.actions):
            outcome = self.outcomes[j % len(self.outcomes)]
            per_outcome[outcome.pk] = per_outcome.get(outcome.pk, 0) + 1
            agency = j if j < size.agencies else rng.choices(range(size.agencies), weights)[0]
            start = rng.randrange(0, max(1, size.periods // 2))
            end = min(MAX_PERIODS - 1, start + rng.randrange(3, 10))
            spec = _ActionSpec(
                index=j,
                agency=agency,
                start=start,
                end=end,
                delayed=rng.random() < 0.12,
                cancelled_at=rng.randrange(start, end + 1) if rng.random() < 0.02 else None,
                budget=rng.choice([20, 50, 80, 120, 250, 400, 900]) * 1000,
            )
            specs.append(spec)
            code = f"{outcome.code}.{per_outcome[outcome.pk]}"
            objects.append(
                Action(
                    plan=self.plan,
                    result=outcome,
                    lead_agency=self.agencies[agency],
                    code=code,
                    title=f"Action {code}: {TOPICS[j % 10]} (programme {j + 1})",
                    order=per_outcome[outcome.pk],
                    start=_period_bounds(start)[0],
                    end=_period_bounds(end)[1],
                    status=self._action_state(spec, size.periods - 1)[0],
                )
            )
        created = self._bulk(Action, objects, "actions")
        for spec, action in zip(specs, created, strict=True):
            spec.pk = action.pk
        self.actions = specs
        self.action_objects = created
        partners = [
            Action.partners.through(action_id=action.pk, organisation_id=partner.pk)
            for action in created
            if rng.random() < 0.3
            for partner in [rng.choice(self.donors + self.agencies)]
            if partner.pk != action.lead_agency_id
        ]
        self._bulk(Action.partners.through, partners)
        sources = ["state_budget", "state_budget", "donor", "donor", "own_funds", "unfunded"]
        lines = []
        for spec, action in zip(specs, created, strict=True):
            for k in range(1 + spec.index % 3):
                source = rng.choice(sources)
                lines.append(
                    BudgetLine(
                        action=action,
                        description=f"Line {k + 1}",
                        amount=Decimal(spec.budget // (1 + spec.index % 3)),
                        currency="USD",
                        funding_source=source,
                        funder=rng.choice(self.donors) if source == "donor" else None,
                        year=PLAN_START_YEAR + rng.randrange(0, MAX_PERIODS // 2),
                        secured=source != "unfunded" and rng.random() < 0.7,
                        order=k,
                    )
                )
        self._bulk(BudgetLine, lines, "budget_lines")

    def _indicators(self, rng: random.Random) -> None:
        size = self.size
        specs: list[_IndicatorSpec] = []
        objects: list[Indicator] = []
        on_action = 0
        per_owner: dict[str, int] = {}
        periods = size.periods
        for i in range(size.indicators):
            kind = kind_of(i)
            if i % 10 == 0:
                owner: Result | Action = self.outcomes[(i // 10) % len(self.outcomes)]
                agency = rng.randrange(size.agencies)
                responsible = self.agencies[agency]
            else:
                spec_a = self.actions[on_action % len(self.actions)]
                owner = self.action_objects[on_action % len(self.actions)]
                on_action += 1
                agency = spec_a.agency
                responsible = None
            per_owner[owner.code] = per_owner.get(owner.code, 0) + 1
            code = (
                f"{owner.code}-{'R' if isinstance(owner, Result) else 'I'}{per_owner[owner.code]}"
            )
            spec = _IndicatorSpec(
                index=i,
                kind=kind,
                agency=agency,
                mean=rng.choice([2, 5, 10, 20, 50, 100, 300]),
                growth=rng.choice([0.01, 0.02, 0.03, 0.05]),
                rise_from=rng.randrange(0, periods + 3),
                decrease=kind.aggregation == LATEST and kind.measure == NUMBER and i % 3 == 0,
            )
            baseline, target = self._baseline_target(spec, rng)
            specs.append(spec)
            topic = TOPICS[i % 10]
            objects.append(
                Indicator(
                    plan=self.plan,
                    result=owner if isinstance(owner, Result) else None,
                    action=owner if isinstance(owner, Action) else None,
                    code=code,
                    title=f"{kind.name.capitalize()}: {topic}",
                    unit=UNITS[kind.measure],
                    measure=kind.measure,
                    time_aggregation=kind.aggregation,
                    direction="decrease" if spec.decrease else "increase",
                    baseline_value=baseline,
                    baseline_date=dt.date(PLAN_START_YEAR - 1, 12, 31) if baseline else None,
                    target_value=target,
                    target_date=dt.date(PLAN_START_YEAR + MAX_PERIODS // 2 - 1, 12, 31),
                    stages=STAGES if kind.measure == STAGE else [],
                    means_of_verification="Agency records, checked by the secretariat",
                    frequency=Indicator.Frequency.HALF_YEARLY,
                    responsible_organisation=responsible,
                    order=i,
                )
            )
        created = self._bulk(Indicator, objects, "indicators")
        targets = []
        breakdowns: list[Breakdown] = []
        owners: list[tuple[_IndicatorSpec, tuple[str, ...]]] = []
        for spec, indicator in zip(specs, created, strict=True):
            spec.pk = indicator.pk
            for order, dims in enumerate(spec.kind.breakdowns):
                breakdowns.append(Breakdown(indicator=indicator, order=order))
                owners.append((spec, dims))
            if spec.kind.aggregation == SUM and spec.kind.measure == NUMBER and spec.index % 5 == 0:
                years = MAX_PERIODS // 2
                for y in range(years):
                    targets.append(
                        IndicatorPeriodTarget(
                            indicator=indicator,
                            due=dt.date(PLAN_START_YEAR + y, 12, 31),
                            value=(indicator.target_value / years).quantize(Decimal("0.01")),
                        )
                    )
        self._bulk(IndicatorPeriodTarget, targets, "period_targets")
        made = self._bulk(Breakdown, breakdowns, "breakdowns")
        links = []
        for breakdown, (spec, dims) in zip(made, owners, strict=True):
            spec.breakdowns.append((breakdown.pk, dims))
            links.extend(
                Breakdown.dimensions.through(
                    breakdown_id=breakdown.pk, dimension_id=self.dimensions[d].pk
                )
                for d in dims
            )
        self._bulk(Breakdown.dimensions.through, links)
        for spec in specs:
            if spec.kind.aggregation == LATEST and spec.kind.measure == NUMBER:
                spec.levels = {
                    key: rng.randint(spec.mean // 2 + 1, spec.mean * 2)
                    for key in _cell_keys(_finest(spec.kind))
                }
        self.indicators = specs
        self.scope: dict[int, list[_IndicatorSpec]] = {}
        for spec in specs:
            self.scope.setdefault(spec.agency, []).append(spec)
        self.scope_actions: dict[int, list[_ActionSpec]] = {}
        for action in self.actions:
            self.scope_actions.setdefault(action.agency, []).append(action)
        self.scope_sizes = {
            a: len(self.scope.get(a, ())) + len(self.scope_actions.get(a, ()))
            for a in range(size.agencies)
        }

    def _baseline_target(
        self, spec: _IndicatorSpec, rng: random.Random
    ) -> tuple[Decimal | None, Decimal | None]:
        kind, periods = spec.kind, MAX_PERIODS
        factor = Decimal(rng.choice(["0.7", "0.9", "1.0", "1.2", "1.5"]))
        if kind.measure == NUMBER and kind.aggregation in {SUM, YEAR_TO_DATE}:
            cells = len(_cell_keys(_finest(kind))) if kind.breakdowns else 1
            expected = Decimal(cells * spec.mean * periods)
            return Decimal(0), max(Decimal(1), (expected * factor).quantize(Decimal(1)))
        if kind.measure == NUMBER:  # latest level: baseline ≈ level before the plan
            baseline = Decimal(len(_cell_keys(_finest(kind))) * spec.mean)
            change = (Decimal("0.4") * factor).quantize(Decimal("0.01"))
            if spec.decrease:
                return baseline, (baseline * (1 - change / 2)).quantize(Decimal(1))
            return baseline, (baseline * (1 + change)).quantize(Decimal(1)) + 1
        if kind.measure == PERCENTAGE and kind.aggregation == LATEST:
            baseline = Decimal(rng.randrange(5, 50))
            return baseline, min(Decimal(100), baseline + (12 * factor).quantize(Decimal(1)))
        if kind.measure == PERCENTAGE:
            return None, Decimal(rng.randrange(40, 90))
        if kind.measure == YES_NO:
            return Decimal(0), Decimal(1)
        return None, None  # stage: the last stage is the target

    # ----------------------------------------------------------------- reports

    def _periods_and_reports(self) -> None:
        size = self.size
        periods = []
        for p in range(size.periods):
            start, end = _period_bounds(p)
            periods.append(
                ReportingPeriod(
                    plan=self.plan,
                    label=f"{start.year} H{p % 2 + 1}",
                    start=start,
                    end=end,
                    due=end + dt.timedelta(days=30),
                    state="open" if p == size.periods - 1 else "closed",
                )
            )
        self.periods = self._bulk(ReportingPeriod, periods, "periods")
        tz = timezone.get_current_timezone()
        pending_values: list[tuple[IndicatorValue, list[tuple[int, str, int]]]] = []
        for p, period in enumerate(self.periods):
            due = dt.datetime.combine(period.due, dt.time(10), tz)
            reports = self._bulk(
                AgencyReport,
                [
                    AgencyReport(
                        plan=self.plan,
                        period=period,
                        organisation=org,
                        state=AgencyReport.State.APPROVED,
                        narrative=f"Report of {org.short_name} for {period.label}.",
                        version=4,
                        approved_version=3,
                        submitted_at=due - dt.timedelta(days=3),
                        submitted_by=self.focal_points[a],
                        approved_at=due + dt.timedelta(days=12),
                        approved_by=self.coordinator,
                    )
                    for a, org in enumerate(self.agencies)
                ],
                "reports",
            )
            self._bulk(
                ReportTransition,
                [
                    ReportTransition(
                        report=report,
                        from_state=from_state,
                        to_state=to_state,
                        version=version,
                        actor=actor,
                    )
                    for a, report in enumerate(reports)
                    for from_state, to_state, version, actor in (
                        ("draft", "submitted", 2, self.focal_points[a]),
                        ("submitted", "approved", 3, self.coordinator),
                    )
                ],
                "transitions",
            )
            updates = []
            for a, report in enumerate(reports):
                for spec in self.scope.get(a, ()):
                    pending_values.extend(self._values(spec, p, report))
                for action in self.scope_actions.get(a, ()):
                    updates.extend(self._updates(action, p, report))
                if len(pending_values) >= self.batch:
                    self._flush_values(pending_values)
                    pending_values = []
            self._bulk(ActionUpdate, updates)
            self._count("action_updates", sum(1 for u in updates if u.is_official))
            self.log(f"  period {period.label}: {self.counts.get('cells', 0):,} cells so far")
        self._flush_values(pending_values)

    def _copies(self) -> tuple[bool, ...]:
        return (True, False) if self.working_copies else (True,)

    def _values(
        self, spec: _IndicatorSpec, p: int, report: AgencyReport
    ) -> Iterator[tuple[IndicatorValue, list[tuple[int, str, int]]]]:
        fields, cells = self._value_fields(spec, p)
        for official in self._copies():
            row = IndicatorValue(
                report=report, indicator_id=spec.pk, is_official=official, **fields
            )
            yield row, cells

    def _value_fields(self, spec: _IndicatorSpec, p: int) -> tuple[dict, list]:
        rng, kind = self.values_rng, spec.kind
        if is_no_data(spec.index, p):
            return {"no_data": True, "no_data_reason": "Figures not collected this period"}, []
        if kind.measure == PERCENTAGE:
            denominator = spec.mean * rng.randint(8, 12)
            share = min(0.95, 0.1 + spec.growth * p + rng.random() * 0.1)
            return {
                "numerator": Decimal(round(denominator * share)),
                "denominator": Decimal(denominator),
            }, []
        if kind.measure == YES_NO:
            return {"yes_no": p >= spec.rise_from}, []
        if kind.measure == STAGE:
            per_stage = 2 + spec.rise_from % 4
            return {"stage": min(len(STAGES) - 1, p // per_stage)}, []
        finest = _finest(kind)
        keys = _cell_keys(finest) if finest else [""]
        if kind.aggregation == LATEST:
            sign = -1 if spec.decrease else 1
            amounts = {
                key: max(0, round(level * (1 + sign * spec.growth * p) * rng.uniform(0.95, 1.05)))
                for key, level in spec.levels.items()
            }
        else:
            amounts = {key: rng.randint(0, 2 * spec.mean) for key in keys}
            if kind.aggregation == YEAR_TO_DATE:
                if p % 2 == 0:
                    spec.running = {}
                amounts = {
                    key: spec.running.get(key, 0) + amount for key, amount in amounts.items()
                }
                spec.running = amounts
        total = sum(amounts.values())
        if not finest:
            return {"value": Decimal(total)}, []
        if is_incomplete(spec.index, p):
            total += 1 + total // 20
        cells = [
            (breakdown_id, key, amount)
            for breakdown_id, dims in spec.breakdowns
            for key, amount in _margin(amounts, finest, dims).items()
        ]
        return {"value": Decimal(total)}, cells

    def _flush_values(self, pending: list[tuple[IndicatorValue, list]]) -> None:
        if not pending:
            return
        rows = self._bulk(IndicatorValue, [row for row, _cells in pending])
        official = sum(1 for row in rows if row.is_official)
        self._count("values", official)
        self._count("working_values", len(rows) - official)
        cells: list[tuple[int, int, str, Decimal]] = []
        made = 0
        for row, (_row, table) in zip(rows, pending, strict=True):
            cells.extend((row.pk, b_id, key, Decimal(amount)) for b_id, key, amount in table)
            if row.is_official:
                made += len(table)
            if len(cells) >= 10 * self.batch:
                _insert_cells(cells)
                cells = []
        _insert_cells(cells)
        self._count("cells", made)

    @staticmethod
    def _action_state(action: _ActionSpec, p: int) -> tuple[str, Decimal]:
        if p < action.start:
            return "not_started", Decimal(0)
        span = action.end - action.start + 1
        done = min(span, p - action.start + 1)
        if action.cancelled_at is not None and p >= action.cancelled_at:
            done = min(done, action.cancelled_at - action.start)
            return "cancelled", Decimal(100 * done // span)
        progress = 100 * done // span
        if action.delayed:
            progress = progress * 7 // 10
            return ("delayed" if p >= action.end - 1 else "in_progress"), Decimal(progress)
        return ("completed" if progress >= 100 else "in_progress"), Decimal(progress)

    def _updates(self, action: _ActionSpec, p: int, report: AgencyReport) -> list[ActionUpdate]:
        status, progress = self._action_state(action, p)
        previous = self._action_state(action, p - 1)[1] if p else Decimal(0)
        spent = Decimal(action.budget) * (progress - previous) / 100
        return [
            ActionUpdate(
                report=report,
                action_id=action.pk,
                is_official=official,
                status=status,
                progress=progress,
                narrative=f"Work in the period as planned; {progress} % done.",
                expenditure=spent.quantize(Decimal("0.01")),
            )
            for official in self._copies()
        ]


def _insert_cells(rows: list[tuple[int, int, str, Decimal]]) -> None:
    """Insert ``(value_id, breakdown_id, key, amount)`` rows into ValueCell's table.

    Cells are 95 % of the rows; ``bulk_create`` spends some 30 µs a row preparing each
    field in Python, so they go through one ``executemany`` (``COPY`` on PostgreSQL) on the
    table and columns the model declares (``ValueCell._meta``): the same rows, ten times
    faster.
    """
    if not rows:
        return
    meta, quote = ValueCell._meta, connection.ops.quote_name
    columns = ", ".join(
        quote(meta.get_field(name).column) for name in ("value", "breakdown", "key", "amount")
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # COPY: one statement instead of one per row
            with cursor.cursor.copy(f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s)"
        cursor.executemany(sql, rows)


def generate(
    *,
    size: Size | None = None,
    seed: int = 1325,
    slug: str = "bench",
    working_copies: bool = True,
    batch: int = 2000,
    log: Callable[[str], None] | None = None,
) -> Generated:
    """Write a plan of ``size`` (default: the national plan at 1×) with approved reports.

    Needs a migrated database (the canonical pillars come from the migration). One
    transaction. ``working_copies`` also writes the working copy each approved report keeps
    (as the review workflow does); the counts name official values and cells only.
    """
    generator = _Generator(
        size or Size.national(1),
        seed=seed,
        slug=slug,
        working_copies=working_copies,
        batch=batch,
        log=log or (lambda _message: None),
    )
    with transaction.atomic():
        return generator.run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = the national plan; 10 = 10×")
    parser.add_argument("--seed", type=int, default=1325)
    parser.add_argument("--slug", default="bench")
    parser.add_argument("--database-url", help="DATABASE_URL (default: the settings' database)")
    parser.add_argument("--data-dir", help="NAP1325_DATA_DIR for the run")
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument(
        "--no-working-copies", action="store_true", help="write only the official copies"
    )
    args = parser.parse_args(argv)
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    result = generate(
        size=Size.national(args.scale),
        seed=args.seed,
        slug=args.slug,
        working_copies=not args.no_working_copies,
        log=print,
    )
    print(f"{connection.vendor}, scale {args.scale}×: {result.seconds:.1f} s")
    for name, count in result.counts.items():
        print(f"  {name:>16}: {count:>10,}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main())
