"""The sitemap of the public portal (``/sitemap.xml``): public pages only, every language.

Built from the same publishing rule as the pages (:func:`nap1325.plans.visibility.public_scopes`
and the ``is_published`` flags of events and consultations), so an unpublished plan, item,
event or consultation is never listed. A fixed number of queries whatever the number of
plans and items.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from nap1325.coordination.models import Event, WorkingGroup
from nap1325.participation.models import Consultation
from nap1325.plans.visibility import public_plans, public_scopes


class PortalSitemap(Sitemap):  # type: ignore[type-arg]
    """Every public page: the plan list, each plan's pages, its public items, events and
    published consultations."""

    i18n = True
    languages = [code for code, _name in settings.LANGUAGES]
    alternates = True
    x_default = True

    def items(self) -> list[tuple[str, tuple[Any, ...]]]:
        plans = list(public_plans())
        scopes = public_scopes(plans)
        with_group = set(
            WorkingGroup.objects.filter(plan__in=plans, is_published=True).values_list(
                "plan_id", flat=True
            )
        )
        events: dict[int, list[int]] = {}
        for plan_id, pk in (
            Event.objects.filter(plan__in=plans, is_published=True)
            .order_by("start_date", "id")
            .values_list("plan_id", "pk")
        ):
            events.setdefault(plan_id, []).append(pk)
        consultations: dict[int, list[int]] = {}
        for plan_id, pk in (
            Consultation.objects.filter(plan__in=plans, is_published=True)
            .order_by("-date", "id")
            .values_list("plan_id", "pk")
        ):
            consultations.setdefault(plan_id, []).append(pk)
        found: list[tuple[str, tuple[Any, ...]]] = [("portal:index", ())]
        for plan in plans:
            scope = scopes[plan.pk]
            slug = plan.slug
            found += [
                ("portal:plan", (slug,)),
                ("portal:framework", (slug,)),
                ("portal:changes", (slug,)),
                ("portal:consultations", (slug,)),
            ]
            if plan.pk in with_group or plan.pk in events:
                found.append(("portal:group", (slug,)))
            found += [("portal:action", (slug, pk)) for pk in sorted(scope.action_ids)]
            found += [("portal:indicator", (slug, pk)) for pk in sorted(scope.indicator_ids)]
            found += [("portal:event", (slug, pk)) for pk in events.get(plan.pk, [])]
            found += [("portal:consultation", (slug, pk)) for pk in consultations.get(plan.pk, [])]
        return found

    def location(self, item: tuple[str, tuple[Any, ...]]) -> str:
        name, args = item
        return reverse(name, args=args)
