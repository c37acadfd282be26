"""OpenAPI generation (drf-spectacular): every operation documents ``?lang=``, the
pagination parameters of lists, and the error format of its 4xx answers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter

ERROR_SCHEMA = {
    "type": "object",
    "description": "Field or parameter (dotted for nested fields, or 'detail') → messages.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
    "example": {"period": ["Enter a whole number (an id)."]},
}


class AutoSchema(SpectacularAutoSchema):
    """Adds ``lang`` to every operation and documents 400/404 error bodies."""

    def get_override_parameters(self) -> list[Any]:
        return [
            *super().get_override_parameters(),
            OpenApiParameter(
                "lang",
                str,
                enum=[code for code, _name in settings.LANGUAGES],
                description=(
                    "Language of labels and messages; overrides Accept-Language. "
                    "An unknown code is a 400."
                ),
            ),
        ]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        error = {"content": {"application/json": {"schema": ERROR_SCHEMA}}}
        for code, description in (
            ("400", "Bad input: a malformed parameter or field, named."),
            ("401", "The token sent is unknown, revoked, or its user is inactive."),
            ("404", "Not found, or not something you may see."),
        ):
            responses.setdefault(code, {"description": description, **error})
        for code, response in responses.items():
            if code[0] == "4" and "content" not in response:
                response.update(error)
        return responses
