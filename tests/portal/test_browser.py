"""The portal's main flows in headless Chromium (Debian's package, driven by Playwright).

A compliance officer logs in, filters the ledger, drills down from a job to an asset's
filter manifest, runs verification, downloads exports and approves a waiting job; a
business-unit user sees only unit A. Screenshots go to ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from audit.sealer import seal_pending
from inference.models import Job, JobStatus
from tests.conftest import REPO_ROOT, Cast
from tests.portal.conftest import PASSWORD, PortalWorld, build_world

pytestmark = pytest.mark.slow

CHROMIUM = Path(os.environ.get("CLIPGUARD_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[object]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extras install it
        if os.environ.get("CI"):
            raise
        pytest.skip("playwright is not installed")
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is missing")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # Approval reasons are PII-redacted before they are recorded: load the text models now,
    # not inside the first request.
    from inference.filters import redact_text

    redact_text("warm up")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests
    # make here (setup, flush, assertions) are still plain synchronous calls.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def live_world(browser: object, live_server: object) -> PortalWorld:
    world = build_world(Cast())
    seal_pending()
    return world


@pytest.fixture
def page_for(browser: object, live_server: object, live_world: PortalWorld) -> Iterator[object]:
    contexts = []

    def open_page(username: str) -> object:
        context = browser.new_context(  # type: ignore[attr-defined]
            accept_downloads=True, viewport={"width": 1360, "height": 900}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/portal/")  # type: ignore[attr-defined]
        assert "/portal/login/" in page.url
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/portal/")  # type: ignore[attr-defined]
        return page

    yield open_page
    for context in contexts:
        context.close()


def shot(page: object, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_compliance_officer_flows(page_for, live_server, live_world: PortalWorld) -> None:
    world = live_world
    page = page_for("carol")
    assert page.locator(".who-name").inner_text() == "carol"
    assert page.locator("svg.chart-svg").count() == 3
    shot(page, "01-carol-overview")

    # Filter the ledger: policy decisions that were denied.
    page.click("nav.mainnav >> text=Ledger")
    page.select_option("#id_event_type", "policy_decision")
    page.select_option("#id_decision", "deny")
    page.click("text=Apply filters")
    page.wait_for_url("**/portal/ledger/?**")
    rows = page.locator("table.data tbody tr")
    assert rows.count() == 2
    assert "Retail" in page.content()
    assert "Logistics" in page.content()
    shot(page, "02-carol-ledger-filtered")

    # Download the filtered view as CSV and as an evidence pack.
    with page.expect_download() as download_info:
        page.click("text=Export CSV")
    csv_path = download_info.value.path()
    exported = list(csv.DictReader(io.StringIO(Path(csv_path).read_text())))
    assert sorted(int(row["id"]) for row in exported) == sorted(
        [world.records_a[4], world.records_b[2]]
    )
    with page.expect_download() as download_info:
        page.click("text=Evidence pack (.zip)")
    with zipfile.ZipFile(download_info.value.path()) as archive:
        names = set(archive.namelist())
        manifest = json.loads(archive.read("manifest.json"))
    assert {"records.jsonl", "manifest.json", "manifest.sig", "README.md"} <= names
    assert manifest["records"] == 2

    # Drill down: job → asset manifest → back.
    page.goto(f"{live_server.url}/portal/jobs/")
    shot(page, "03-carol-jobs")
    page.click(f"a[href='/portal/jobs/{world.job_a.pk}/']")
    page.wait_for_selector("#job-results")
    assert "2 of 2 assets" in page.content()
    shot(page, "04-carol-job")
    page.click(f"#job-results a[href^='/portal/assets/{world.assets_a[1].pk}/']")
    manifest_card = page.locator("#filter-manifest")
    manifest_card.wait_for()
    assert "filters-1.4.0" in manifest_card.inner_text()
    assert page.locator("img").count() == 0
    shot(page, "05-carol-asset-manifest")

    # A record and its inclusion proof.
    page.goto(f"{live_server.url}/portal/ledger/{world.records_a[2]}/")
    with page.expect_download() as download_info:
        page.click("text=Download inclusion proof")
    proof = json.loads(Path(download_info.value.path()).read_text())
    assert proof["record_id"] == world.records_a[2]
    shot(page, "06-carol-record")

    # Verification.
    page.click("nav.mainnav >> text=Verification")
    page.click("#run-verification")
    page.wait_for_selector("#verification-result")
    assert "Ledger verified" in page.locator("#verification-result").inner_text()
    shot(page, "07-carol-verification")

    # Blocked attempts.
    page.click("nav.mainnav >> text=Blocked")
    assert page.locator("#blocked tbody tr").count() == 2
    shot(page, "08-carol-blocked")

    # Approve the waiting job.
    page.click("nav.mainnav >> text=Approvals")
    card = page.locator(f"#approval-{world.job_a_waiting.pk}")
    shot(page, "09-carol-approvals")
    card.locator("textarea").fill("DPIA 2026-14 on file; helmets only")
    card.locator("button[value=approve]").click()
    page.wait_for_selector(".message-success", timeout=60_000)
    assert "approved" in page.locator(".message-success").inner_text()
    shot(page, "10-carol-approved")
    assert Job.objects.get(pk=world.job_a_waiting.pk).status == JobStatus.QUEUED

    # Subject access.
    page.click("nav.mainnav >> text=Subject access")
    page.fill("#id_reference", "cust-0042")
    page.click("#subject-form button")
    page.wait_for_selector("section.subject")
    shot(page, "11-carol-subject-access")


def test_business_unit_user_sees_only_unit_a(
    page_for, live_server, live_world: PortalWorld
) -> None:
    world = live_world
    page = page_for("bob")
    assert "Retail" in page.locator(".who").inner_text()
    assert page.locator("nav.mainnav >> text=Verification").count() == 0
    shot(page, "20-bob-overview")
    page.click("nav.mainnav >> text=Ledger")
    units = page.locator("#id_unit option").all_inner_texts()
    assert units == ["All units in scope", "Retail"]
    cells = page.locator("table.data tbody tr td:nth-child(5)").all_inner_texts()
    assert cells
    assert set(cells) == {"Retail"}
    shot(page, "21-bob-ledger")
    response = page.goto(f"{live_server.url}/portal/jobs/{world.job_b.pk}/")
    assert response is not None
    assert response.status == 404
    page.goto(f"{live_server.url}/portal/approvals/")
    assert page.locator("button[value=approve]").count() == 0
    shot(page, "22-bob-approvals")
    response = page.goto(f"{live_server.url}/portal/verify/")
    assert response is not None
    assert response.status == 403
