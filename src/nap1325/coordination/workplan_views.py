"""Work-plan pages (placeholder until the pages land)."""

from django.http import Http404, HttpRequest, HttpResponse


def work_plan(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404
