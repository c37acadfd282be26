"""Home page: the plans a user works on."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

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


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's ``set_language``, sending the reader to the same page in the new language.

    Django translates ``next`` with the language of the request to this view (the cookie
    or the browser's), so from /ru/… with no cookie yet it would resolve nothing and send
    the reader back to the Russian page. Here ``next`` is read in the language its own
    prefix names. An unknown language code changes nothing (back to ``next``); an unsafe
    ``next`` goes home — both as in Django.
    """
    next_url = request.POST.get("next", "")
    path_language = get_language_from_path(urlsplit(next_url).path)
    with translation.override(path_language or translation.get_language()):
        return set_language(request)
