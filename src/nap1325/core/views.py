"""Home page: the plans a user works on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nap1325.core.selectors import plans_for_home


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: what waits for the user (reports to fill in or review) and the plans they
    hold a role on (all for admins). Else: sign-in prompt."""
    from nap1325.monitoring.selectors import waiting_for

    return render(
        request,
        "core/home.html",
        {"plans": plans_for_home(request.user), "todos": waiting_for(request.user)},
    )
