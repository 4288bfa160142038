"""Headless Chromium (the system's, driven by Playwright) for what a person sees.

Every request that is not file:, data: or blob: (or to an allowed origin) is blocked and
recorded, so a page that needs the network shows it. `make test` installs Chromium.
"""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, Route, sync_playwright

CHROMIUM_ENV = "GAITOPS_CHROMIUM"  # set by `make test`
FIGURES_ENV = "GAITOPS_FIGURES_DIR"  # set by `make figures`: where the docs' screenshots go
LOCAL = ("file:", "data:", "blob:", "about:")


def chromium() -> str:
    path = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail(f"no Chromium at {path}: `make browser` installs it (apt-get install chromium)")
    return path


@dataclass
class Visit:
    page: Page
    blocked: list[str] = field(default_factory=list)  # requests that would leave the machine
    errors: list[str] = field(default_factory=list)  # uncaught script errors
    console: list[str] = field(default_factory=list)  # console errors (failed loads among them)


@contextmanager
def browser_page(allowed_origin: str | None = None) -> Iterator[Visit]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium(), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        visit = Visit(page)

        def guard(route: Route) -> None:
            url = route.request.url
            if url.startswith(LOCAL) or (allowed_origin and url.startswith(allowed_origin)):
                route.continue_()
            else:
                visit.blocked.append(url)
                route.abort()

        page.route("**/*", guard)
        page.on("pageerror", lambda error: visit.errors.append(str(error)))
        page.on(
            "console",
            lambda message: visit.console.append(message.text) if message.type == "error" else None,
        )
        try:
            yield visit
        finally:
            browser.close()


def inked_share(png: bytes) -> float:
    """The share of pixels that differ from the screenshot's most common colour."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    colours = image.getcolors(maxcolors=image.width * image.height)
    assert colours is not None
    background = max(colours)[0]
    return 1.0 - background / (image.width * image.height)


def keep_figure(name: str, png: bytes) -> None:
    """Save a screenshot a browser test took as the docs' figure `name`.png, when
    $GAITOPS_FIGURES_DIR is set (`make figures`: docs/figures/); otherwise nothing."""
    folder = os.environ.get(FIGURES_ENV)
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{name}.png").write_bytes(png)
