"""The chat page in a real headless Chromium, against the real app, Postgres and Redis.

See ``tests/web/browser.py`` for the browser set-up; ``TUNEMATE_SCREENSHOT=1`` saves
``docs/screenshots/chat.png`` from the first test.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.web.browser import (
    ROWS,
    SCREENSHOTS,
    WAIT_MS,
    open_page,
    screenshots_wanted,
    token_of,
    track_ids,
)

pytestmark = pytest.mark.browser


async def assert_bars_follow_scores(page: Any) -> None:
    """Each bar's width is the track's score (0–1) as a percentage, and its label says so."""
    rows = await page.eval_on_selector_all(ROWS, """rows => rows.map(r => [
        parseFloat(r.dataset.score),
        parseFloat(r.querySelector('.score-fill').style.width),
        r.querySelector('.score-value').textContent])""")
    assert len(rows) == 50
    for score, width, label in rows:
        assert width == pytest.approx(max(0.0, min(1.0, score)) * 100, abs=0.1)
        assert float(label) == pytest.approx(score, abs=0.005 + 1e-9)


async def send_chat(page: Any, message: str) -> None:
    await page.get_by_label("Message").fill(message)
    await page.get_by_role("button", name="Send").click()


async def test_page_shows_the_session_changes_it_by_chat_records_a_like_and_explains(
        page: Any, client: Any) -> None:
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))

    response = await client.get("/")
    assert response.status == 200
    assert "text/html" in response.headers["Content-Type"]
    script = await client.get("/static/app.js")
    assert script.status == 200
    assert "javascript" in script.headers["Content-Type"]
    assert script.headers["Cache-Control"] == "no-cache"

    await open_page(page, client)
    first = page.locator(ROWS).first
    assert await first.locator(".position").inner_text() == "1"
    assert await first.locator(".name").inner_text()
    assert await first.locator(".artists").inner_text()
    await assert_bars_follow_scores(page)

    before = await track_ids(page)
    await send_chat(page, "something calm")
    await page.wait_for_function(
        f"ids => Array.from(document.querySelectorAll('{ROWS}'))"
        ".map(r => r.dataset.trackId).join() !== ids.join()", arg=before)
    after = await track_ids(page)
    assert len(after) == 50 and after != before
    await assert_bars_follow_scores(page)
    reply = page.locator("#transcript .message.bot:not(.pending)").last
    await reply.wait_for()
    assert "recommend" in await reply.locator(".actions").inner_text()
    assert await reply.locator(".text").inner_text()
    assert any(url.endswith("/api/v1/chat/ws") for url in sockets), "chat prefers the WebSocket"

    # like the second track: the button says so and the server holds the event
    second = page.locator(ROWS).nth(1)
    liked_id = await second.get_attribute("data-track-id")
    like = second.get_by_role("button", name=re.compile(r"^Like "))
    await like.click()
    await page.wait_for_function(
        f"document.querySelectorAll('{ROWS}')[1].querySelector('button.like')"
        ".getAttribute('aria-pressed') === 'true'")
    assert await like.inner_text() == "Liked"
    feedback = await client.get(
        "/api/v1/feedback", headers={"Authorization": f"Bearer {await token_of(page)}"})
    assert feedback.status == 200
    events = (await feedback.json())["events"]
    assert any(e["track_id"] == liked_id and e["signal"] == "like" for e in events), events

    # "why?" on the third track shows the explanation next to it, with numbers in it
    third = page.locator(ROWS).nth(2)
    await third.get_by_role("button", name=re.compile(r"^Why is ")).click()
    why = third.locator(".why-text")
    await page.wait_for_function(
        f"document.querySelectorAll('{ROWS}')[2].querySelector('.why-text')"
        ".dataset.loaded === 'true'")
    explanation = await why.inner_text()
    assert re.search(r"\d", explanation), explanation
    assert not explanation.startswith("No explanation"), explanation

    if screenshots_wanted():
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.evaluate("window.scrollTo(0, 0)")
        await page.screenshot(path=str(SCREENSHOTS / "chat.png"))


async def test_chat_falls_back_to_post_when_the_websocket_fails(page: Any, client: Any) -> None:
    async def refuse(socket: Any) -> None:
        await socket.close(code=1011, reason="refused by the test")

    await page.route_web_socket(re.compile(r".*/api/v1/chat/ws$"), refuse)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    await open_page(page, client)
    before = await track_ids(page)
    await send_chat(page, "something calm")
    await page.wait_for_function(
        f"ids => Array.from(document.querySelectorAll('{ROWS}'))"
        ".map(r => r.dataset.trackId).join() !== ids.join()", arg=before)
    assert any(url.endswith("/api/v1/chat/message") for url in posts)


async def test_reload_reuses_the_stored_token(page: Any, client: Any) -> None:
    created: list[str] = []
    page.on("request", lambda r: created.append(r.url) if r.url.endswith("/api/v1/users")
            else None)
    await open_page(page, client)
    token = await token_of(page)
    await page.reload()
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}').length === 50")
    assert await token_of(page) == token
    assert len(created) == 1


async def test_a_stale_token_is_replaced_by_a_new_user(page: Any, client: Any) -> None:
    await page.add_init_script("localStorage.setItem('tunemate.token', 'not-a-real-token')")
    await open_page(page, client)
    token = await token_of(page)
    assert token != "not-a-real-token"
    who = await client.get("/api/v1/feedback", headers={"Authorization": f"Bearer {token}"})
    assert who.status == 200


async def test_phone_width_has_no_horizontal_scroll(browser: Any, client: Any) -> None:
    context = await browser.new_context(viewport={"width": 390, "height": 844},
                                        is_mobile=True, has_touch=True, bypass_csp=True)
    try:
        phone = await context.new_page()
        phone.set_default_timeout(WAIT_MS)
        await open_page(phone, client)
        overflow = await phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        # the chat box comes before the long list on a phone
        chat_top = await phone.locator("#chat-input").evaluate(
            "e => e.getBoundingClientRect().top")
        list_top = await phone.locator(ROWS).first.evaluate(
            "e => e.getBoundingClientRect().top")
        assert chat_top < list_top
    finally:
        await context.close()
