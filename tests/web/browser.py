"""What the browser tests share: Debian's Chromium, the page's selectors, axe-core.

Debian's ``chromium`` is driven through Playwright's Python package (``executable_path``);
Playwright's own browser download is not used. axe-core comes from the PyPI package
``axe-playwright-python`` (pinned in pyproject.toml), which ships ``axe.min.js``; it is
injected into the page by the test, never served by the app. ``TUNEMATE_SCREENSHOT=1``
saves a screenshot of each view under ``docs/screenshots/`` and axe's findings beside them.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ROWS = "#track-list > li.track"
WAIT_MS = 20_000
BLOCKING_IMPACTS = ("serious", "critical")


def screenshots_wanted() -> bool:
    return os.environ.get("TUNEMATE_SCREENSHOT") == "1"


async def open_page(page: Any, client: Any, fragment: str = "") -> None:
    await page.goto(str(client.make_url("/")) + fragment)
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}').length === 50")


async def track_ids(page: Any) -> list[str]:
    return await page.eval_on_selector_all(ROWS, "rows => rows.map(r => r.dataset.trackId)")


async def token_of(page: Any) -> str:
    token = await page.evaluate("window.localStorage.getItem('tunemate.token')")
    assert token, "the page keeps its API token in localStorage"
    return str(token)


async def auth(page: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {await token_of(page)}"}


async def wait_for_list_change(page: Any, before: list[str]) -> None:
    await page.wait_for_function(
        f"ids => Array.from(document.querySelectorAll('{ROWS}'))"
        ".map(r => r.dataset.trackId).join() !== ids.join()", arg=before)


async def check_accessibility(page: Any, view: str) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is; fail on any serious or critical violation.

    Returns every violation (any impact) so that the caller can report them; with
    ``TUNEMATE_SCREENSHOT=1`` the view's screenshot and findings are saved too.
    """
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    violations = [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": len(v["nodes"])}
        for v in results.response["violations"]
    ]
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if screenshots_wanted():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{view}.png"))
        record = SCREENSHOTS / "axe-results.json"
        found = json.loads(record.read_text()) if record.exists() else {}
        found[view] = {"axe_version": results.response["testEngine"]["version"],
                       "rules_passed": len(results.response.get("passes", [])),
                       "violations": violations}
        record.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
    assert blocking == [], f"axe found serious/critical problems on the {view} view: {blocking}"
    return violations
