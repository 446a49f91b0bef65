"""The ``tunemate`` commands as a user runs them: config errors, db migrate, catalog demo."""

from __future__ import annotations

from pathlib import Path

from store import db
from tests.helpers import run_cli

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_cli_stops_on_a_bad_config_file_naming_the_key(tmp_path: Path) -> None:
    config = PROJECT_ROOT / "config.yaml"
    bad = tmp_path / "bad.yaml"
    bad.write_text(config.read_text().replace("alpha: 0.1", "alpha: 7"))
    result = run_cli(["--config", str(bad), "db", "migrate"], {})
    assert result.returncode == 2
    assert "config key 'rl.alpha'" in result.stderr


async def test_cli_migrates_and_writes_a_deterministic_demo(fresh_database: str) -> None:
    env = {"DATABASE_URL": fresh_database}
    first = run_cli(["db", "migrate"], env)
    assert first.returncode == 0, first.stderr
    assert "applied: 0001_initial.sql" in first.stdout
    again = run_cli(["db", "migrate"], env)
    assert "nothing (up to date)" in again.stdout
    demo = run_cli(["catalog", "demo", "--size", "500", "--seed", "3"], env)
    assert demo.returncode == 0, demo.stderr
    assert "demo catalogue: 500 tracks written" in demo.stdout
    conn = await db.connect(fresh_database)
    try:
        snapshot = await conn.fetch("SELECT id, name, energy FROM tracks ORDER BY id")
        assert len(snapshot) == 500
        await conn.execute("DELETE FROM tracks")
    finally:
        await conn.close()
    run_cli(["catalog", "demo", "--size", "500", "--seed", "3"], env)
    conn = await db.connect(fresh_database)
    try:
        assert await conn.fetch("SELECT id, name, energy FROM tracks ORDER BY id") == snapshot
    finally:
        await conn.close()


def test_every_help_describes_each_argument() -> None:
    """Every option and positional of every command says what it is for."""
    import argparse

    from bot.cli.main import _parser

    undocumented: list[str] = []

    def visit(parser: argparse.ArgumentParser, path: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, child in action.choices.items():
                    visit(child, f"{path} {name}")
                    if not any(c.dest == name and c.help for c in action._choices_actions):
                        undocumented.append(f"{path} {name}")
            elif not action.help or action.help == argparse.SUPPRESS:
                undocumented.append(f"{path} {'/'.join(action.option_strings) or action.dest}")

    visit(_parser(), "tunemate")
    assert undocumented == []
    for command in (["--help"], ["serve", "--help"], ["eval", "--help"]):
        result = run_cli(command, {})
        assert result.returncode == 0
        assert result.stderr == ""  # no warning on the way
