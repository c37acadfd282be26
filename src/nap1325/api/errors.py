"""One error format for every API answer (docs/api.md "Errors").

Every 4xx body is an object whose keys name what went wrong and whose values are lists of
messages: a field or parameter (``{"period": ["Enter a whole number (an id)."]}``), a
nested field as a dotted path (``{"values.0.value": ["Enter a number."]}``), or
``"detail"`` when nothing more precise applies (``{"detail": ["Not found."]}``).

Services raise Django's ``ValidationError`` keyed by field, ``PermissionDenied`` and
:class:`~nap1325.monitoring.services.ReportConflict`; they are answered here as 400 (409
when the report's state or period refuses the change), 403 and 409. Messages are
translated into the request's language.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from nap1325.monitoring.services import ReportConflict

#: Service error keys that mean "the report's state refuses this", answered 409.
STATE_KEYS = frozenset({"state", "period"})


class Conflict(exceptions.APIException):
    """409: the object changed since it was read, or its state refuses the change."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Conflict."
    default_code = "conflict"


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"dotted.path": ["message", …]}``."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if key == "non_field_errors":  # an error on the object itself
                name = prefix or "detail"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            for path, messages in flatten(value, name).items():
                found.setdefault(path, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            found.setdefault(prefix or "detail", []).extend(str(item) for item in detail)
        else:
            for index, value in enumerate(detail):
                if value:
                    for path, messages in flatten(value, f"{prefix}.{index}").items():
                        found.setdefault(path, []).extend(messages)
    elif detail is not None:
        found.setdefault(prefix or "detail", []).append(str(detail))
    return found


def service_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as ``{field: [messages]}`` (``"detail"`` if unkeyed)."""
    if hasattr(error, "error_dict"):
        return {
            ("detail" if key == "__all__" else key): [str(m) for m in messages]
            for key, messages in error.message_dict.items()
        }
    return {"detail": [str(m) for m in error.messages]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with Django's and the services' exceptions mapped and one body shape."""
    if isinstance(exc, ReportConflict):
        message = _(
            "The report changed since you read it (it is now at version %(version)d). "
            "Read it again and send your changes with the new version."
        ) % {"version": exc.report.version}
        return Response({"version": [message]}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors = service_errors(exc)
        code = (
            status.HTTP_409_CONFLICT if set(errors) <= STATE_KEYS else status.HTTP_400_BAD_REQUEST
        )
        return Response(errors, status=code)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("You do not have permission to do this."))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = flatten(response.data)
    return response
