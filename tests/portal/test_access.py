"""Every portal page, for each kind of caller: generated from one table of routes.

anonymous → the login page; nobody (no role) → 403; bob (unit A) → his unit only;
charlie (unit B) → never unit A; carol (compliance officer) and root (platform admin) →
everything. Platform-wide pages (verification) are for officers and admins only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.portal.conftest import PortalWorld


@dataclass(frozen=True)
class Route:
    name: str
    url: Callable[[PortalWorld], str]
    unit: str | None = None  # "a" / "b": the route shows one unit's object
    platform_wide: bool = False


ROUTES = [
    Route("home", lambda w: "/portal/"),
    Route("ledger", lambda w: "/portal/ledger/"),
    Route("ledger-filtered", lambda w: "/portal/ledger/?event_type=policy_decision"),
    Route("record-a", lambda w: f"/portal/ledger/{w.records_a[0]}/", unit="a"),
    Route("record-b", lambda w: f"/portal/ledger/{w.records_b[0]}/", unit="b"),
    Route("proof-a", lambda w: f"/portal/ledger/{w.records_a[0]}/proof.json", unit="a"),
    Route("proof-b", lambda w: f"/portal/ledger/{w.records_b[0]}/proof.json", unit="b"),
    Route("export-csv", lambda w: "/portal/ledger/export.csv"),
    Route("export-jsonl", lambda w: "/portal/ledger/export.jsonl"),
    Route("evidence-pack", lambda w: "/portal/ledger/evidence-pack.zip"),
    Route("jobs", lambda w: "/portal/jobs/"),
    Route("job-a", lambda w: f"/portal/jobs/{w.job_a.pk}/", unit="a"),
    Route("job-b", lambda w: f"/portal/jobs/{w.job_b.pk}/", unit="b"),
    Route("asset-a", lambda w: f"/portal/assets/{w.assets_a[0].pk}/", unit="a"),
    Route("asset-b", lambda w: f"/portal/assets/{w.asset_b.pk}/", unit="b"),
    Route("blocked", lambda w: "/portal/blocked/"),
    Route("approvals", lambda w: "/portal/approvals/"),
    Route("verify", lambda w: "/portal/verify/", platform_wide=True),
    Route("public-key", lambda w: "/portal/verify/public-key.pem"),
    Route("subjects", lambda w: "/portal/subjects/?reference=cust-0042"),
    Route("subject-export", lambda w: "/portal/subjects/export.json?reference=cust-0042", "a"),
]
IDS = [route.name for route in ROUTES]


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_anonymous_is_sent_to_login(world: PortalWorld, route: Route) -> None:
    url = route.url(world)
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/portal/login/?next=")


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
def test_user_without_role_gets_403(world: PortalWorld, route: Route) -> None:
    response = world.client_for(world.cast.nobody).get(route.url(world))
    assert response.status_code == 403
    assert b"No access" in response.content


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@pytest.mark.parametrize("who", ["carol", "root"])
def test_officers_and_admins_see_everything(world: PortalWorld, route: Route, who: str) -> None:
    response = world.client_for(getattr(world.cast, who)).get(route.url(world))
    assert response.status_code == 200


@pytest.mark.parametrize("route", ROUTES, ids=IDS)
@pytest.mark.parametrize(("who", "own"), [("bob", "a"), ("alice", "a"), ("charlie", "b")])
def test_unit_users_see_their_unit_only(
    world: PortalWorld, route: Route, who: str, own: str
) -> None:
    response = world.client_for(getattr(world.cast, who)).get(route.url(world))
    if route.platform_wide:
        assert response.status_code == 403
    elif route.unit is not None and route.unit != own:
        assert response.status_code == 404
    else:
        assert response.status_code == 200


def test_root_redirects_to_the_portal(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/portal/"


def test_login_logs_in_and_is_audited(world: PortalWorld, client: Client) -> None:
    from audit.models import EventType, LedgerRecord

    page = client.get("/portal/login/")
    assert page.status_code == 200
    response = client.post(
        "/portal/login/", {"username": "carol", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/portal/"
    login = LedgerRecord.objects.filter(event_type=EventType.LOGIN).get()
    assert login.actor == "carol"
    assert login.details["channel"] == "portal"


def test_login_with_a_wrong_password_fails(world: PortalWorld, client: Client) -> None:
    response = client.post("/portal/login/", {"username": "carol", "password": "nope"})
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content


def test_logout_needs_post(world: PortalWorld) -> None:
    client = world.client_for(world.cast.carol)
    response = client.post("/portal/logout/")
    assert response.status_code == 302
    assert client.get("/portal/").status_code == 302


def test_navigation_is_role_aware(world: PortalWorld) -> None:
    carol = world.client_for(world.cast.carol).get("/portal/").content
    bob = world.client_for(world.cast.bob).get("/portal/").content
    root = world.client_for(world.cast.root).get("/portal/").content
    assert b'href="/portal/verify/"' in carol
    assert b'href="/portal/verify/"' not in bob
    assert b"/admin/" in root
    assert b"/admin/" not in carol
    assert b"Retail" in bob  # his unit is named in the header
