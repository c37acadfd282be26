"""Public open-data downloads of published plans (no login; unpublished → 404)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language

from nap1325.plans.visibility import PublicScope, public_plan_or_404, public_scope

from . import open_data
from .logframe import columns as cols
from .logframe.export import SHEET_ORDER

CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
JSON = "application/json; charset=utf-8"
YAML = "application/yaml; charset=utf-8"


def _downloads(plan_slug: str) -> dict[str, tuple[str, Callable[[PublicScope], bytes]]]:
    language = get_language() or "en"
    table: dict[str, tuple[str, Callable[[PublicScope], bytes]]] = {
        "framework.xlsx": (XLSX, lambda s: open_data.framework_xlsx(s, language=language)),
        "framework.json": (JSON, open_data.framework_json),
        "indicators.csv": (CSV, lambda s: open_data.framework_csv(s, cols.INDICATORS)),
        "values.csv": (CSV, open_data.values_csv),
        "values.xlsx": (XLSX, lambda s: open_data.values_xlsx(s, language=language)),
        "values.json": (JSON, open_data.values_json),
        "values-mapping.yaml": (YAML, open_data.values_mapping),
    }
    for sheet in SHEET_ORDER:
        table[f"framework-{sheet}.csv"] = (
            CSV,
            lambda s, sheet=sheet: open_data.framework_csv(s, sheet),
        )
    return table


def index(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan's downloads with their columns and the licence."""
    plan = public_plan_or_404(slug)
    sheets = cols.sheets(plan.tier_labels, languages=True)
    return render(
        request,
        "interchange/open_data_index.html",
        {
            "plan": plan,
            "section": "open-data",
            "licence": open_data.LICENCE,
            "framework_sheets": [sheets[key] for key in SHEET_ORDER],
            "value_columns": open_data.VALUE_COLUMNS,
            "base": reverse("open_data:index", args=[plan.slug]),
        },
    )


def download(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    """One download by file name (see :mod:`nap1325.interchange.open_data`)."""
    plan = public_plan_or_404(slug)
    found = _downloads(slug).get(name)
    if found is None:
        raise Http404
    content_type, make = found
    data = make(public_scope(plan))
    response = HttpResponse(data, content_type=content_type)
    disposition = "inline" if name.endswith((".json", ".yaml")) else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{plan.slug}-{name}"'
    response["Link"] = f'<{open_data.LICENCE["url"]}>; rel="license"'
    return response
