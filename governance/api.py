"""API for human oversight: the approval queue and stop switches."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clipguard.accounts.models import User
from clipguard.api.scoping import UnitScopedViewSet
from governance.models import Approval
from governance.services import approval_decide


class ApprovalOut(serializers.ModelSerializer[Approval]):
    decided_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)
    purpose = serializers.CharField(source="job.purpose", read_only=True)
    task = serializers.CharField(source="job.task", read_only=True)
    decision_rules = serializers.JSONField(source="job.decision_rules", read_only=True)

    class Meta:
        model = Approval
        fields = [
            "id",
            "job",
            "purpose",
            "task",
            "decision_rules",
            "status",
            "requested_at",
            "decided_by",
            "decided_at",
            "reason",
            "expires_at",
        ]


class DecisionIn(serializers.Serializer[Any]):
    reason = serializers.CharField(max_length=2000)


class ApprovalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    """Units see their own approval requests; compliance officers see and decide them all."""

    model = Approval
    unit_field = "job__business_unit_id"
    serializer_class = ApprovalOut
    filterset_fields = ["status"]

    def base_queryset(self) -> QuerySet[Approval]:
        return Approval.objects.select_related("job", "decided_by")

    def _decide(self, request: Request, approve: bool) -> Response:
        if not self.actor.is_compliance_officer:
            raise exceptions.PermissionDenied("Only compliance officers decide approvals.")
        approval = self.get_object()
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        approval = approval_decide(
            actor=self.actor,
            job=approval.job,
            approve=approve,
            reason=data.validated_data["reason"],
        )
        return Response(ApprovalOut(approval).data, status=status.HTTP_200_OK)

    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, approve=True)

    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(request, approve=False)
