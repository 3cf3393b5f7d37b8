"""API views for datasets, assets, data subjects and consent records."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from rest_framework import exceptions, mixins, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from clipguard.accounts.models import BusinessUnit, User
from clipguard.accounts.selectors import units_of
from clipguard.api import serializers as s
from clipguard.api.scoping import UnitScopedViewSet
from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.consent.services import consent_grant, consent_withdraw
from clipguard.datasets.models import Asset, Dataset
from clipguard.datasets.services import asset_upload, dataset_create
from inference.filters import ImageRejected


def unit_for_write(user: User, slug: str | None) -> BusinessUnit:
    """The unit a write goes to: the named one (if the caller is in it), or the only one."""
    units = units_of(user)
    if slug:
        unit = units.filter(slug=slug).first()
        if unit is None:
            raise exceptions.ValidationError({"business_unit": "you are not a member of that unit"})
        return unit
    mine = list(units[:2])
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise exceptions.PermissionDenied("You are not a member of any business unit.")
    raise exceptions.ValidationError({"business_unit": "you are in several units; name one"})


class DatasetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    model = Dataset
    serializer_class = s.DatasetOut
    filterset_fields = ["name"]

    def create(self, request: Request) -> Response:
        data = s.DatasetIn(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        unit = unit_for_write(self.actor, values.pop("business_unit", None))
        dataset = dataset_create(actor=self.actor, business_unit=unit, **values)
        return Response(s.DatasetOut(dataset).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="assets")
    def upload(self, request: Request, pk: str | None = None) -> Response:
        """Upload one image (multipart field ``file``); it stays in quarantine until filtered."""
        dataset = self.get_object()
        self.require_write(dataset.business_unit_id)
        data = s.AssetUploadIn(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        from django.conf import settings

        if upload.size > settings.CLIPGUARD_MAX_UPLOAD_BYTES:
            raise exceptions.ValidationError(
                {"file": f"file is larger than {settings.CLIPGUARD_MAX_UPLOAD_BYTES} bytes"}
            )
        try:
            asset, created = asset_upload(
                actor=self.actor,
                dataset=dataset,
                data=upload.read(),
                filename=upload.name or "",
                subject_references=data.validated_data["subjects"],
            )
        except ImageRejected as exc:
            raise exceptions.ValidationError({"file": exc.reason}) from None
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        body = s.AssetOut(asset).data | {"duplicate": not created}
        return Response(body, status=code)


class AssetFilter(filters.FilterSet):
    class Meta:
        model = Asset
        fields = ["dataset", "status"]


class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    model = Asset
    unit_field = "dataset__business_unit_id"
    serializer_class = s.AssetOut
    filterset_class = AssetFilter

    def base_queryset(self) -> QuerySet[Asset]:
        return Asset.objects.prefetch_related("subjects")

    @action(detail=True, methods=["get"])
    def manifest(self, request: Request, pk: str | None = None) -> Response:
        """The filter manifest: what the filters found and did (boxes, counts, versions)."""
        return Response(s.AssetManifestOut(self.get_object()).data)


class SubjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    model = DataSubject
    serializer_class = s.SubjectOut
    filterset_fields = ["reference"]

    def create(self, request: Request) -> Response:
        data = s.SubjectIn(data=request.data)
        data.is_valid(raise_exception=True)
        unit = unit_for_write(self.actor, data.validated_data.get("business_unit"))
        subject, created = DataSubject.objects.get_or_create(
            business_unit=unit, reference=data.validated_data["reference"]
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.SubjectOut(subject).data, status=code)


class ConsentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, UnitScopedViewSet):
    model = ConsentRecord
    unit_field = "dataset__business_unit_id"
    serializer_class = s.ConsentOut
    filterset_fields = ["dataset", "subject"]

    def base_queryset(self) -> QuerySet[ConsentRecord]:
        return ConsentRecord.objects.select_related("subject").prefetch_related("assets")

    def create(self, request: Request) -> Response:
        data = s.ConsentIn(data=request.data)
        data.is_valid(raise_exception=True)
        values: dict[str, Any] = data.validated_data
        dataset = Dataset.objects.filter(pk=values["dataset"]).first()
        if dataset is None:
            raise exceptions.ValidationError({"dataset": "no such dataset in your business unit"})
        self.require_write(dataset.business_unit_id)
        subject = DataSubject.objects.filter(
            business_unit_id=dataset.business_unit_id, reference=values["subject"]
        ).first()
        if subject is None:
            raise exceptions.ValidationError({"subject": "no such data subject in this unit"})
        assets = list(Asset.objects.filter(pk__in=values["assets"], dataset=dataset))
        if len(assets) != len(set(values["assets"])):
            raise exceptions.ValidationError({"assets": "every asset must belong to the dataset"})
        consent = consent_grant(
            actor=self.actor,
            subject=subject,
            dataset=dataset,
            purposes=values["purposes"],
            notice_version=values["notice_version"],
            evidence=values["evidence"],
            assets=assets,
            granted_at=values.get("granted_at"),
        )
        return Response(s.ConsentOut(consent).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str | None = None) -> Response:
        """Withdraw consent: processing stops and derived data is erased; returns the receipt."""
        consent = self.get_object()
        self.require_write(consent.dataset.business_unit_id)
        data = s.WithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        receipt = consent_withdraw(
            actor=self.actor, consent=consent, reason=data.validated_data["reason"]
        )
        return Response(s.ErasureReceiptOut(receipt).data, status=status.HTTP_200_OK)
