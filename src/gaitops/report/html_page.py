"""A self-contained HTML page: escaped text, tables, inline SVG and base64 images, no network."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1180px; color: #222; }
h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.6em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.note { color: #555; } .bad { color: #a00; font-weight: bold; } .good { color: #070; font-weight: bold; }
figure { margin: 1em 0; } figcaption { color: #555; font-size: 0.9em; }
img, svg { max-width: 100%; height: auto; }
"""


def escape(text: object) -> str:
    return html.escape(str(text))


def table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, na_rep="–", escape=True)


def markdown(text: str) -> str:
    """Markdown (tables included) as HTML; raw HTML in it is escaped."""
    return MarkdownIt("commonmark", {"html": False}).enable("table").render(text)


def image(path: Path, caption: str) -> str:
    """A PNG inlined as base64, with its caption."""
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (
        f'<figure><img alt="{escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{escape(caption)}</figcaption></figure>"
    )


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def page(title: str, sections: list[tuple[str, str]]) -> str:
    """The whole document: a title, then (heading, body HTML) sections."""
    body = "\n".join(
        f"<section><h2>{escape(h)}</h2>\n{content}</section>" for h, content in sections
    )
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head>\n"
        f"<body><h1>{escape(title)}</h1>\n{body}\n</body></html>\n"
    )
