"""The portal's routes (mounted under /portal/)."""

from __future__ import annotations

from django.urls import path

from portal.views import approvals, auth, home, jobs, ledger, subjects, verification

app_name = "portal"

urlpatterns = [
    path("", home.dashboard, name="home"),
    path("login/", auth.PortalLoginView.as_view(), name="login"),
    path("logout/", auth.PortalLogoutView.as_view(), name="logout"),
    path("ledger/", ledger.ledger_search, name="ledger"),
    path("ledger/export.csv", ledger.export_csv, name="export-csv"),
    path("ledger/export.jsonl", ledger.export_jsonl, name="export-jsonl"),
    path("ledger/evidence-pack.zip", ledger.evidence_pack, name="evidence-pack"),
    path("ledger/<int:record_id>/", ledger.record, name="record"),
    path("ledger/<int:record_id>/proof.json", ledger.record_proof, name="record-proof"),
    path("jobs/", jobs.jobs, name="jobs"),
    path("jobs/<str:job_id>/", jobs.job, name="job"),
    path("assets/<int:asset_id>/", jobs.asset, name="asset"),
    path("blocked/", jobs.blocked, name="blocked"),
    path("approvals/", approvals.approvals, name="approvals"),
    path("approvals/<str:job_id>/decide/", approvals.decide, name="approval-decide"),
    path("verify/", verification.verify, name="verify"),
    path("verify/public-key.pem", verification.public_key, name="public-key"),
    path("subjects/", subjects.subjects, name="subjects"),
    path("subjects/export.json", subjects.subject_export, name="subject-export"),
]
