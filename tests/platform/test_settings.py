"""Settings come from the environment; production refuses weak or missing secrets."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import REPO_ROOT

_PROBE = (
    "import clipguard.settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_BROKER_URL)"
)
_STRONG = "k" * 20 + "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    """Import the settings in a fresh process with only ``env`` configured."""
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CLIPGUARD_", "CELERY_", "DATABASE_", "SECRET_KEY", "AUDIT_"))
    }
    return subprocess.run(
        [sys.executable, "-c", _PROBE],
        cwd=REPO_ROOT,
        env=base | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_secret_key() -> None:
    result = _import_settings(CLIPGUARD_ENV="production", CLIPGUARD_PII_HASH_SALT="salt")
    assert result.returncode != 0
    assert "SECRET_KEY (or SECRET_KEY_FILE) must be set in production" in result.stderr


def test_production_refuses_the_development_key() -> None:
    result = _import_settings(
        CLIPGUARD_ENV="production", SECRET_KEY="django-insecure-short", CLIPGUARD_PII_HASH_SALT="s"
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_refuses_to_start_without_pii_salt() -> None:
    result = _import_settings(CLIPGUARD_ENV="production", SECRET_KEY=_STRONG)
    assert result.returncode != 0
    assert "CLIPGUARD_PII_HASH_SALT" in result.stderr


def test_production_reads_secret_file_and_database_url(tmp_path) -> None:
    key_file = tmp_path / "secret"
    key_file.write_text(_STRONG + "\n")
    result = _import_settings(
        CLIPGUARD_ENV="production",
        SECRET_KEY_FILE=str(key_file),
        CLIPGUARD_PII_HASH_SALT="per-deployment-salt",
        DATABASE_URL="postgres://app@db.internal:5432/clipguard",
        CELERY_BROKER_URL="amqp://guest:guest@mq.internal:5672/clipguard",
    )
    assert result.returncode == 0, result.stderr
    engine, name, broker = result.stdout.split()
    assert (engine, name) == ("django.db.backends.postgresql", "clipguard")
    assert broker == "amqp://guest:guest@mq.internal:5672/clipguard"


def test_embedded_default_is_a_sqlite_file_and_a_serverless_broker(tmp_path) -> None:
    result = _import_settings(CLIPGUARD_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    engine, name, broker = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert name == str(tmp_path / "clipguard.sqlite3")
    assert broker == f"sqla+sqlite:///{tmp_path / 'broker.sqlite3'}"
