"""Drill-down from a job to each asset's filter manifest, blocked attempts, the jobs list."""

from __future__ import annotations

from tests.portal.conftest import PortalWorld, visible_ids


def test_job_page_shows_request_decision_progress_results_and_records(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get(f"/portal/jobs/{world.job_a.pk}/")
    text = response.content.decode()
    assert "product_tagging" in text
    assert "shoe" in text
    assert "2 of 2 assets" in text
    for asset in world.assets_a:
        assert f"/portal/assets/{asset.pk}/?job={world.job_a.pk}" in text
    for result in world.job_a.results.all():
        assert result.output_sha256[:14] in text
    assert visible_ids(response.content, world.records_a) == set(world.records_a[1:4])


def test_denied_job_shows_rules_and_articles(world: PortalWorld) -> None:
    response = world.client_for(world.cast.alice).get(f"/portal/jobs/{world.job_a_denied.pk}/")
    text = response.content.decode()
    assert "emotion-workplace" in text
    assert "Art. 5(1)(f)" in text
    assert "emotion at work" in text


def test_waiting_job_links_to_the_queue_for_officers_only(world: PortalWorld) -> None:
    url = f"/portal/jobs/{world.job_a_waiting.pk}/"
    assert b"Decide in the approval queue" in world.client_for(world.cast.carol).get(url).content
    assert b"Decide in the approval queue" not in world.client_for(world.cast.bob).get(url).content


def test_asset_manifest_shows_boxes_counts_versions_and_never_an_image(world: PortalWorld) -> None:
    asset = world.assets_a[1]
    response = world.client_for(world.cast.bob).get(
        f"/portal/assets/{asset.pk}/?job={world.job_a.pk}"
    )
    text = response.content.decode()
    assert "filters-1.4.0" in text
    assert "11, 20, 30, 40" in text  # the second face's box
    assert "PERSON \u00d7 1" in text
    assert "<img" not in text
    assert asset.filtered_path == "" or asset.filtered_path not in text
    assert f"/portal/jobs/{world.job_a.pk}/" in text  # breadcrumb back to the job


def test_asset_page_ignores_a_job_outside_the_scope(world: PortalWorld) -> None:
    response = world.client_for(world.cast.bob).get(
        f"/portal/assets/{world.assets_a[0].pk}/?job={world.job_b.pk}"
    )
    assert response.status_code == 200
    assert str(world.job_b.pk) not in response.content.decode()


def test_malformed_job_id_is_404(world: PortalWorld) -> None:
    assert world.client_for(world.cast.carol).get("/portal/jobs/not-a-uuid/").status_code == 404


def test_blocked_attempts_are_scoped(world: PortalWorld) -> None:
    bob = world.client_for(world.cast.bob).get("/portal/blocked/").content.decode()
    assert str(world.job_a_denied.pk)[:8] in bob
    assert "tired worker" in bob
    assert str(world.job_b_denied.pk)[:8] not in bob
    carol = world.client_for(world.cast.carol).get("/portal/blocked/").content.decode()
    assert str(world.job_a_denied.pk)[:8] in carol
    assert str(world.job_b_denied.pk)[:8] in carol
    assert "social-scoring" in carol


def test_rejected_approval_is_a_blocked_attempt(world: PortalWorld) -> None:
    from governance.services import approval_decide

    approval_decide(
        actor=world.cast.carol, job=world.job_a_waiting, approve=False, reason="no DPIA yet"
    )
    text = world.client_for(world.cast.bob).get("/portal/blocked/").content.decode()
    assert "no DPIA yet" in text
    assert str(world.job_a_waiting.pk)[:8] in text


def test_jobs_list_is_scoped_and_filters(world: PortalWorld) -> None:
    charlie = world.client_for(world.cast.charlie).get("/portal/jobs/").content.decode()
    assert str(world.job_b.pk)[:8] in charlie
    assert str(world.job_a.pk)[:8] not in charlie
    denied = world.client_for(world.cast.carol).get("/portal/jobs/?status=denied")
    text = denied.content.decode()
    assert str(world.job_a_denied.pk)[:8] in text
    assert str(world.job_a.pk)[:8] not in text


def test_dashboard_counts_and_charts_are_scoped(world: PortalWorld) -> None:
    bob = world.client_for(world.cast.bob).get("/portal/").content.decode()
    assert bob.count("<svg") == 3
    assert 'id="chart-decisions"' in bob
    carol = world.client_for(world.cast.carol).get("/portal/?days=7")
    assert carol.status_code == 200
    assert "5 in total" in carol.content.decode()  # five jobs today, across both units
    assert "3 in total" in bob  # unit A's three jobs
