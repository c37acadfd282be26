"""``nap1325 api-token USER``: issue, replace and revoke a user's token (audited)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.test import APIClient

from nap1325.core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def token_of(username: str) -> str:
    out = StringIO()
    call_command("api_token", username, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def me(key: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(reverse("api:me")).status_code


def test_issue_replace_and_revoke():
    UserFactory(username="focal-moes")
    first = token_of("focal-moes")
    assert len(first) == 40
    assert me(first) == 200
    second = token_of("focal-moes")
    assert second != first
    assert (me(first), me(second)) == (401, 200)
    out = StringIO()
    call_command("api_token", "focal-moes", "--revoke", stdout=out)
    assert out.getvalue() == "The API token of focal-moes is revoked.\n"
    assert me(second) == 401
    assert list(
        AuditEvent.objects.filter(event_type__startswith="api_token.")
        .order_by("id")
        .values_list("event_type", flat=True)
    ) == ["api_token.created", "api_token.created", "api_token.revoked"]


@pytest.mark.parametrize(
    ("username", "active", "message"),
    [
        ("nobody", True, "No user with the login name 'nobody'."),
        ("retired", False, "The user 'retired' is inactive; activate them first."),
    ],
)
def test_unknown_or_inactive_users_are_refused(username, active, message):
    UserFactory(username="retired", is_active=active)
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("api_token", username, stdout=StringIO())


def test_an_inactive_users_token_stops_working():
    user = UserFactory(username="leaver")
    key = token_of("leaver")
    user.is_active = False
    user.save()
    assert me(key) == 401


def test_the_cli_takes_the_dashed_name(capsys):
    from nap1325.cli import main

    UserFactory(username="partner-un")
    main(["nap1325", "api-token", "partner-un"])
    assert len(capsys.readouterr().out.strip()) == 40


def test_the_token_page_creates_shows_once_and_revokes(login, django_assert_max_num_queries):
    user = UserFactory(username="focal-moes")
    client = login(user)
    url = reverse("api_account:token")
    page = client.get(url)
    assert page.status_code == 200
    assert "You have no token." in page.content.decode()
    created = client.post(url, {"intent": "create"})
    key = user.auth_token.key
    assert key in created.content.decode()
    assert "no-store" in created["Cache-Control"]
    assert me(key) == 200
    with django_assert_max_num_queries(4):
        again = client.get(url).content.decode()
    assert key not in again
    assert "You have a token, created on" in again
    revoked = client.post(url, {"intent": "revoke"}, follow=True)
    assert "Your API token is revoked; it no longer works." in revoked.content.decode()
    assert me(key) == 401


def test_the_token_page_needs_a_sign_in(client, db):
    response = client.get(reverse("api_account:token"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
