"""The one place that decides who may do what (DESIGN.md §2).

Every view, form, API endpoint, export and service asks here. Roles are held per plan
through :class:`~nap1325.core.models.Membership`; a platform admin (superuser) may do
everything. Pages answer 404 to those who may not *see* a thing (a 403 would confirm it
exists) and 403 to those who may see it but not change it.

Usage::

    access = plan_access(request.user, plan)   # one query, reuse for the whole request
    if not access.can(PLAN_EDIT): ...
    access.can(ACTION_UPDATE_STATUS, action)   # object-level rule for focal points
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from nap1325.core.models import Membership, Role

if TYPE_CHECKING:
    from nap1325.plans.models import Action, Plan

# Permissions (verbs). Keep the list short and honest; add one when a new kind of act appears.
PLAN_VIEW = "plan.view"  # see the plan's internal pages (matrix, framework)
PLAN_EDIT = "plan.edit"  # edit results, actions, indicators, budget; versions; publish
PLAN_VIEW_AUDIT = "plan.view_audit"  # read the plan's audit trail
PLAN_VIEW_DASHBOARDS = "plan.view_dashboards"  # internal dashboards and agency reports
ACTION_UPDATE_STATUS = "action.update_status"  # object-level: own organisation's actions
PLAN_COMMENT = "plan.comment"  # comment on drafts when a round is open
SHADOW_ASSESS = "plan.shadow_assess"  # civil society's own assessment
REPORT_EDIT = "report.edit"  # object-level: fill in and submit an agency report
REPORT_REVIEW = "report.review"  # approve / return / reopen reports; open and close periods

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.COORDINATOR: frozenset(
        {
            PLAN_VIEW,
            PLAN_EDIT,
            PLAN_VIEW_AUDIT,
            PLAN_VIEW_DASHBOARDS,
            ACTION_UPDATE_STATUS,
            PLAN_COMMENT,
            REPORT_EDIT,
            REPORT_REVIEW,
        }
    ),
    Role.FOCAL_POINT: frozenset(
        {PLAN_VIEW, PLAN_VIEW_DASHBOARDS, ACTION_UPDATE_STATUS, REPORT_EDIT}
    ),
    Role.WORKING_GROUP_MEMBER: frozenset(
        {PLAN_VIEW, PLAN_VIEW_AUDIT, PLAN_VIEW_DASHBOARDS, PLAN_COMMENT}
    ),
    Role.CIVIL_SOCIETY_MONITOR: frozenset({PLAN_VIEW, PLAN_COMMENT, SHADOW_ASSESS}),
    Role.PARTNER: frozenset({PLAN_VIEW, PLAN_VIEW_DASHBOARDS}),
}

#: Permissions whose object-level rule limits them to the member's own organisation.
ORGANISATION_SCOPED = frozenset({ACTION_UPDATE_STATUS, REPORT_EDIT})


@dataclass(frozen=True)
class PlanAccess:
    """What one user may do on one plan: their roles and the organisations they act for."""

    is_platform_admin: bool
    roles: frozenset[str]
    #: role -> organisation ids the user holds that role for
    organisations_by_role: dict[str, frozenset[int]] = field(default_factory=dict)

    @property
    def is_member(self) -> bool:
        return bool(self.roles)

    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in sorted(self.roles)]

    def can(self, permission: str, obj: Any = None) -> bool:
        """True if the user may do ``permission`` (on ``obj`` for object-level rules)."""
        if self.is_platform_admin:
            return True
        granting = [role for role in self.roles if permission in ROLE_PERMISSIONS[role]]
        if not granting:
            return False
        if obj is None or permission not in ORGANISATION_SCOPED:
            return True
        if Role.COORDINATOR in granting:
            return True
        organisation_ids: set[int] = set()
        for role in granting:
            organisation_ids |= self.organisations_by_role.get(role, frozenset())
        return bool(organisation_ids & _organisations_of(obj))

    def require(self, permission: str, obj: Any = None) -> None:
        """Raise 404 if the user may not even view the plan, 403 if they may view only."""
        if self.can(permission, obj):
            return
        if not self.can(PLAN_VIEW):
            raise Http404
        raise PermissionDenied


NO_ACCESS = PlanAccess(is_platform_admin=False, roles=frozenset())


def _organisations_of(obj: Any) -> set[int]:
    """Organisations an object belongs to for organisation-scoped rules.

    An action: its lead agency and partners. An organisation: itself. Anything with an
    ``organisation_id`` (an agency report): that organisation.
    """
    from nap1325.core.models import Organisation
    from nap1325.plans.models import Action

    if isinstance(obj, Action):
        return {obj.lead_agency_id, *(partner.pk for partner in obj.partners.all())}
    if isinstance(obj, Organisation):
        return {obj.pk}
    if hasattr(obj, "organisation_id"):
        return {obj.organisation_id}
    raise TypeError(f"No organisation rule for {type(obj).__name__}")


def plan_access(user: Any, plan: Plan) -> PlanAccess:
    """The :class:`PlanAccess` of ``user`` on ``plan`` (one query; none for anonymous users)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    if user.is_superuser:
        return PlanAccess(is_platform_admin=True, roles=frozenset())
    by_role: dict[str, set[int]] = {}
    for role, organisation_id in Membership.objects.filter(
        user=user, plan=plan, is_active=True
    ).values_list("role", "organisation_id"):
        by_role.setdefault(role, set()).add(organisation_id)
    return PlanAccess(
        is_platform_admin=False,
        roles=frozenset(by_role),
        organisations_by_role={role: frozenset(ids) for role, ids in by_role.items()},
    )


def plan_for_request(
    request: Any, slug: str, permission: str = PLAN_VIEW
) -> tuple[Plan, PlanAccess]:
    """The plan with ``slug`` and the request user's access to it, for views.

    Raises ``Http404`` if the plan does not exist or the user may not see it, and
    ``PermissionDenied`` (403) if they may see it but not do ``permission`` (DESIGN.md §2).
    """
    from nap1325.plans.models import Plan

    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise Http404
    access = plan_access(request.user, plan)
    access.require(permission)
    return plan, access


def visible_plans(user: Any) -> QuerySet[Plan]:
    """Plans whose internal pages ``user`` may see (admins: all; members: theirs)."""
    from nap1325.plans.models import Plan

    if user is None or not user.is_authenticated or not user.is_active:
        return Plan.objects.none()
    if user.is_superuser:
        return Plan.objects.all()
    return Plan.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def reporting_organisations(access: PlanAccess) -> frozenset[int]:
    """Organisations whose reports the user fills in as a focal point (not as coordinator)."""
    return access.organisations_by_role.get(Role.FOCAL_POINT, frozenset())


def can_update_action_status(access: PlanAccess, action: Action) -> bool:
    """Focal points update the status of actions their organisation leads or partners on."""
    return access.can(ACTION_UPDATE_STATUS, action)
