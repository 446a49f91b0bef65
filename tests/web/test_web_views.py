"""The page's views in headless Chromium: onboarding and the questionnaire, sliders, the
profile, like/skip with undo, history and feedback, Spotify (against the fake Spotify), and
axe-core on each view (0 serious or critical violations)."""

from __future__ import annotations

import re
import socket
from typing import Any

import asyncpg
import pytest
from playwright.async_api import expect

from recommender.personality import TRAIT_NAMES
from services.config import Settings
from tests.conftest import Backends
from tests.fake_spotify import FakeSpotify, track_object
from tests.spotify.test_spotify import spotify_settings
from tests.web.browser import (
    ROWS,
    auth,
    check_accessibility,
    open_page,
    track_ids,
    wait_for_list_change,
)

pytestmark = pytest.mark.browser


def answer_for(item: dict[str, Any]) -> int:
    """High extraversion, low openness, the rest in the middle (reverse items mirrored)."""
    if item["trait"] == "extraversion":
        return 1 if item["reverse"] else 5
    if item["trait"] == "openness":
        return 5 if item["reverse"] else 1
    return 3


async def answer_shown_items(page: Any, items: dict[int, dict[str, Any]]) -> int:
    numbers = await page.eval_on_selector_all(
        "#bfi-items fieldset input[value='1']",
        "inputs => inputs.map(i => Number(i.name.replace('item-', '')))")
    for number in numbers:
        await page.locator(f"#bfi-{number}-{answer_for(items[number])}").check()
    return len(numbers)


async def test_questionnaire_end_to_end_changes_the_profile_and_the_next_list(
        page: Any, client: Any) -> None:
    items = {i["number"]: i for i in (await (await client.get(
        "/api/v1/personality/questionnaire")).json())["items"]}
    await open_page(page, client)
    # a new visitor is offered the questionnaire, the sliders, or skipping
    welcome = page.locator("#welcome")
    await welcome.wait_for()
    await check_accessibility(page, "welcome")
    before = await track_ids(page)
    assert not await page.locator("#not-personal").is_visible()

    await welcome.get_by_role("link", name=re.compile("Answer 44")).click()
    progress = page.locator("#bfi-progress-text")
    await expect(progress).to_have_text("0 of 44 answered")
    await expect(page.locator("#bfi-items fieldset")).to_have_count(11)
    answered = await answer_shown_items(page, items)
    await expect(progress).to_have_text(f"{answered} of 44 answered")
    await page.get_by_role("button", name="Next").click()
    await check_accessibility(page, "questionnaire")

    # leave and come back later: the answers and the page are kept
    await page.reload()
    await page.wait_for_function("document.querySelectorAll('#bfi-items fieldset').length > 0")
    await expect(progress).to_have_text("11 of 44 answered")
    assert "Page 2 of 4" in await page.locator("#bfi-page-label").inner_text()

    # submitting with answers missing says which one
    await page.get_by_role("button", name="Next").click()
    await page.get_by_role("button", name="Next").click()
    await page.get_by_role("button", name="See my profile").click()
    assert "Statement 12 has no answer yet" in await page.locator("#bfi-error").inner_text()
    assert "Page 2 of 4" in await page.locator("#bfi-page-label").inner_text()
    for _ in range(3):
        await answer_shown_items(page, items)
        if await page.get_by_role("button", name="Next").is_visible():
            await page.get_by_role("button", name="Next").click()
    await expect(progress).to_have_text("44 of 44 answered")
    await page.get_by_role("button", name="See my profile").click()

    # the profile: a chart of the five traits and a sentence on what it changes
    await page.locator("#trait-chart li").nth(4).wait_for()
    shown = dict(await page.eval_on_selector_all(
        "#trait-chart li", "rows => rows.map(r => [r.dataset.trait, Number(r.dataset.value)])"))
    expected = {t: 3.0 for t in TRAIT_NAMES} | {"extraversion": 5.0, "openness": 1.0}
    assert shown == expected
    stored = await (await client.get("/api/v1/personality", headers=await auth(page))).json()
    assert stored["traits"] == expected and stored["source"] == "bfi44"
    effect = await page.locator("#profile-effect").inner_text()
    assert "energetic" in effect and "fewer acoustic" in effect
    await page.wait_for_function("document.querySelector('#list-meta').textContent"
                                 ".includes('personality profile set')")
    await check_accessibility(page, "profile")

    # the next list is made with the new profile
    await page.get_by_role("link", name="See my list").click()
    await wait_for_list_change(page, before)
    assert not await page.locator("#welcome").is_visible()
    assert not await page.locator("#not-personal").is_visible()
    session = await (await client.post("/api/v1/chat/session/initialize", json={},
                                       headers=await auth(page))).json()
    assert session["data"]["personality_profile"]["traits"] == expected
    assert await track_ids(page) == [t["track_id"] for t in session["data"]["recommendations"]]
    assert await track_ids(page) != before
    # answers are not kept in the browser once stored
    assert await page.evaluate(
        "localStorage.getItem('tunemate.questionnaire.answers')") is None


async def test_sliders_and_skipping_onboarding(page: Any, client: Any) -> None:
    await open_page(page, client)
    await page.locator("#welcome").wait_for()
    await page.get_by_role("button", name=re.compile("Skip for now")).click()
    notice = page.locator("#not-personal")
    await notice.wait_for()
    assert "not personal yet" in await notice.inner_text()
    await check_accessibility(page, "list-not-personal")
    await page.reload()
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}').length === 50")
    assert not await page.locator("#welcome").is_visible()  # skipped once is enough
    assert await notice.is_visible()

    await notice.get_by_role("link", name="Set five sliders").click()
    await page.locator("#slider-extraversion").wait_for()
    await check_accessibility(page, "sliders")
    await page.locator("#slider-extraversion").fill("4.5")
    await page.locator("#slider-neuroticism").fill("1.5")
    await page.get_by_role("button", name="See my profile").click()
    await page.locator("#trait-chart li").nth(4).wait_for()
    stored = await (await client.get("/api/v1/personality", headers=await auth(page))).json()
    assert stored["source"] == "direct"
    assert stored["traits"] == {t: 3.0 for t in TRAIT_NAMES} | {"extraversion": 4.5,
                                                               "neuroticism": 1.5}


async def events_of(client: Any, page: Any) -> list[dict[str, Any]]:
    response = await client.get("/api/v1/feedback", headers=await auth(page))
    return list((await response.json())["events"])


async def test_like_and_skip_exclude_each_other_and_undo(page: Any, client: Any) -> None:
    await open_page(page, client)
    row = page.locator(ROWS).nth(1)
    track = await row.get_attribute("data-track-id")
    like = row.get_by_role("button", name=re.compile("^Like "))
    skip = row.get_by_role("button", name=re.compile("^Skip "))

    await like.click()
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}')[1]"
                                 ".querySelector('.like').getAttribute('aria-pressed') === 'true'")
    await check_accessibility(page, "list")
    await skip.click()  # the like is taken back, then the skip recorded
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}')[1]"
                                 ".querySelector('.skip').getAttribute('aria-pressed') === 'true'")
    assert await like.get_attribute("aria-pressed") == "false"
    assert await like.inner_text() == "Like"
    events = await events_of(client, page)
    live = [e for e in events if not e["undone_by"] and not e["undoes"]]
    assert [(e["track_id"], e["signal"]) for e in live] == [(track, "skip")]
    liked = next(e for e in events if e["signal"] == "like")
    undo = next(e for e in events if e["undoes"] == liked["event_id"])
    assert undo["reward"] == -liked["reward"]

    await skip.click()  # pressing the pressed button undoes it
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}')[1]"
                                 ".querySelector('.skip').getAttribute('aria-pressed') === 'false'")
    events = await events_of(client, page)
    assert [e for e in events if not e["undone_by"] and not e["undoes"]] == []
    assert len(events) == 4  # like, its undo, skip, its undo: nothing deleted


async def test_history_import_and_undo_from_the_feedback_panel(page: Any, client: Any) -> None:
    await open_page(page, client)
    third = page.locator(ROWS).nth(2)
    await third.get_by_role("button", name=re.compile("^Like ")).click()
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}')[2]"
                                 ".querySelector('.like').getAttribute('aria-pressed') === 'true'")
    ids = await track_ids(page)

    await page.get_by_role("link", name="History & feedback").click()
    undo = page.get_by_role("button", name=re.compile("^Undo like on "))
    await undo.wait_for()
    await check_accessibility(page, "history")
    await undo.click()
    await page.locator("#feedback-list .badge").first.wait_for()
    events = await events_of(client, page)
    assert {e["signal"] for e in events} == {"like", "undo"}
    assert next(e for e in events if e["signal"] == "like")["undone_by"]

    # a pasted list: two tracks of the list (one twice) and an id the catalogue lacks
    await page.get_by_label("Track ids").fill(f"{ids[10]}\n{ids[11]}, {ids[10]}\nnot-a-track")
    await page.get_by_role("button", name="Import").click()
    result = page.locator("#import-result")
    await page.wait_for_function("document.querySelector('#import-result').textContent"
                                 ".startsWith('Imported')")
    assert "Imported 2 tracks" in await result.inner_text()
    assert "1 ids are not in the catalogue" in await result.inner_text()
    history = await (await client.get("/api/v1/history", headers=await auth(page))).json()
    counts = {t["track_id"]: t["play_count"] for t in history["tracks"]}
    assert counts == {ids[10]: 2, ids[11]: 1}
    await page.locator("#history-list li").nth(1).wait_for()

    # a CSV file with a header names its track_id column
    csv = f"name,track_id\nx,{ids[12]}\ny,{ids[13]}\n".encode()
    await page.get_by_label("CSV file").set_input_files(
        files=[{"name": "plays.csv", "mimeType": "text/csv", "buffer": csv}])
    await page.get_by_role("button", name="Import").click()
    await page.wait_for_function("document.querySelector('#history-total').textContent"
                                 ".startsWith('4 tracks')")

    # back on the list, the undone like no longer shows as pressed
    await page.get_by_role("link", name="Recommendations").click()
    pressed = await page.eval_on_selector_all(
        f"{ROWS} button[aria-pressed='true']", "buttons => buttons.length")
    assert pressed == 0


async def test_score_bars_say_when_the_list_is_resorted(page: Any, client: Any) -> None:
    await open_page(page, client)
    await page.get_by_role("button", name=re.compile("Skip for now")).click()
    before = await track_ids(page)
    await page.get_by_label("Message").fill("calmer please")
    await page.get_by_role("button", name="Send").click()
    await wait_for_list_change(page, before)
    scores = await page.eval_on_selector_all(ROWS, "rows => rows.map(r => Number(r.dataset.score))")
    in_order = all(a >= b - 1e-9 for a, b in zip(scores, scores[1:], strict=False))
    note = page.locator("#order-note")
    assert await note.is_visible() == (not in_order)
    if not in_order:
        assert "not by score" in await note.inner_text()
    # one reply per turn: the reply is not repeated by the tools' summaries
    reply = page.locator("#transcript .message.bot:not(.pending)").last
    text = await reply.locator(".text").inner_text()
    assert text and text not in await reply.locator(".actions").inner_text()
    assert await page.locator("#chat-input").get_attribute("maxlength") == "2000"


async def test_spotify_links_only_for_spotify_ids(page: Any, client: Any) -> None:
    spotify_id = "4uLU6hMCjMI75M1A2tKUQC"

    async def rewrite(route: Any) -> None:
        response = await route.fetch()
        body = await response.json()
        body["data"]["recommendations"][0]["track_id"] = spotify_id
        await route.fulfill(response=response, json=body)

    await page.route("**/api/v1/chat/session/initialize", rewrite)
    await open_page(page, client)
    links = page.locator(f"{ROWS} a.spotify-link")
    assert await links.count() == 1
    assert await links.first.get_attribute("href") == f"https://open.spotify.com/track/{spotify_id}"


async def test_spotify_view_when_spotify_is_not_configured(page: Any, client: Any) -> None:
    await open_page(page, client, "#spotify")
    state = page.locator("#spotify-state")
    await page.wait_for_function("document.querySelector('#spotify-state').textContent"
                                 ".includes('not set up')")
    assert await page.get_by_role("button", name="Connect Spotify").is_disabled()
    assert not await page.get_by_role("button", name="Sync now").is_visible()
    assert "SPOTIFY_CLIENT_ID" in await state.inner_text()
    await check_accessibility(page, "spotify-not-configured")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_spotify_connect_sync_export_and_disconnect(
        aiohttp_client: Any, aiohttp_server: Any, new_page: Any, settings: Settings,
        backends: Backends, prepared_database: str, pg: asyncpg.Connection) -> None:
    from bot.web.app import init_app

    fake = FakeSpotify()
    server = await aiohttp_server(fake.app())
    fake.base_url = str(server.make_url("/"))
    rows = await pg.fetch("SELECT id, name, artists FROM tracks ORDER BY id LIMIT 5")
    fake.top_tracks = [track_object(r["id"], r["name"], [r["artists"]]) for r in rows]
    port = free_port()
    configured = spotify_settings(settings, fake)
    configured = configured.model_copy(update={"spotify": configured.spotify.model_copy(
        update={"redirect_uri": f"http://127.0.0.1:{port}/api/v1/spotify/callback"})})
    client = await aiohttp_client(
        init_app(configured, database_url=prepared_database, redis_url=backends.redis_url),
        server_kwargs={"port": port})
    page = await new_page()

    await open_page(page, client, "#spotify")
    await page.wait_for_function("document.querySelector('#spotify-state').textContent"
                                 ".startsWith('Not connected')")
    await check_accessibility(page, "spotify")
    await page.get_by_role("button", name="Connect Spotify").click()
    # the fake's /authorize sends the browser back to the callback, which links home
    await page.get_by_role("link", name="Back to tunemate").click()
    await page.wait_for_function("document.querySelector('#spotify-state').textContent"
                                 ".startsWith('Connected as fakeuser')")
    assert "history last synced" in await page.locator("#spotify-state").inner_text()
    await check_accessibility(page, "spotify-connected")
    history = await (await client.get("/api/v1/history", headers=await auth(page))).json()
    assert {t["track_id"] for t in history["tracks"]} == {r["id"] for r in rows}

    result = page.locator("#spotify-result")
    await page.get_by_role("button", name="Sync now").click()
    await page.wait_for_function("document.querySelector('#spotify-result').textContent"
                                 ".startsWith('Synced')")

    await page.get_by_role("link", name="Recommendations").click()
    await page.wait_for_function(f"document.querySelectorAll('{ROWS}').length === 50")
    shown = await track_ids(page)
    await page.get_by_role("link", name="Spotify").click()
    await page.get_by_role("button", name="Export the list as a playlist").click()
    await page.wait_for_function("document.querySelector('#spotify-result').textContent"
                                 ".startsWith('Saved 50 tracks')")
    (playlist,) = fake.playlists.values()
    assert playlist.uris == [f"spotify:track:{t}" for t in shown]
    link = result.get_by_role("link", name="open it on Spotify")
    assert await link.get_attribute("href") == f"https://open.spotify.com/playlist/{playlist.id}"

    await page.get_by_role("button", name="Disconnect").click()
    await page.wait_for_function("document.querySelector('#spotify-state').textContent"
                                 ".startsWith('Not connected')")
    status = await (await client.get("/api/v1/spotify", headers=await auth(page))).json()
    assert status == {"configured": True, "connected": False}


async def test_dark_scheme_and_phone_width_pass_axe(client: Any, new_page: Any) -> None:
    # ``client`` first, so that ``new_page`` closes its pages (and their open WebSockets)
    # before the server shuts down: the other order once left the server's shutdown waiting
    # on a WebSocket for good
    dark = await new_page(color_scheme="dark")
    await open_page(dark, client)
    await check_accessibility(dark, "list-dark")
    phone = await new_page(viewport={"width": 390, "height": 844}, is_mobile=True,
                           has_touch=True)
    await open_page(phone, client, "#questionnaire")
    await phone.locator("#bfi-items fieldset").first.wait_for()
    overflow = await phone.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    await check_accessibility(phone, "questionnaire-phone")


async def test_the_page_works_under_a_strict_content_security_policy(
        strict_page: Any, client: Any) -> None:
    """No inline script or style: with scripts, styles and connections limited to the
    page's own origin the page still runs, draws its bars and reports no violation."""
    page = strict_page
    policy = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
              "connect-src 'self' ws: wss:; form-action 'self'; base-uri 'none'; "
              "frame-ancestors 'none'")

    served: list[str] = []

    async def with_policy(route: Any) -> None:
        served.append(route.request.url)
        response = await route.fetch()
        await route.fulfill(response=response,
                            headers={**response.headers, "content-security-policy": policy})

    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    await page.route(re.compile(r"^https?://[^/]+/(#.*)?$"), with_policy)
    # Playwright's own string predicates need eval, which the policy forbids: wait with
    # locators (they run outside the page's world) instead
    await page.goto(str(client.make_url("/")))
    rows = page.locator(ROWS)
    await expect(rows).to_have_count(50)
    widths = await rows.locator(".score-fill").evaluate_all(
        "fills => fills.map(f => f.getBoundingClientRect().width)")
    assert all(w > 0 for w in widths)
    await page.get_by_role("link", name="Your profile").click()
    await expect(page.locator("#profile-empty")).to_be_visible()
    await page.get_by_role("link", name="Recommendations").click()
    first = await rows.first.get_attribute("data-track-id")
    await page.get_by_label("Message").fill("something calm")
    await page.get_by_role("button", name="Send").click()
    await expect(rows.first).not_to_have_attribute("data-track-id", first or "")
    await expect(rows).to_have_count(50)
    assert served and violations == []
