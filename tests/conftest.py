"""Shared fixtures: named users per business unit, a real Celery worker process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Let pytest-django's flush of transactional tests pass the ledger's append-only guard.

    The guard lifts only for the table owner with the maintenance flag set, exactly as
    retention pruning does; the flag is switched off again after teardown.
    """
    _set_ledger_maintenance(on=True)
    yield
    _set_ledger_maintenance(on=False)


def _set_ledger_maintenance(*, on: bool) -> None:
    if connection.vendor != "postgresql" or connection.connection is None:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('clipguard.ledger_maintenance', %s, false)",
                ["on" if on else "off"],
            )
    except Exception:
        return


def _worker_env(db_name: str) -> dict[str, str]:
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db_name}"
        )
    env["DJANGO_SETTINGS_MODULE"] = "clipguard.settings"
    return env


def start_worker(env: dict[str, str], log_path: Path, *, name: str = "") -> subprocess.Popen[bytes]:
    """A real ``celery worker`` process on the queues of ``env``'s prefix; returns once it
    reports itself ready (connected to its broker and consuming)."""
    from clipguard.queues import Queue

    prefix = env.get("CLIPGUARD_QUEUE_PREFIX", "")
    queues = ",".join(f"{prefix}{q.value}" for q in Queue)
    node = name or f"test-{os.getpid()}"
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clipguard", "worker", "-Q", queues,
         "--concurrency", "1", "--pool", "prefork", "--loglevel", "INFO",
         "--without-gossip", "--without-mingle", "-n", f"{node}@%h"],
        cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"worker exited early; see {log_path}:\n{log_path.read_text()[-3000:]}"
            )
        if f"{node}@" in log_path.read_text() and " ready." in log_path.read_text():
            return proc
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"worker was not ready within 300 s; see {log_path}")


def stop_worker(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def celery_worker(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory
) -> Generator[subprocess.Popen[bytes], None, None]:
    """One real worker process for the session, reading and writing the test database."""
    env = _worker_env(connection.settings_dict["NAME"])
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    proc = start_worker(env, log_path)
    yield proc
    stop_worker(proc)


# --- named people per business unit ---------------------------------------------------


class Cast:
    """Two business units with an owner, a member and an outsider, plus platform roles.

    ``alice`` (unit admin) and ``bob`` (member) are in unit A; ``charlie`` is in unit B
    and an outsider to A; ``carol`` is a compliance officer; ``root`` a platform admin;
    ``nobody`` has no role anywhere.
    """

    def __init__(self) -> None:
        from clipguard.accounts.models import PlatformRole, UnitRole
        from tests.factories import BusinessUnitFactory, MembershipFactory, UserFactory

        self.unit_a = BusinessUnitFactory.create(name="Retail", slug="retail")
        self.unit_b = BusinessUnitFactory.create(name="Logistics", slug="logistics")
        self.alice = UserFactory.create(username="alice")
        self.bob = UserFactory.create(username="bob")
        self.charlie = UserFactory.create(username="charlie")
        self.carol = UserFactory.create(
            username="carol", platform_role=PlatformRole.COMPLIANCE_OFFICER
        )
        self.root = UserFactory.create(username="root", platform_role=PlatformRole.PLATFORM_ADMIN)
        self.nobody = UserFactory.create(username="nobody")
        MembershipFactory.create(user=self.alice, business_unit=self.unit_a, role=UnitRole.ADMIN)
        MembershipFactory.create(user=self.bob, business_unit=self.unit_a, role=UnitRole.MEMBER)
        MembershipFactory.create(user=self.charlie, business_unit=self.unit_b, role=UnitRole.ADMIN)


@pytest.fixture
def cast(db: None) -> Cast:
    return Cast()


def api_client_for(user: object) -> object:
    """An API client authenticated with a fresh API key of ``user``."""
    from rest_framework.test import APIClient

    from clipguard.accounts.services import api_key_create

    _, raw = api_key_create(actor=user, user=user, name="test")  # type: ignore[arg-type]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client
