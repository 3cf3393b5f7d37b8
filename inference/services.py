"""Writes for jobs: submission (screen, decide, record, queue) and status changes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.models import EventType
from audit.services import ledger_append
from clipguard.accounts.models import User
from clipguard.accounts.selectors import can_write_in
from clipguard.consent.selectors import assets_without_consent
from clipguard.datasets.models import Dataset
from governance.engine import (
    Decision,
    PolicyDecision,
    PolicyRequest,
    RequestInvalid,
    decide,
    parse_request,
)
from governance.models import Approval
from governance.taxonomy import TAXONOMY_VERSION
from inference.dispatch import send_run_job
from inference.filters import find_pii, redact_text
from inference.model_registry import UnknownModel, default_model_id, get_model
from inference.models import Job, JobStatus, Task

APPROVAL_VALIDITY = timedelta(days=30)
TASKS_WITH_LABELS = {Task.ZERO_SHOT_CLASSIFICATION}
TASKS_WITH_QUERIES = {Task.TEXT_TO_IMAGE_SEARCH}


@dataclass(frozen=True)
class JobRequest:
    """What a business unit asks for; validated and screened by :func:`job_submit`."""

    dataset_id: int
    purpose: str
    deployment_context: str
    task: str
    labels: Sequence[str] = ()
    queries: Sequence[str] = ()
    query_asset_ids: Sequence[int] = ()
    purpose_description: str = ""
    model_id: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


def _texts(name: str, values: Sequence[str], *, required: bool) -> list[str]:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        raise ValidationError({name: "must be a list of strings"})
    cleaned = [v.strip() for v in values]
    if required and not cleaned:
        raise ValidationError({name: f"this task needs at least one entry in {name}"})
    if len(cleaned) > settings.CLIPGUARD_MAX_LABELS:
        raise ValidationError({name: f"at most {settings.CLIPGUARD_MAX_LABELS} entries allowed"})
    for index, value in enumerate(cleaned, start=1):
        if not value:
            raise ValidationError({name: f"entry {index} is empty"})
        if len(value) > 300:
            raise ValidationError({name: f"entry {index} is longer than 300 characters"})
    if len(set(cleaned)) != len(cleaned):
        raise ValidationError({name: "entries must be distinct"})
    return cleaned


def _refuse_personal_data(name: str, values: Sequence[str]) -> None:
    """Labels and queries with personal data are refused: redacting them changes the task."""
    for index, value in enumerate(values, start=1):
        hits = find_pii(value)
        if hits:
            kinds = ", ".join(sorted({hit.type for hit in hits}))
            raise ValidationError(
                {name: f"entry {index} contains personal data ({kinds}); remove it and resubmit"}
            )


def _validate(request: JobRequest, dataset: Dataset) -> tuple[list[str], list[str], str]:
    if request.task not in Task.values:
        raise ValidationError({"task": f"unknown task '{request.task}'"})
    labels = _texts("labels", request.labels, required=request.task in TASKS_WITH_LABELS)
    queries = _texts("queries", request.queries, required=request.task in TASKS_WITH_QUERIES)
    if request.task == Task.IMAGE_TO_IMAGE_SEARCH:
        ids = list(request.query_asset_ids)
        if not ids or not all(isinstance(i, int) for i in ids):
            raise ValidationError({"query_asset_ids": "image search needs query asset ids"})
        if dataset.assets.filter(pk__in=ids).count() != len(set(ids)):
            raise ValidationError({"query_asset_ids": "query assets must be in the job's dataset"})
    model_id = request.model_id or default_model_id()
    try:
        get_model(model_id)
    except UnknownModel as exc:
        raise ValidationError({"model_id": str(exc)}) from None
    return labels, queries, model_id


@dataclass(frozen=True)
class PolicyPreview:
    """The rulebook's decision on a request, and the request as the rulebook saw it."""

    decision: PolicyDecision
    request: PolicyRequest


def policy_preview(
    *,
    purpose: str,
    deployment_context: str,
    task: str,
    labels: Sequence[str],
    queries: Sequence[str],
    data_categories: Sequence[str],
    purpose_description: str = "",
) -> PolicyPreview:
    """Screen and decide a request exactly as :func:`job_submit` does, without storing it.

    The API's dry-run and job submission both decide through here, so they return the same
    decision and the same explanation (rules, articles, reasons, matched words) as
    ``manage.py policy_check`` for the same request. Raises ``ValidationError`` (a 400) for
    a malformed request, an unknown context, task or data category, and for labels or
    queries that hold personal data. A purpose outside the taxonomy is decided as the
    taxonomy purpose it is nearest to (``governance.purposes``); :func:`job_submit` then
    refuses it, since a job needs the code itself.
    """
    cleaned_labels = _texts("labels", labels, required=task in TASKS_WITH_LABELS)
    cleaned_queries = _texts("queries", queries, required=task in TASKS_WITH_QUERIES)
    _refuse_personal_data("labels", cleaned_labels)
    _refuse_personal_data("queries", cleaned_queries)
    if not isinstance(purpose_description, str):
        raise ValidationError({"purpose_description": "must be a string"})
    description = redact_text(purpose_description).text if purpose_description.strip() else ""
    try:
        policy_request = parse_request(
            {
                "purpose": purpose,
                "deployment_context": deployment_context,
                "task": task,
                "labels": cleaned_labels,
                "queries": cleaned_queries,
                "data_categories": list(data_categories),
                "purpose_description": description,
            }
        )
    except RequestInvalid as exc:
        raise ValidationError(str(exc)) from None
    return PolicyPreview(decision=decide(policy_request), request=policy_request)


def _not_a_code(request: PolicyRequest) -> str:
    """Why a job needs a taxonomy code (consent is given per code), with the nearest one."""
    match = request.purpose_match
    given = match.given if match is not None else request.purpose
    message = (
        f"'{given}' is not a purpose code of taxonomy {TAXONOMY_VERSION}; a job needs one, "
        "since consent is given per code"
    )
    nearest = match.code or match.nearest if match is not None else None
    return f"{message} (the nearest is '{nearest}')" if nearest else message


def _status_for(decision: PolicyDecision) -> JobStatus:
    return {
        Decision.ALLOW: JobStatus.QUEUED,
        Decision.REQUIRE_APPROVAL: JobStatus.AWAITING_APPROVAL,
        Decision.DENY: JobStatus.DENIED,
    }[decision.decision]


@transaction.atomic
def job_submit(*, actor: User, request: JobRequest) -> Job:
    """Screen, decide and record a job; queue it only when the rulebook allows it.

    Raises ``ValidationError`` (a 400) for bad requests, labels holding personal data, or
    a purpose the dataset is not registered for. A denied job is stored (for the audit
    trail) with status ``denied`` and never queued.
    """
    dataset = Dataset.objects.select_related("business_unit").filter(pk=request.dataset_id).first()
    if dataset is None or not can_write_in(actor, dataset.business_unit_id):
        raise ValidationError({"dataset": "no such dataset in your business unit"})
    labels, queries, model_id = _validate(request, dataset)
    preview = policy_preview(
        purpose=request.purpose,
        deployment_context=request.deployment_context,
        task=request.task,
        labels=labels,
        queries=queries,
        data_categories=dataset.data_categories,
        purpose_description=request.purpose_description,
    )
    decision, purpose = preview.decision, preview.request.purpose
    description = preview.request.purpose_description
    if decision.decision != Decision.DENY and not preview.request.purpose_is_code:
        raise ValidationError({"purpose": _not_a_code(preview.request)})
    if decision.decision != Decision.DENY and purpose not in dataset.purposes:
        message = f"dataset '{dataset.name}' is not registered for purpose '{purpose}'"
        raise ValidationError({"purpose": message})
    without_consent = assets_without_consent(dataset, purpose)
    status = _status_for(decision)
    job = Job.objects.create(
        business_unit=dataset.business_unit,
        dataset=dataset,
        submitted_by=actor,
        request_id=request.request_id[:64],
        purpose=purpose[:64],
        purpose_description=description,
        deployment_context=request.deployment_context,
        task=request.task,
        labels=labels,
        queries=queries or [str(i) for i in request.query_asset_ids],
        model_id=model_id,
        status=status,
        status_reason=_reason_for(decision),
        decision=decision.decision.value,
        decision_rules=decision.as_dict()["rules"],
        policy_version=decision.policy_version,
        assets_without_consent=without_consent,
        finished_at=timezone.now() if status == JobStatus.DENIED else None,
    )
    ledger_append(
        event_type=EventType.POLICY_DECISION,
        actor=actor,
        business_unit=dataset.business_unit,
        purpose=purpose,
        request_id=job.request_id,
        job_id=str(job.pk),
        policy_version=decision.policy_version,
        policy_decision=decision.decision.value,
        details={
            "task": request.task,
            "deployment_context": request.deployment_context,
            "dataset_id": dataset.pk,
            "rules": [r.id for r in decision.rules],
            "labels": labels,
            "queries": queries,
            "purpose_description": description,
            "assets_without_consent": without_consent,
        },
    )
    if status == JobStatus.AWAITING_APPROVAL:
        Approval.objects.create(job=job, expires_at=timezone.now() + APPROVAL_VALIDITY)
    if status == JobStatus.QUEUED:
        queue_job(job)
    return job


def _reason_for(decision: PolicyDecision) -> str:
    if not decision.rules:
        return "allowed by the rulebook"
    return "; ".join(f"{r.id} ({r.article}): {r.reason}" for r in decision.rules)


def queue_job(job: Job) -> None:
    """Queue a job's run once the surrounding transaction commits."""
    job_id = str(job.pk)
    transaction.on_commit(lambda: send_run_job(job_id))
