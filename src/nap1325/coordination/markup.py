"""Minutes: Markdown rendered to HTML and sanitised (issue 4: "minutes (Markdown, sanitised)").

The text is rendered with the ``Markdown`` package, then every tag and attribute outside a
short allow-list is dropped by ``nh3``: no ``<script>``/``<style>`` (removed with their
content), no inline event handlers or ``style``, links only to http, https and mailto, each
with ``rel="noopener noreferrer nofollow"``. Images are not kept (minutes are text).
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"


def minutes_html(text: str) -> SafeString:
    """Markdown ``text`` as sanitised HTML, safe to put in a page as is ("" for no text)."""
    if not text.strip():
        return mark_safe("")
    rendered = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return mark_safe(cleaned)  # noqa: S308 — sanitised by nh3 just above
