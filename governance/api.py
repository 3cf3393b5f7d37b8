"""API for human oversight (the approval queue, stop switches) and the Art. 30 records."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, mixins, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from clipguard.accounts.models import BusinessUnit, User
from clipguard.api.scoping import UnitScopedViewSet
from governance.models import Approval, StopSwitch
from governance.records_of_processing import as_markdown, records_of_processing
from governance.services import approval_decide, stop_switch_set


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


class StopSwitchOut(serializers.ModelSerializer[StopSwitch]):
    business_unit = serializers.SlugRelatedField[BusinessUnit](slug_field="slug", read_only=True)
    scope = serializers.SerializerMethodField()
    changed_by = serializers.SlugRelatedField[User](slug_field="username", read_only=True)

    class Meta:
        model = StopSwitch
        fields = ["id", "scope", "business_unit", "engaged", "reason", "changed_by", "changed_at"]

    def get_scope(self, switch: StopSwitch) -> str:
        return "business_unit" if switch.business_unit_id else "platform"


class StopSwitchIn(serializers.Serializer[Any]):
    business_unit = serializers.SlugField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The unit's slug; omit or null for the platform-wide switch.",
    )
    reason = serializers.CharField(max_length=2000)


class StopSwitchViewSet(mixins.ListModelMixin, UnitScopedViewSet):
    """Stop switches: units read their own; compliance officers and platform admins read all
    (the platform-wide one too) and engage or release them.

    ``POST engage/`` or ``release/`` with ``{"business_unit": "<slug>" | null, "reason"}``;
    running jobs in scope are cancelled before their next chunk (within seconds).
    """

    model = StopSwitch
    serializer_class = StopSwitchOut

    def base_queryset(self) -> QuerySet[StopSwitch]:
        return StopSwitch.objects.select_related("business_unit", "changed_by").order_by("pk")

    def _set(self, request: Request, engaged: bool) -> Response:
        if not (self.actor.is_compliance_officer or self.actor.is_platform_admin):
            raise exceptions.PermissionDenied(
                "Only compliance officers and platform admins use stop switches."
            )
        data = StopSwitchIn(data=request.data)
        data.is_valid(raise_exception=True)
        slug = data.validated_data["business_unit"]
        unit = None
        if slug:
            unit = BusinessUnit.objects.filter(slug=slug).first()
            if unit is None:
                raise exceptions.ValidationError({"business_unit": f"no business unit '{slug}'"})
        switch = stop_switch_set(
            actor=self.actor,
            business_unit=unit,
            engaged=engaged,
            reason=data.validated_data["reason"],
        )
        return Response(StopSwitchOut(switch).data, status=status.HTTP_200_OK)

    @action(detail=False, methods=["post"])
    def engage(self, request: Request) -> Response:
        return self._set(request, engaged=True)

    @action(detail=False, methods=["post"])
    def release(self, request: Request) -> Response:
        return self._set(request, engaged=False)


class MarkdownRenderer(renderers.BaseRenderer):
    """The Art. 30 report as a Markdown download (``?format=md`` or ``Accept: text/markdown``)."""

    media_type = "text/markdown"
    format = "md"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        if response is not None and response.status_code >= 400:
            return f"# Error\n\n{data}\n".encode()
        if response is not None:
            response["Content-Disposition"] = 'attachment; filename="records-of-processing.md"'
        return as_markdown(data).encode()


class RecordsOfProcessingView(APIView):
    """``GET /api/v1/records-of-processing/``: the Art. 30 report (JSON, or Markdown with
    ``?format=md``), for compliance officers and platform admins."""

    renderer_classes = [renderers.JSONRenderer, MarkdownRenderer]

    def get(self, request: Request, format: str | None = None) -> Response:
        user = request.user
        if not (isinstance(user, User) and (user.is_compliance_officer or user.is_platform_admin)):
            raise exceptions.PermissionDenied(
                "Only compliance officers and platform admins read the records of processing."
            )
        return Response(records_of_processing())
