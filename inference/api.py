"""API for jobs: submit, dry-run the policy, follow status, read results."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clipguard.accounts.models import BusinessUnit, User
from clipguard.api.scoping import UnitScopedViewSet
from governance.services import job_stop
from inference.models import Job, JobResult
from inference.services import JobRequest, job_submit, policy_preview


def _texts_field() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=300, allow_blank=True),
        required=False,
        default=list,
        max_length=1000,
    )


class PolicyRequestIn(serializers.Serializer[Any]):
    """The fields the rulebook decides on, shared by job submission and the dry run."""

    purpose = serializers.CharField(max_length=64)
    purpose_description = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    deployment_context = serializers.CharField(max_length=32)
    task = serializers.CharField(max_length=32)
    labels = _texts_field()
    queries = _texts_field()


class JobIn(PolicyRequestIn):
    dataset = serializers.IntegerField()
    query_assets = serializers.ListField(
        child=serializers.IntegerField(), required=False, default=list, max_length=100
    )
    model_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    request_id = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)


class DryRunIn(PolicyRequestIn):
    data_categories = serializers.ListField(child=serializers.CharField(max_length=32))


class StopIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class JobOut(serializers.ModelSerializer[Job]):
    business_unit = serializers.SlugRelatedField[BusinessUnit](slug_field="slug", read_only=True)
    submitted_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "business_unit",
            "dataset",
            "submitted_by",
            "request_id",
            "purpose",
            "purpose_description",
            "deployment_context",
            "task",
            "labels",
            "queries",
            "model_id",
            "status",
            "status_reason",
            "decision",
            "decision_rules",
            "policy_version",
            "assets_without_consent",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
        ]

    def get_progress(self, job: Job) -> dict[str, int]:
        return {
            "total": job.total_assets,
            "processed": job.processed_assets,
            "skipped": job.skipped_assets,
            "failed": job.failed_assets,
        }


class JobResultOut(serializers.ModelSerializer[JobResult]):
    class Meta:
        model = JobResult
        fields = ["asset", "status", "reason", "output", "output_sha256", "created_at"]


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    model = Job
    serializer_class = JobOut
    filterset_fields = ["status", "task", "dataset", "purpose", "decision"]

    def base_queryset(self) -> QuerySet[Job]:
        return Job.objects.select_related("business_unit", "submitted_by")

    def create(self, request: Request) -> Response:
        """Submit a job. Denied: 403 with the rules; needs approval: 202; allowed: 201."""
        data = JobIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        job_request = JobRequest(
            dataset_id=v["dataset"],
            purpose=v["purpose"],
            purpose_description=v["purpose_description"],
            deployment_context=v["deployment_context"],
            task=v["task"],
            labels=v["labels"],
            queries=v["queries"],
            query_asset_ids=v["query_assets"],
            model_id=v["model_id"],
            **({"request_id": v["request_id"]} if v["request_id"] else {}),
        )
        job = job_submit(actor=self.actor, request=job_request)
        body = JobOut(job).data
        if job.decision == "deny":
            return Response(
                {"error": "policy_denied", "detail": job.status_reason, "job": body},
                status=status.HTTP_403_FORBIDDEN,
            )
        code = (
            status.HTTP_202_ACCEPTED
            if job.decision == "require_approval"
            else status.HTTP_201_CREATED
        )
        return Response(body, status=code)

    @action(detail=True, methods=["get"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Per-asset results of the job, paginated; ``?status=ok|skipped|failed`` filters."""
        job = self.get_object()
        results = job.results.order_by("asset_id")
        wanted = request.query_params.get("status")
        if wanted:
            results = results.filter(status=wanted)
        page = self.paginate_queryset(results)
        rows = JobResultOut(page if page is not None else results, many=True).data
        return self.get_paginated_response(rows) if page is not None else Response(rows)

    @action(detail=False, methods=["post"], url_path="dry-run")
    def dry_run(self, request: Request) -> Response:
        """What the rulebook would decide for a request, with the same explanation as a job
        and as ``manage.py policy_check`` (both decide through ``policy_preview``)."""
        data = DryRunIn(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        preview = policy_preview(
            purpose=v["purpose"],
            deployment_context=v["deployment_context"],
            task=v["task"],
            labels=v["labels"],
            queries=v["queries"],
            data_categories=v["data_categories"],
            purpose_description=v["purpose_description"],
        )
        return Response(preview.decision.as_dict())

    @action(detail=True, methods=["post"])
    def stop(self, request: Request, pk: str | None = None) -> Response:
        """Stop this job (per-job stop switch): it becomes ``cancelled`` with the reason and
        a running job halts before its next chunk. Compliance officers, platform admins and
        the job's own business unit may stop it."""
        job = self.get_object()
        data = StopIn(data=request.data)
        data.is_valid(raise_exception=True)
        job = job_stop(actor=self.actor, job=job, reason=data.validated_data["reason"])
        return Response(JobOut(job).data, status=status.HTTP_200_OK)
