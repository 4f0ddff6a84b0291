"""Turning a template version and merge values into HTML, then PDF, safely.

Three guards, each in one place:
- Organisation admins write plain text with ``{{ field }}`` merge fields and nothing else:
  ``template_errors`` refuses any other template syntax (read by the engine's own lexer),
  the literal text is escaped, and the result is rendered by an engine without tags or
  filters, with autoescape on.
- WeasyPrint fetches only Haven's bundled letter assets (``HavenAssetFetcher``): no
  ``file://`` paths, no network, no ``data:`` tricks.
- The worker renders under Celery's soft and hard time limits (``letters.tasks``).
"""

from __future__ import annotations

import logging
import mimetypes
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Engine
from django.template.base import DebugLexer, TokenType
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .merge import MERGE_FIELDS

logger = logging.getLogger(__name__)

FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
BRACES = re.compile(r"[{}%#]?[{}][{}%#]?")
MAX_BODY_CHARS = 20_000

ASSET_SCHEME = "haven-asset"
ASSET_BASE = f"{ASSET_SCHEME}:/"
ASSET_ROOT = Path(settings.BASE_DIR) / "static" / "letters"

ONLY_FIELDS = "Only merge fields written as {{ field_name }} may be used"


def _near(text: str, start: int) -> str:
    """The fragment of an admin's text around a stray brace, to name it in the message."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", start)
    line = text[line_start : line_end if line_end != -1 else len(text)]
    offset = start - line_start
    return line[max(0, offset - 20) : offset + 30].strip()


def _parse(text: str) -> tuple[list[tuple[str, str]], list[str]]:
    """Split an admin's subject or body with the template engine's own lexer into literal
    text and merge fields: ``([("text", ...), ("field", name), ...], problems)``.

    One parser for the check and the rendering: what the check accepts is exactly what is
    rendered, and anything the engine would read as a tag, filter or comment is refused.
    """
    pieces: list[tuple[str, str]] = []
    problems: list[str] = []
    unknown: list[str] = []
    for token in DebugLexer(text).tokenize():
        start, end = token.position  # type: ignore[misc]  # DebugLexer always sets it
        source = text[start:end]
        if token.token_type == TokenType.TEXT:
            stray = BRACES.search(source)
            if stray:
                fragment = _near(text, start + stray.start())
                problems.append(
                    f"\u201c{fragment}\u201d has braces that are not a merge field: {ONLY_FIELDS}"
                    ", with two braces on each side and no other braces."
                )
            pieces.append(("text", source))
        elif token.token_type == TokenType.VAR:
            name = token.contents
            if not FIELD_NAME.fullmatch(name):
                problems.append(
                    f"\u201c{source}\u201d is not a merge field: {ONLY_FIELDS}, with two braces "
                    "on each side and no filters or other braces."
                )
            elif name not in MERGE_FIELDS:
                unknown.append(name)
            pieces.append(("field", name))
        else:
            what = "a template tag" if token.token_type == TokenType.BLOCK else "a comment"
            problems.append(f"{ONLY_FIELDS}: \u201c{source}\u201d is {what}.")
    if unknown:
        names = ", ".join(f"{{{{ {n} }}}}" for n in sorted(set(unknown)))
        problems.insert(0, f"Unknown merge field: {names}.")
    return pieces, problems


def template_errors(text: str) -> list[str]:
    """What is wrong with an admin's subject or body, as messages for the form."""
    if len(text) > MAX_BODY_CHARS:
        return [f"Keep the letter under {MAX_BODY_CHARS} characters."]
    return _parse(text)[1]


def _to_template_source(text: str, *, paragraphs: bool) -> str:
    """Escape the literal text, keep the merge fields, and lay out paragraphs."""
    pieces, problems = _parse(text)
    if problems or len(text) > MAX_BODY_CHARS:
        raise ValueError("The template has errors; it cannot be rendered.")
    source = "".join(
        escape(value) if kind == "text" else f"{{{{ {value} }}}}" for kind, value in pieces
    )
    if not paragraphs:
        return source
    blocks = [b.strip() for b in re.split(r"\n\s*\n", source.replace("\r\n", "\n"))]
    return "".join(f"<p>{b.replace(chr(10), '<br>')}</p>" for b in blocks if b)


def _engine() -> Engine:
    # No tags and no filters: even text that slipped past ``template_errors`` could do no
    # more than print a merge value.
    engine = Engine(autoescape=True, string_if_invalid="")
    engine.template_builtins = []
    engine.template_libraries = {}
    return engine


def render_text(text: str, values: dict[str, str], *, paragraphs: bool = False) -> str:
    source = _to_template_source(text, paragraphs=paragraphs)
    return _engine().from_string(source).render(Context(values, autoescape=True))


def letter_html(*, subject: str, body: str, values: dict[str, str], large_print: bool) -> str:
    """The complete letter as HTML: Haven's fixed layout around the admin's text."""
    return render_to_string(
        "letters/pdf/letter.html",
        {
            # Safe: render_text escaped the literal text and autoescaped every merge value.
            "subject": mark_safe(render_text(subject, values)),  # noqa: S308
            "body": mark_safe(render_text(body, values, paragraphs=True)),  # noqa: S308
            "v": values,
            "large_print": large_print,
            "asset_base": ASSET_BASE,
        },
    )


class RefusedURL(ValueError):
    pass


def _asset_path(url: str) -> Path:
    if not url.startswith(ASSET_BASE):
        raise RefusedURL(f"Letters may use only Haven's own assets, not {url[:80]!r}")
    relative = url[len(ASSET_BASE) :].lstrip("/").split("?")[0].split("#")[0]
    path = (ASSET_ROOT / relative).resolve()
    root = ASSET_ROOT.resolve()
    if root not in path.parents or not path.is_file():
        raise RefusedURL(f"No such Haven asset: {relative[:80]!r}")
    return path


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class HavenAssetFetcher(URLFetcher):
        """Serves files under static/letters/ and refuses every other URL."""

        def fetch(self, url, headers=None):
            try:
                path = _asset_path(url)
            except RefusedURL:
                logger.warning("Letter rendering refused a URL (scheme %s)", url.split(":")[0])
                raise
            mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    return HavenAssetFetcher


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    fetcher = _fetcher_class()(allowed_protocols=[ASSET_SCHEME])
    return HTML(string=html, base_url=ASSET_BASE, url_fetcher=fetcher).write_pdf()
