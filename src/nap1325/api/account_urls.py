"""The person's API token page; mounted under ``/<lang>/accounts/`` (namespace ``api_account``)."""

from django.urls import path

from nap1325.api import account_views

app_name = "api_account"

urlpatterns = [path("api-token/", account_views.api_token, name="token")]
