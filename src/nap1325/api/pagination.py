"""Page-number pagination with a bounded page size and clear errors (docs/api.md).

``?page=N`` (from 1) and ``?page_size=N`` (1 … :data:`MAX_PAGE_SIZE`, default
:data:`PAGE_SIZE`). A malformed value is a 400 naming the parameter; a page past the last
is a 404 that says how many pages there are.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from nap1325.core.params import parse_int

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


class Pagination(PageNumberPagination):
    """``{"count", "next", "previous", "results"}`` pages of at most 200 items."""

    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None or raw.strip() == "":
            return self.page_size
        size = parse_int(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Enter a whole number from 1 to %(max)d.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        page_size = self.get_page_size(request)
        raw = request.query_params.get(self.page_query_param)
        number = 1
        if raw is not None and raw.strip() != "":
            parsed = parse_int(raw, minimum=1)
            if parsed is None:
                raise ValidationError(
                    {self.page_query_param: [_("Enter a whole number, 1 or more.")]}
                )
            number = parsed
        paginator = self.django_paginator_class(queryset, page_size)
        try:
            self.page = paginator.page(number)
        except InvalidPage:
            raise NotFound(
                {
                    self.page_query_param: [
                        ngettext(
                            "Page %(page)d does not exist; there is %(pages)d page.",
                            "Page %(page)d does not exist; there are %(pages)d pages.",
                            paginator.num_pages,
                        )
                        % {"page": number, "pages": paginator.num_pages}
                    ]
                }
            ) from None
        self.request = request
        return list(self.page)
