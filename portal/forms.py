"""Forms: the ledger search, approval decisions, subject look-ups."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from audit.models import EventType
from clipguard.accounts.models import BusinessUnit
from inference.models import JobStatus
from portal.scope import PortalScope
from portal.selectors import DECISIONS, LedgerFilters

_DECISION_CHOICES = [("", "Any decision")] + [(d, d.replace("_", " ")) for d in DECISIONS]


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )


class LedgerFilterForm(forms.Form):
    """GET filters of the ledger search; the unit list holds only units in scope."""

    unit = forms.ModelChoiceField(
        queryset=BusinessUnit.objects.none(), required=False, empty_label="All units in scope"
    )
    actor = forms.CharField(required=False, max_length=200, label="User")
    event_type = forms.ChoiceField(
        required=False, choices=[("", "Any event"), *list(EventType.choices)], label="Event"
    )
    decision = forms.ChoiceField(required=False, choices=_DECISION_CHOICES)
    rule = forms.CharField(required=False, max_length=100, label="Rule id")
    model_id = forms.CharField(required=False, max_length=200, label="Model")
    job = forms.CharField(required=False, max_length=100, label="Job id")
    asset = forms.IntegerField(required=False, min_value=1, label="Asset id")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, scope: PortalScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = scope.units()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError("The start date is after the end date.")
        return data

    def filters(self) -> LedgerFilters:
        """The valid filters (call after ``is_valid()``); invalid fields filter nothing."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        unit = data.get("unit")
        return LedgerFilters(
            business_unit_id=unit.pk if unit is not None else None,
            actor=(data.get("actor") or "").strip(),
            event_type=data.get("event_type") or "",
            decision=data.get("decision") or "",
            rule=(data.get("rule") or "").strip(),
            model_id=(data.get("model_id") or "").strip(),
            job_id=(data.get("job") or "").strip(),
            asset_id=data.get("asset"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )


class JobFilterForm(forms.Form):
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), *list(JobStatus.choices)]
    )
    unit = forms.ModelChoiceField(
        queryset=BusinessUnit.objects.none(), required=False, empty_label="All units in scope"
    )

    def __init__(self, *args: Any, scope: PortalScope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.ModelChoiceField)
        unit_field.queryset = scope.units()


class ApprovalDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Reason (required, recorded)"}),
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason", "")).strip()
        if not reason:
            raise forms.ValidationError("Give a reason for the decision.")
        return reason

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class SubjectLookupForm(forms.Form):
    reference = forms.CharField(
        max_length=100,
        label="Subject reference",
        help_text="The pseudonymous reference from the business unit's own records.",
    )
