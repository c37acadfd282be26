"""Home page: the plans a user works on."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nap1325.core.selectors import plans_for_home


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the plans the user holds a role on (all for admins). Else: sign-in prompt."""
    return render(request, "core/home.html", {"plans": plans_for_home(request.user)})
