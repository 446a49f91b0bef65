"""Fault scenarios against a live service: traffic before, during and after a fault, every
answer counted. ``tests/web/test_faults.py`` asserts on them; ``benchmarks/faults.py``
writes them as the table in docs/RELIABILITY.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import asyncpg

from tests.live import Backends, Service


@dataclass
class Tally:
    """Answers by phase ("before", "during", "after") and class ("2xx", "4xx", "5xx")."""

    counts: dict[str, Counter[str]] = field(default_factory=dict)
    bad: list[str] = field(default_factory=list)  # 5xx that are not a 503 with Retry-After
    acked: list[str] = field(default_factory=list)  # feedback event ids answered 2xx
    phase: str = "before"

    def add(self, status: int, headers: Any, what: str, phase: str | None = None) -> None:
        """Count an answer in the phase its request was sent in (default: the current)."""
        phase = phase or self.phase
        kind = f"{status // 100}xx" if status else "error"
        self.counts.setdefault(phase, Counter())[kind] += 1
        if status == 0 or (status >= 500 and not (status == 503 and "Retry-After" in headers)):
            self.bad.append(f"{phase} {what} -> {status}")

    def total(self) -> int:
        return sum(sum(c.values()) for c in self.counts.values())

    def of(self, phase: str) -> Counter[str]:
        return self.counts.get(phase, Counter())


@dataclass
class Row:
    fault: str
    tally: Tally
    recovery_s: float | None
    lost: int | None
    note: str = ""

    def cells(self) -> list[str]:
        def three(phase: str) -> str:
            c = self.tally.of(phase)
            return f"{c['2xx']}/{c['4xx']}/{c['5xx'] + c['error']}"

        recovery = "–" if self.recovery_s is None else f"{self.recovery_s:.1f}"
        lost = "–" if self.lost is None else f"{self.lost} of {len(self.tally.acked)}"
        return [self.fault, str(self.tally.total()), three("during"), three("after"),
                recovery, lost, str(len(self.tally.bad))]


class Client:
    """A few users of the live service and the requests the traffic is made of."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self.session = session
        self.base = base
        self.users: list[dict[str, Any]] = []

    async def setup(self, users: int = 4) -> None:
        for _ in range(users):
            self.users.append(await self.new_user())

    async def new_user(self) -> dict[str, Any]:
        async with self.session.post(self.base + "/api/v1/users",
                                     json={"display_name": "load"}) as response:
            body = await response.json()
        headers = {"Authorization": f"Bearer {body['token']}"}
        async with self.session.post(self.base + "/api/v1/chat/session/initialize",
                                     json={}, headers=headers) as response:
            data = (await response.json())["data"]
        return {"headers": headers, "session": data["session_id"],
                "tracks": [t["track_id"] for t in data["recommendations"]]}

    async def call(self, tally: Tally, n: int, user: dict[str, Any] | None = None) -> None:
        user = user or self.users[n % len(self.users)]
        phase = tally.phase
        kind = n % 5
        event_id = None
        try:
            if kind in (0, 1):
                what, request = "GET /me", self.session.get(
                    self.base + "/api/v1/me", headers=user["headers"])
            elif kind == 2:
                what, request = "POST /chat/session/initialize", self.session.post(
                    self.base + "/api/v1/chat/session/initialize", json={},
                    headers=user["headers"])
            elif kind == 3:
                event_id = f"ev-{uuid.uuid4()}"
                what, request = "POST /feedback", self.session.post(
                    self.base + "/api/v1/feedback", headers=user["headers"], json={
                        "event_id": event_id, "track_id": user["tracks"][n % 50],
                        "signal": "like", "session_id": user["session"]})
            else:
                what, request = "POST /chat/message", self.session.post(
                    self.base + "/api/v1/chat/message", headers=user["headers"],
                    json={"session_id": user["session"], "message": "something calm"})
            async with request as response:
                await response.read()
                tally.add(response.status, response.headers, what, phase)
                if event_id is not None and 200 <= response.status < 300:
                    tally.acked.append(event_id)
        except (TimeoutError, aiohttp.ClientError) as exc:
            tally.add(0, {}, f"{what}: {type(exc).__name__}", phase)


async def _traffic(client: Client, tally: Tally, stop: asyncio.Event, loops: int = 4) -> None:
    async def loop(start: int) -> None:
        n = start
        while not stop.is_set():
            await client.call(tally, n)
            n += loops

    await asyncio.gather(*(loop(i) for i in range(loops)))


async def _health(session: aiohttp.ClientSession, base: str) -> dict[str, Any]:
    try:
        async with session.get(base + "/health") as response:
            return dict(await response.json())
    except (TimeoutError, aiohttp.ClientError, ValueError):
        return {}


async def _until(check: Callable[[], Awaitable[bool]], timeout: float = 60) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if await check():
            return time.monotonic() - started
        await asyncio.sleep(0.05)
    return None


async def acked_lost(database_url: str, acked: list[str]) -> int:
    conn = await asyncpg.connect(database_url)
    try:
        stored = await conn.fetchval(
            "SELECT count(*) FROM feedback_events WHERE id = ANY($1::text[])",
            acked)
    finally:
        await conn.close()
    return len(acked) - int(stored)


def _session() -> aiohttp.ClientSession:
    return aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60),
                                 connector=aiohttp.TCPConnector(limit=0))


async def outage(service: Service, backends: Backends, which: str, seconds: float,
                 *, observe: Callable[[dict[str, Any]], None] | None = None,
                 after_s: float = 3.0) -> Row:
    """Steady traffic; ``which`` ("redis" or "postgres") stopped for ``seconds``."""
    tally = Tally()
    server = backends.redis if which == "redis" else backends.postgres
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup()
        prober = await client.new_user()
        stop = asyncio.Event()
        traffic = asyncio.create_task(_traffic(client, tally, stop))
        await asyncio.sleep(1.0)
        tally.phase = "during"
        await asyncio.to_thread(server.stop)
        await asyncio.sleep(seconds / 2)
        if observe is not None:
            observe(await _health(session, service.base))
        await asyncio.sleep(seconds / 2)
        await asyncio.to_thread(server.start)
        healed = time.monotonic()

        async def recovered() -> bool:
            health = await _health(session, service.base)
            return health.get("checks", {}).get(which, {}).get("state") == "up"

        await _until(recovered)
        if which == "postgres":  # recovered = a write acknowledged again
            probe = Tally()

            async def writes() -> bool:  # as a user of its own: never rate-limited here
                before = len(probe.acked)
                await client.call(probe, 3, prober)
                return len(probe.acked) > before

            await _until(writes)
        recovery = time.monotonic() - healed
        tally.phase = "after"
        await asyncio.sleep(after_s)
        stop.set()
        await traffic
    lost = await acked_lost(service.database_url, tally.acked)
    return Row(f"{which} stopped {seconds:.0f} s under traffic", tally, recovery, lost)


async def redis_restart_idle(service: Service, backends: Backends, waves: int = 3) -> Row:
    """Redis restarted while the service idles, then waves of 20 requests."""
    tally = Tally()
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup()
        await asyncio.to_thread(backends.redis.stop)
        await asyncio.to_thread(backends.redis.start)
        await asyncio.sleep(2.0)  # idle: pooled connections are stale now
        tally.phase = "after"
        for wave in range(waves):
            await asyncio.gather(*(client.call(tally, wave * 20 + n) for n in range(20)))
            await asyncio.sleep(1.0)
    lost = await acked_lost(service.database_url, tally.acked)
    return Row("redis restarted while idle, then 3 waves of 20", tally, None, lost)


async def burst(service: Service, size: int = 1000) -> Row:
    """``size`` requests at once (reads, session starts, feedback writes, chat turns)."""
    tally = Tally()
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup(8)
        tally.phase = "during"
        await asyncio.gather(*(client.call(tally, n) for n in range(size)))
        tally.phase = "after"
        await asyncio.gather(*(client.call(tally, n) for n in range(40)))
    lost = await acked_lost(service.database_url, tally.acked)
    return Row(f"{size} simultaneous requests, {service.workers} workers", tally, None, lost)


async def kill_worker(service: Service, after_s: float = 3.0
                      ) -> tuple[Row, dict[str, Any], dict[str, Any]]:
    """SIGKILL one worker under traffic; the health seen right after, and once replaced."""
    tally = Tally()
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup()
        stop = asyncio.Event()
        traffic = asyncio.create_task(_traffic(client, tally, stop))
        await asyncio.sleep(1.0)
        before = (await _health(session, service.base))["checks"]["workers"]["list"]
        victim = before[0]["pid"]
        tally.phase = "during"
        os.kill(victim, signal.SIGKILL)
        killed = time.monotonic()
        seen: dict[str, Any] = {}

        async def dead_seen() -> bool:
            health = await _health(session, service.base)
            states = {w["pid"]: w["state"] for w in
                      health.get("checks", {}).get("workers", {}).get("list", [])}
            # dead, or replaced; an answer without the worker list (an error body from a
            # worker in its first instants) says neither
            if states and (states.get(victim) == "dead" or victim not in states):
                seen.update(health)
                return True
            return False

        await _until(dead_seen, 30)
        replaced: dict[str, Any] = {}

        async def serving_again() -> bool:
            health = await _health(session, service.base)
            workers = health.get("checks", {}).get("workers", {}).get("list", [])
            if (len(workers) == service.workers and victim not in [w["pid"] for w in workers]
                    and all(w["state"] == "serving" for w in workers)):
                replaced.update(health)
                return True
            return False

        await _until(serving_again, 120)
        recovery = time.monotonic() - killed
        tally.phase = "after"
        await asyncio.sleep(after_s)
        stop.set()
        await traffic
    lost = await acked_lost(service.database_url, tally.acked)
    return Row("kill -9 of one of two workers", tally, recovery, lost), seen, replaced


BAD_BODIES: list[tuple[str, str, bytes]] = [
    ("POST", "/api/v1/users", b'{"display_name": "a\\u0000b"}'),
    ("POST", "/api/v1/users", b'{"display_name": "\\ud800"}'),
    ("POST", "/api/v1/users", b"[" * 1000 + b"]" * 1000),
    ("POST", "/api/v1/users", b'{"a": ' * 3000 + b"1" + b"}" * 3000),
    ("POST", "/api/v1/users", b"\xc3\x28"),
    ("POST", "/api/v1/feedback", b'{"event_id": "\\u0000", "track_id": "x", "signal": "like"}'),
    ("POST", "/api/v1/chat/message", b'{"session_id": "00000000-0000-0000-0000-000000000000",'
                                     b' "message": "hi\\u0000"}'),
    ("POST", "/api/v1/history", b'{"tracks": [{"track_id": "t", "last_played": 0}]}'),
    ("PUT", "/api/v1/personality", b'{"traits": {"openness": "high"}}'),
    ("GET", "/api/v1/me?Access-Token=x", b""),
    ("GET", "/api/v1/spotify/callback?state=%00&code=x", b""),
]
BAD_FRAMES = ["[]", '"x"', '{"type": "auth", "token": "\\ud800"}', "{" * 3000, "null"]


async def bad_input(service: Service) -> Row:
    """Bodies, query strings and WebSocket frames the database or the parser cannot take."""
    tally = Tally(phase="during")
    closes: list[int | None] = []
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup(1)
        headers = {**client.users[0]["headers"], "Content-Type": "application/json"}
        for method, path, body in BAD_BODIES:
            async with session.request(method, service.base + path, data=body or None,
                                       headers=headers) as response:
                await response.read()
                tally.add(response.status, response.headers, f"{method} {path}")
        for frame in BAD_FRAMES:
            async with session.ws_connect(service.base + "/api/v1/chat/ws") as ws:
                await ws.send_str(frame)
                while True:
                    message = await ws.receive(timeout=10)
                    if message.type == aiohttp.WSMsgType.TEXT:
                        continue
                    break
                closes.append(ws.close_code)
                # a close with a code is the WebSocket's 4xx; a protocol error is a failure
                tally.add(400 if ws.close_code == 4401 else 0, {}, f"ws {frame[:20]}")
    row = Row("bad input: NUL, lone surrogates, 1000-deep JSON, bad UTF-8, loose types, "
              "query tokens, bad WebSocket frames", tally, None, None)
    row.note = f"WebSocket close codes {sorted(set(c for c in closes if c is not None))}"
    return row


async def sigterm_during_upload(service: Service) -> tuple[Row, int | None, int]:
    """SIGTERM while a feedback body is still arriving and a WebSocket is open."""
    tally = Tally(phase="during")
    async with _session() as session:
        client = Client(session, service.base)
        await client.setup(1)
        user = client.users[0]
        token = user["headers"]["Authorization"].removeprefix("Bearer ")
        ws = await session.ws_connect(service.base + "/api/v1/chat/ws")
        await ws.send_json({"type": "auth", "token": token})
        await ws.receive_json(timeout=10)
        event_id = f"ev-{uuid.uuid4()}"
        body = (f'{{"event_id": "{event_id}", "track_id": "{user["tracks"][0]}", '
                f'"signal": "save"}}').encode()
        reader, writer = await asyncio.open_connection("127.0.0.1", service.port)
        writer.write((f"POST /api/v1/feedback HTTP/1.1\r\nHost: x\r\n"
                      f"Authorization: {user['headers']['Authorization']}\r\n"
                      f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                      f"\r\n").encode() + body[:10])
        await writer.drain()
        await asyncio.sleep(0.5)
        assert service.proc is not None
        service.proc.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        await asyncio.sleep(0.5)
        writer.write(body[10:])
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 30)
        status = int(status_line.split()[1]) if status_line else 0
        with contextlib.suppress(Exception):
            await reader.read()
        writer.close()
        tally.add(status, {}, "POST /feedback (slow body)")
        if 200 <= status < 300:
            tally.acked.append(event_id)
        message = await ws.receive(timeout=30)
        # the code of the server's close frame (the client's own close_code says 1006 when
        # the server has gone before the client could answer the handshake)
        ws_code = int(message.data) if message.type == aiohttp.WSMsgType.CLOSE else None
        await ws.close()
    code = await asyncio.to_thread(service.proc.wait, 60)
    row = Row("SIGTERM with a body arriving and a WebSocket open", tally,
              time.monotonic() - stopped, None)
    row.note = f"WebSocket closed with {ws_code}; exit status {code}"
    return row, ws_code, code
