"""Writes for reference data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from nap1325.library.models import FrameworkIndicator, Pillar

FRAMEWORKS_FILE = Path(__file__).parent / "data" / "frameworks.yaml"


def load_frameworks_file(path: Path = FRAMEWORKS_FILE) -> dict[str, Any]:
    """Parse the frameworks YAML (shape: see ``data/frameworks.yaml``)."""
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def reference_data_sync(*, using: str = "default", path: Path = FRAMEWORKS_FILE) -> None:
    """Create or update canonical pillars and framework indicators from the YAML file.

    Idempotent (runs after every ``migrate``); never deletes rows that plans may point to.
    """
    data = load_frameworks_file(path)
    with transaction.atomic(using=using):
        pillars: dict[str, Pillar] = {}
        for order, item in enumerate(data["canonical_pillars"]):
            pillar, _created = Pillar.objects.using(using).update_or_create(
                key=item["key"],
                defaults={"name": item["name"], "summary": item.get("summary", ""), "order": order},
            )
            pillars[pillar.key] = pillar
        s2010 = data["s2010_498"]
        for item in s2010["items"]:
            FrameworkIndicator.objects.using(using).update_or_create(
                framework=FrameworkIndicator.Framework.S2010_498,
                code=str(item["code"]),
                defaults={
                    "title": item["title"],
                    "pillar": pillars.get(item.get("pillar", "")),
                    "status": item.get("status", FrameworkIndicator.Status.CONFIRMED),
                    "source": s2010.get("source", ""),
                },
            )
        for item in data["sdg"]:
            FrameworkIndicator.objects.using(using).update_or_create(
                framework=FrameworkIndicator.Framework.SDG,
                code=str(item["code"]),
                defaults={
                    "title": item["title"],
                    "status": FrameworkIndicator.Status.CONFIRMED,
                    "source": "UN Statistics Division, SDG indicator metadata",
                },
            )
