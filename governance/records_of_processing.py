"""Records of processing activities (GDPR Art. 30), built from datasets and jobs.

One processing activity per purpose code in use (a dataset registered for it, or a job run
for it). For each: the purpose in plain words, the categories of data subjects and of
personal data (from the datasets' declared data categories), the recipients (the business
units that hold the data or ran the jobs), retention, the jobs by decision and status, and
consent on record. The controller, transfers and the technical and organisational
safeguards (Art. 30(1)(g), Art. 32) are stated once for the platform.

:func:`records_of_processing` returns plain data (the API's JSON); :func:`as_markdown`
renders it as the downloadable document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone

from clipguard.consent.models import ConsentRecord
from clipguard.datasets.models import PERSONAL_CATEGORIES, Dataset
from governance import taxonomy
from governance.rulebook import default_rulebook
from inference.models import Job

DEFAULT_CONTROLLER = "the operator of this ClipGuard installation (CLIPGUARD_CONTROLLER_NAME unset)"

SUBJECT_CATEGORIES: dict[str, str] = {
    "people": "persons pictured in the images (identified by a subject reference, with consent)",
    "faces": "persons whose faces appear in the images (faces obscured before any model use)",
    "documents": "persons named in scanned documents (text PII redacted before any model use)",
    "medical_images": "patients whose medical images are processed",
}

DATA_CATEGORIES: dict[str, str] = {
    "people": "images of people (faces obscured, metadata stripped)",
    "faces": "images of faces (obscured irreversibly before any model use)",
    "documents": "document images (personal data in text redacted)",
    "medical_images": "medical images (health data, GDPR Art. 9; metadata stripped)",
    "products": "product images (personal data incidental: faces and text PII filtered)",
    "vehicles": "vehicle images (number plates and text PII filtered)",
    "scenes": "scene images (faces and text PII filtered)",
    "animals": "animal images (personal data incidental: faces and text PII filtered)",
    "other": "other images (faces and text PII filtered)",
}

DERIVED_DATA = (
    "model outputs per image (labels and scores, embeddings, similarities) linked to the "
    "filtered image, never to the original"
)

SAFEGUARDS = (
    "Uploads wait in a quarantine folder that nothing serves; only filtered copies are used.",
    "Safe decoding (format allow-list, pixel cap), metadata stripped, images made upright.",
    "Faces detected and irreversibly obscured in every image; no approval lifts this.",
    "Text in images found and personal data in it redacted; prompts, labels and "
    "descriptions PII-screened (labels with personal data are refused).",
    "Originals deleted after filtering (only their sha256 kept) unless a dataset chooses "
    "to keep them.",
    "Policy-as-code rulebook (EU AI Act Art. 5 and Annex III): prohibited uses refused, "
    "high-risk uses only after a compliance officer's approval, which expires.",
    "Consent checked per asset when it is processed; withdrawal stops processing and "
    "erases derived data, with an erasure receipt.",
    "Stop switches per job, per business unit and platform-wide.",
    "Append-only, hash-chained audit ledger with signed checkpoints; every inference, "
    "decision, approval, consent change and erasure is recorded without raw personal data.",
    "Business units see only their own data, jobs and results; compliance officers and "
    "platform admins read across units.",
)


def _controller() -> dict[str, str]:
    return {
        "name": str(getattr(settings, "CLIPGUARD_CONTROLLER_NAME", "") or DEFAULT_CONTROLLER),
        "contact": str(getattr(settings, "CLIPGUARD_CONTROLLER_CONTACT", "") or ""),
        "data_protection_officer": str(getattr(settings, "CLIPGUARD_DPO_CONTACT", "") or ""),
    }


def records_of_processing(*, now: datetime | None = None) -> dict[str, Any]:
    """The Art. 30 report as plain data (JSON-ready)."""
    datasets = list(Dataset.objects.select_related("business_unit").order_by("pk"))
    consents: dict[int, Counter[str]] = defaultdict(Counter)
    for consent in ConsentRecord.objects.values("dataset_id", "withdrawn_at", "purposes"):
        state = "withdrawn" if consent["withdrawn_at"] else "active"
        for purpose in consent["purposes"] or []:
            consents[consent["dataset_id"]][f"{purpose}:{state}"] += 1
    jobs: dict[str, Counter[str]] = defaultdict(Counter)
    job_units: dict[str, set[str]] = defaultdict(set)
    for row in Job.objects.values("purpose", "decision", "status", "business_unit__slug").annotate(
        n=Count("pk")
    ):
        jobs[row["purpose"]][f"decision:{row['decision']}"] += row["n"]
        jobs[row["purpose"]][f"status:{row['status']}"] += row["n"]
        job_units[row["purpose"]].add(row["business_unit__slug"])
    purposes = sorted({p for d in datasets for p in d.purposes} | set(jobs))
    activities = [
        _activity(purpose, datasets, consents, jobs[purpose], job_units[purpose])
        for purpose in purposes
    ]
    return {
        "title": "Records of processing activities (GDPR Art. 30)",
        "generated_at": (now or timezone.now()).isoformat(),
        "controller": _controller(),
        "policy_version": default_rulebook().version,
        "taxonomy_version": taxonomy.TAXONOMY_VERSION,
        "activities": activities,
        "transfers_to_third_countries": "none",
        "audit_log_retention_days": int(getattr(settings, "AUDIT_RETENTION_DAYS", 183)),
        "safeguards": list(SAFEGUARDS),
    }


def _activity(
    purpose: str,
    datasets: list[Dataset],
    consents: dict[int, Counter[str]],
    job_counts: Counter[str],
    job_units: set[str],
) -> dict[str, Any]:
    used = [d for d in datasets if purpose in d.purposes]
    categories = sorted({c for d in used for c in d.data_categories})
    return {
        "purpose": purpose,
        "description": taxonomy.PURPOSES.get(purpose, "not in the current purpose taxonomy"),
        "legal_basis": (
            "consent of each data subject, per purpose (GDPR Art. 6(1)(a), Art. 9(2)(a))"
            if PERSONAL_CATEGORIES.intersection(categories)
            else "legitimate interest of the business unit; no data subjects intended"
        ),
        "categories_of_data_subjects": [
            SUBJECT_CATEGORIES[c] for c in categories if c in SUBJECT_CATEGORIES
        ],
        "categories_of_personal_data": [DATA_CATEGORIES.get(c, c) for c in categories]
        + [DERIVED_DATA],
        "recipients": sorted({d.business_unit.slug for d in used} | job_units),
        "datasets": [
            {
                "id": d.pk,
                "name": d.name,
                "business_unit": d.business_unit.slug,
                "data_categories": list(d.data_categories),
                "retention_days": d.retention_days,
                "keeps_originals": d.keep_originals,
                "consents_active": consents[d.pk][f"{purpose}:active"],
                "consents_withdrawn": consents[d.pk][f"{purpose}:withdrawn"],
            }
            for d in used
        ],
        "retention": sorted({f"{d.retention_days} days ({d.name})" for d in used}),
        "jobs": {key: job_counts[key] for key in sorted(job_counts)},
    }


def _lines(items: list[str]) -> list[str]:
    return [f"- {item}" for item in items] if items else ["- none"]


def as_markdown(report: dict[str, Any]) -> str:
    """The report as a Markdown document (the download)."""
    controller = report["controller"]
    out = [
        f"# {report['title']}",
        "",
        f"Generated {report['generated_at']} under policy version `{report['policy_version']}`"
        f" (purpose taxonomy {report['taxonomy_version']}).",
        "",
        "## Controller",
        "",
        f"- Name: {controller['name']}",
        f"- Contact: {controller['contact'] or 'not set'}",
        f"- Data protection officer: {controller['data_protection_officer'] or 'not set'}",
        "",
        "## Transfers to third countries",
        "",
        f"{report['transfers_to_third_countries'].capitalize()}.",
        "",
        "## Technical and organisational safeguards",
        "",
        *_lines(report["safeguards"]),
        f"- Audit log kept {report['audit_log_retention_days']} days.",
        "",
        "## Processing activities",
    ]
    if not report["activities"]:
        out += ["", "No dataset or job yet."]
    for activity in report["activities"]:
        out += [
            "",
            f"### Purpose `{activity['purpose']}`",
            "",
            activity["description"],
            "",
            f"Legal basis: {activity['legal_basis']}.",
            "",
            "Categories of data subjects:",
            *_lines(activity["categories_of_data_subjects"]),
            "",
            "Categories of personal data:",
            *_lines(activity["categories_of_personal_data"]),
            "",
            "Recipients (business units): " + (", ".join(activity["recipients"]) or "none"),
            "",
            "Retention: " + ("; ".join(activity["retention"]) or "no dataset"),
            "",
            "| dataset | business unit | data categories | retention (days) | consents "
            "active / withdrawn |",
            "|---|---|---|---|---|",
        ]
        out += [
            f"| {d['name']} | {d['business_unit']} | {', '.join(d['data_categories'])} | "
            f"{d['retention_days']} | {d['consents_active']} / {d['consents_withdrawn']} |"
            for d in activity["datasets"]
        ]
        jobs = activity["jobs"]
        out += [
            "",
            "Jobs: "
            + (", ".join(f"{key.split(':', 1)[1]} ({key.split(':', 1)[0]}) {n}"
                         for key, n in jobs.items()) or "none"),
        ]  # fmt: skip
    return "\n".join(out) + "\n"
