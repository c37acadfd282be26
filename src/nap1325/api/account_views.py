"""The person's own API token page (``/<lang>/accounts/api-token/``): create or revoke it.

The token acts with the person's roles, like their session. It is shown once, right after
it is created (the answer is not cached); afterwards the page only says when it was made.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from rest_framework.authtoken.models import Token

from nap1325.api.services import api_token_create, api_token_revoke


@never_cache
@login_required
def api_token(request: HttpRequest) -> HttpResponse:
    """GET: the page. POST ``intent=create``: a new token, shown once; ``intent=revoke``."""
    new_key = None
    if request.method == "POST":
        intent = request.POST.get("intent")
        if intent == "create":
            new_key = api_token_create(actor=request.user, user=request.user).key
        elif intent == "revoke":
            if api_token_revoke(actor=request.user, user=request.user):
                messages.success(request, _("Your API token is revoked; it no longer works."))
            return HttpResponseRedirect(reverse("api_account:token"))
        else:
            return HttpResponseRedirect(reverse("api_account:token"))
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "api/token.html",
        {"token": token, "new_key": new_key, "docs_url": reverse("api:docs")},
    )
