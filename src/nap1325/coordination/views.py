"""Working-group pages (placeholder until the pages land)."""

from django.http import Http404, HttpRequest, HttpResponse


def working_group(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
