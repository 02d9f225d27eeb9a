"""Renders report models to HTML with Jinja2 (autoescaped)."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from services.reporting.domain.round_page import RoundPage

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


def render_round(page: RoundPage) -> str:
    """The round's HTML page."""
    return _TEMPLATES.get_template("round.html.j2").render(page=page)
