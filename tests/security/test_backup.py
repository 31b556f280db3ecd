"""Backups (issue 9, item 9): `make backup` / `make restore` round-trip a seeded database."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(extra)
    return env


def _run(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, check=False, input=stdin, timeout=600
    )


@pytest.mark.parametrize("url", ["sqlite:///var/nmo.sqlite3", ""])
def test_backup_refuses_anything_but_postgresql(url: str, tmp_path: Path) -> None:
    env = _env(NMO_VAR_DIR=str(tmp_path), **({"DATABASE_URL": url} if url else {}))
    result = _run(["bash", "bin/backup"], env)
    assert result.returncode == 2
    assert "PostgreSQL only" in result.stderr
    assert not (tmp_path / "backups").exists()


def test_restore_needs_an_existing_file(tmp_path: Path) -> None:
    result = _run(["bash", "bin/restore", str(tmp_path / "missing.dump"), "--yes"], _env())
    assert result.returncode == 2 and "no such backup file" in result.stderr


# --- the round trip on a real server ------------------------------------------------------------
def _server_url(database: str) -> str:
    db = settings.DATABASES["default"]
    user = quote(str(db.get("USER") or ""), safe="")
    password = quote(str(db.get("PASSWORD") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{database}"


def _admin() -> object:
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or 5432,
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        dbname="postgres",
        autocommit=True,
    )


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    suffix = secrets.token_hex(4)
    names = (f"nmo_backup_test_{suffix}_src", f"nmo_backup_test_{suffix}_dst")
    with _admin() as conn:  # type: ignore[attr-defined]
        for name in names:
            conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield names
    finally:
        with _admin() as conn:  # type: ignore[attr-defined]
            for name in names:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _row_counts(url: str) -> dict[str, int]:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            ).fetchall()
        ]
        counts = {}
        for table in tables:
            query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            counts[table] = int(conn.execute(query).fetchone()[0])  # type: ignore[index]
        return counts


@pytest.mark.postgres
@pytest.mark.slow
def test_a_seeded_database_survives_backup_and_restore(scratch_databases: tuple[str, str], tmp_path: Path) -> None:
    source, target = (_server_url(name) for name in scratch_databases)
    django_env = _env(DATABASE_URL=source, DJANGO_SETTINGS_MODULE="nmo_portal.settings.test")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        result = _run([sys.executable, "manage.py", *command], django_env)
        assert result.returncode == 0, result.stderr[-3000:]

    backup = _run(["bash", "bin/backup"], _env(DATABASE_URL=source, NMO_VAR_DIR=str(tmp_path)))
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip().splitlines()[-1])
    assert dump.parent == tmp_path / "backups" and dump.name.startswith("nmo-") and dump.suffix == ".dump"
    assert dump.stat().st_mode & 0o077 == 0, "a backup holds personal data: owner-only permissions"

    refused = _run(["bash", "bin/restore", str(dump)], _env(DATABASE_URL=target), stdin="")
    assert refused.returncode == 3 and "--yes" in refused.stderr

    restored = _run(["bash", "bin/restore", str(dump), "--yes"], _env(DATABASE_URL=target))
    assert restored.returncode == 0, restored.stderr

    before, after = _row_counts(source), _row_counts(target)
    assert before == after
    for table in ("accounts_user", "accounts_rolegrant", "reference_specialty", "reference_region"):
        assert before[table] > 0, f"{table} was not seeded"
    assert "nmo_portal_auditevent" in after

    again = _run(["bash", "bin/restore", str(dump), "--yes"], _env(DATABASE_URL=target))
    assert again.returncode == 0, again.stderr  # restoring over existing data replaces it
    assert _row_counts(target) == before
