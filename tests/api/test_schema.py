"""The OpenAPI schema documents every /api/ endpoint and method; the docs are served locally."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

#: Endpoints that serve the schema and its docs themselves.
SCHEMA_ENDPOINTS = {"/api/schema/", "/api/docs/", "/api/docs/redoc/"}
#: The JSON 404 for every other address under /api/.
CATCH_ALL = "/api/^(?:.*/)?$"
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def api_routes() -> list[tuple[str, set[str]]]:
    """Every route under /api/ from the URL resolver, as an OpenAPI path with its methods."""
    found: list[tuple[str, set[str]]] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and route.startswith("api/"):
                view = getattr(pattern.callback, "view_class", None) or getattr(
                    pattern.callback, "cls", None
                )
                methods = {m for m in HTTP_METHODS if view is not None and hasattr(view, m)}
                path = "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                # DRF's schema convention (SCHEMA_COERCE_PATH_PK): {pk} is documented as {id}
                path = path.replace("{pk}", "{id}")
                found.append((path, methods))

    walk(get_resolver().url_patterns, "")
    return found


def test_every_api_route_and_method_is_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    routes = api_routes()
    assert len(routes) > 20
    missing = [
        (path, method)
        for path, methods in routes
        if path not in SCHEMA_ENDPOINTS | {CATCH_ALL}
        for method in methods
        if method not in schema["paths"].get(path, {})
    ]
    assert missing == []
    # and nothing is documented that does not exist
    assert set(schema["paths"]) == {path for path, _m in routes} - SCHEMA_ENDPOINTS - {CATCH_ALL}


def test_the_schema_is_valid_openapi_with_lang_and_error_bodies(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)
    operation = schema["paths"]["/api/plans/{slug}/values/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"lang", "page", "page_size", "period", "indicator", "organisation"} <= names
    assert "400" in operation["responses"]
    assert "404" in operation["responses"]


@pytest.mark.parametrize("path", ["/api/docs/", "/api/docs/redoc/"])
def test_the_docs_load_their_scripts_from_our_own_static_files(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    # no script or stylesheet from elsewhere (a word search for "cdn" also hit random tokens)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(not re.match(r"(?:https?:)?//", source) for source in sources)
    assert "https://" not in html
    # and the browser may fetch nothing from elsewhere (Redoc's bundle links a CDN logo)
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
