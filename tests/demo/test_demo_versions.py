"""The demo's version history of the Kyrgyz plan (issue 5, point 8)."""

from __future__ import annotations

import pytest

from nap1325.demo.loader import load_demo
from nap1325.participation.models import Comment, CommentRound
from nap1325.plans.models import Plan
from nap1325.plans.versions import compare, plan_snapshot

pytestmark = pytest.mark.django_db


def test_versions_from_first_draft_to_adoption_with_a_resolved_round():
    load_demo()
    plan = Plan.objects.get(slug="kg-nap-2018")
    versions = list(plan.versions.order_by("number"))
    assert [v.label for v in versions] == ["First draft", "Draft for consultation", "Adopted"]
    assert [v.is_adopted for v in versions] == [False, False, True]
    assert plan.status == Plan.Status.IMPLEMENTING
    assert plan.legal_act_issuer == "Government of the Kyrgyz Republic"
    assert "illustrative" in plan.legal_act_number
    first, draft, adopted = versions
    grew = compare(first.snapshot, draft.snapshot)
    added = {kind.kind: kind.added for kind in grew.kinds}
    assert added["results"] == 2 + 4  # objectives 2 and 3 with their tasks
    assert added["actions"] > 0 and added["indicators"] > 0
    revised = compare(draft.snapshot, adopted.snapshot)
    actions = next(k for k in revised.kinds if k.kind == "actions")
    assert [(e.name.split(" ")[0], e.state) for e in actions.elements] == [("2.1.1", "changed")]
    assert "Chui" in actions.elements[0].changes[0].new
    # Since adoption, one change (with its reason): a draft indicator held back from the portal.
    since = compare(adopted.snapshot, plan_snapshot(plan))
    changed = [
        (element.name.split(" ")[0], [(c.label, c.old, c.new) for c in element.changes])
        for kind in since.kinds
        for element in kind.elements
    ]
    assert changed == [("3.2.1b", [("Published", "yes", "no")])]
    round_ = CommentRound.objects.get(plan=plan)
    assert round_.version == draft and round_.state() == "closed"
    resolutions = sorted(Comment.objects.filter(round=round_).values_list("resolution", flat=True))
    assert resolutions == ["accepted", "partly_accepted", "rejected"]
    assert all(c.resolution_reason for c in Comment.objects.filter(round=round_))
    load_demo()  # idempotent
    assert plan.versions.count() == 3 and CommentRound.objects.filter(plan=plan).count() == 1
