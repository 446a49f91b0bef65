"""Browser fixtures: one headless Chromium per test session, a fresh context per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.web.browser import CHROMIUM, CHROMIUM_ARGS, WAIT_MS


@pytest.fixture(scope="session")
async def browser() -> AsyncIterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                    args=CHROMIUM_ARGS)
        yield launched
        await launched.close()


async def _new_page(browser: Any, **options: Any) -> tuple[Any, Any, list[str]]:
    # The server's Content-Security-Policy forbids eval, which Playwright's string
    # predicates (wait_for_function) need; `strict_page` keeps the policy enforced.
    context = await browser.new_context(**{"viewport": {"width": 1280, "height": 900},
                                           "bypass_csp": True, **options})
    opened = await context.new_page()
    opened.set_default_timeout(WAIT_MS)
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, opened, errors


@pytest.fixture
async def strict_page(browser: Any, client: Any) -> AsyncIterator[Any]:
    """A page under the server's own Content-Security-Policy (no Playwright eval)."""
    context, opened, errors = await _new_page(browser, bypass_csp=False)
    yield opened
    await context.close()
    assert errors == [], f"the page raised: {errors}"


@pytest.fixture
async def page(browser: Any, client: Any) -> AsyncIterator[Any]:
    # depends on ``client`` so that the browser (and its open WebSocket) goes away before
    # the server shuts down
    context, opened, errors = await _new_page(browser)
    yield opened
    await context.close()
    assert errors == [], f"the page raised: {errors}"


@pytest.fixture
async def new_page(browser: Any) -> AsyncIterator[Any]:
    """Pages for tests that start their own server: ``await new_page()``."""
    opened: list[tuple[Any, list[str]]] = []

    async def make(**options: Any) -> Any:
        context, page, errors = await _new_page(browser, **options)
        opened.append((context, errors))
        return page

    yield make
    for context, errors in opened:
        await context.close()
        assert errors == [], f"the page raised: {errors}"
