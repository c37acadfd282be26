"""The Kyrgyz plan's version history for the demo (issue 5, point 8).

Built while the loader writes the plan, by snapshotting real states of it:

1. **First draft** — after the first objective with its tasks and measures;
2. **Draft for consultation** — the whole framework, then a comment round (closed, held in
   November 2017) in which the civil-society monitor and the working-group member comment;
   the secretariat resolves every comment with a reason and applies the accepted one;
3. **Adopted** — the plan as adopted by the Government of the Kyrgyz Republic in 2018
   (published fact); the decree's number and date are not in the demo's sources and are
   marked illustrative.

Everything below the published objectives is illustrative, and so are the round, the
comments and their resolutions. Idempotent: nothing is done for a plan that already has
versions or is already adopted.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from nap1325.core.models import User
from nap1325.participation import round_services
from nap1325.participation.models import Comment
from nap1325.plans import services
from nap1325.plans.models import Action, Plan

ILLUSTRATIVE = "Illustrative (demo)."
#: (username, action code, comment, resolution, reason, change applied if accepted)
COMMENTS = [
    (
        "monitor",
        "2.1.1",
        "Women's early-warning networks should also cover the Chui region, where tensions "
        "over land and water recur.",
        Comment.Resolution.ACCEPTED,
        "Agreed: the Chui region is added to the networks' coverage.",
        "Set up women's early-warning networks in the Osh, Jalal-Abad, Batken and Chui regions",
    ),
    (
        "member",
        "1.1.2",
        "Mentoring should start with the patrol service, where the share of women is lowest.",
        Comment.Resolution.PARTLY_ACCEPTED,
        "The programme starts with the patrol service in Bishkek; other services follow in 2019.",
        None,
    ),
    (
        "monitor",
        "2.1.2",
        "Dialogue platforms need a budget line from the state budget, not only donors.",
        Comment.Resolution.REJECTED,
        "No state budget is allocated to the plan (published fact); funding is sought from "
        "partners.",
        None,
    ),
]


def first_draft(plan: Plan) -> None:
    """Save the "First draft" version of the plan as it stands (first objective only)."""
    if plan.versions.exists():
        return
    services.plan_version_create(
        actor=None,
        plan=plan,
        label="First draft",
        changelog="Objective 1 with its tasks, measures and indicators. " + ILLUSTRATIVE,
    )


def consultation_and_adoption(plan: Plan) -> list[str]:
    """Draft for consultation, a closed comment round with resolved comments, adoption.

    Runs after the demo users exist (they comment). Returns what was created.
    """
    if plan.is_frozen or plan.versions.filter(number__gt=1).exists():
        return []
    zone = ZoneInfo(plan.time_zone)
    coordinator = User.objects.filter(username="coordinator").first()
    draft = services.plan_version_create(
        actor=None,
        plan=plan,
        label="Draft for consultation",
        changelog="All three objectives with tasks, measures, indicators and budget lines. "
        + ILLUSTRATIVE,
    )
    opens = dt.datetime(2017, 11, 1, 9, 0, tzinfo=zone)
    closes = dt.datetime(2017, 11, 30, 18, 0, tzinfo=zone)
    round_ = round_services.comment_round_create(
        actor=None,
        version=draft,
        title="Consultation on the draft NAP (illustrative)",
        description="Working-group members and civil-society monitors comment on the draft, "
        "measure by measure. " + ILLUSTRATIVE,
        opens_at=opens,
        closes_at=closes,
    )
    for number, (username, code, text, resolution, reason, new_title) in enumerate(COMMENTS):
        author = User.objects.filter(username=username).first()
        if author is None:
            continue
        action = Action.objects.get(plan=plan, code=code, is_archived=False)
        posted = opens + dt.timedelta(days=3 + 4 * number, hours=2)
        comment = round_services.comment_create(
            actor=author,
            round_=round_,
            anchor_kind="action",
            anchor_pk=action.pk,
            text=text,
            now=posted,
        )
        round_services.comment_resolve(
            actor=coordinator, comment=comment, resolution=resolution, reason=reason
        )
        # historical times for the demo (the services stamp "now")
        Comment.objects.filter(pk=comment.pk).update(
            created_at=posted, resolved_at=closes + dt.timedelta(days=5)
        )
        if new_title:
            services.action_update(actor=coordinator, action=action, title=new_title)
    services.plan_adopt(
        actor=None,
        plan=plan,
        label="Adopted",
        legal_act_number="illustrative (not in the demo's sources)",
        legal_act_date=dt.date(2018, 3, 1),
        legal_act_issuer="Government of the Kyrgyz Republic",
    )
    return [
        "the Kyrgyz plan's versions (first draft, draft for consultation, adopted) and "
        f"a closed comment round with {len(COMMENTS)} resolved comments"
    ]
