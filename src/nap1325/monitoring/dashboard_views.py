"""Dashboard pages (placeholder until the dashboards land)."""

from django.http import Http404, HttpRequest, HttpResponse


def plan_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
