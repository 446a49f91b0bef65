"""What ``/health`` says about the worker processes, from files in a status directory.

``tunemate serve --workers N`` (the supervisor in ``bot/cli/main.py``) gives every worker a
slot number and a status directory. The supervisor writes ``supervisor.json`` (each slot's
pid and restart count) whenever it starts a worker; each worker writes ``worker-<slot>.json``
(pid, state, heartbeat time) every second. Any worker can then answer for all: a slot whose
process is gone is "dead", one whose heartbeat is older than ``STALL_S`` is "stalled".
A single worker without a supervisor reports only itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
from aiohttp import web

log = logging.getLogger(__name__)

HEARTBEAT_S = 1.0
STALL_S = 5.0  # a heartbeat older than this: the worker's loop is stuck
SUPERVISOR_FILE = "supervisor.json"


@dataclass(frozen=True)
class WorkerSlot:
    index: int
    status_dir: Path


slot_key = web.AppKey("worker_slot", WorkerSlot)
state_key = web.AppKey("worker_state", dict)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Replace ``path`` atomically, so a reader never sees half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data), encoding="utf-8")
    os.replace(tmp, path)


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def attach(app: web.Application, index: int, status_dir: Path) -> None:
    """Make this app worker ``index`` of a supervised group that reports in ``status_dir``."""
    app[slot_key] = WorkerSlot(index, status_dir)
    app.cleanup_ctx.append(_heartbeat)


def prepare(app: web.Application) -> None:
    """Called while the app is built (its state cannot change once it runs)."""
    app[state_key] = {"state": "serving"}


def _own_state(app: web.Application) -> dict[str, Any]:
    return app[state_key]


async def _heartbeat(app: web.Application) -> AsyncIterator[None]:
    slot = app[slot_key]
    path = slot.status_dir / f"worker-{slot.index}.json"
    state = _own_state(app)

    async def beat() -> None:
        while True:
            write_json(path, {"pid": os.getpid(), "state": state["state"],
                              "heartbeat": time.time()})
            await asyncio.sleep(HEARTBEAT_S)

    task = asyncio.create_task(beat())
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    with contextlib.suppress(OSError):
        write_json(path, {"pid": os.getpid(), "state": "stopped", "heartbeat": time.time()})


def mark(app: web.Application, state: str) -> None:
    """Record this worker's state ("serving", "stopping")."""
    _own_state(app)["state"] = state


def report(app: web.Application) -> dict[str, Any]:
    """Every worker's state; ``healthy`` is False when a slot is dead or stalled."""
    slot = app.get(slot_key)
    own = _own_state(app)["state"]
    if slot is None:
        workers = [{"slot": 0, "pid": os.getpid(), "state": own, "restarts": 0}]
        return {"this": 0, "workers": workers, "healthy": own == "serving"}
    supervisor = _read_json(slot.status_dir / SUPERVISOR_FILE) or {}
    slots = supervisor.get("slots") or [{"slot": slot.index, "pid": os.getpid(), "restarts": 0}]
    now = time.time()
    workers = []
    for entry in slots:
        index, pid = int(entry["slot"]), int(entry["pid"])
        beat = _read_json(slot.status_dir / f"worker-{index}.json")
        if index == slot.index and pid == os.getpid():
            state = own
        elif not _alive(pid):
            state = "dead"
        elif beat is None or int(beat.get("pid", -1)) != pid:
            state = "starting"
        elif now - float(beat.get("heartbeat", 0.0)) > STALL_S:
            state = "stalled"
        else:
            state = str(beat.get("state", "serving"))
        workers.append({"slot": index, "pid": pid, "state": state,
                        "restarts": int(entry.get("restarts", 0))})
    healthy = all(w["state"] in ("serving", "starting") for w in workers)
    return {"this": slot.index, "workers": workers, "healthy": healthy}
