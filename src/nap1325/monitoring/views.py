"""Pages of agency reports (placeholder until the report pages land)."""

from django.http import Http404, HttpRequest, HttpResponse


def index(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
