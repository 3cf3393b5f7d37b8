"""Deterministic demo records, created through the same services the API uses.

Running it twice changes nothing: every record is looked up before it is created.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from clipguard.accounts.models import ApiKey, BusinessUnit, PlatformRole, UnitRole, User
from clipguard.accounts.services import (
    api_key_create,
    api_key_revoke,
    business_unit_create,
    membership_grant,
    user_platform_role_set,
)
from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.consent.services import consent_grant
from clipguard.datasets.models import Dataset
from clipguard.datasets.services import dataset_create

DEMO_PASSWORD = "clipguard-demo-only"  # noqa: S105 - printed by the local demo, never in production
# The actor of the demo's configuration changes in the audit ledger.
DEMO_ACTOR = "system:demo"


@dataclass(frozen=True)
class DemoWorld:
    unit: BusinessUnit
    other_unit: BusinessUnit
    alice: User  # business-unit admin
    bob: User  # business-unit member
    carol: User  # compliance officer
    dave: User  # member of the other unit
    catalogue: Dataset  # products, no people
    store_visits: Dataset  # people and faces, with consent
    subject: DataSubject
    alice_key: str


def _user(username: str, *, role: PlatformRole = PlatformRole.NONE) -> User:
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@clipguard.invalid"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user_platform_role_set(actor=DEMO_ACTOR, user=user, platform_role=role)


def _unit(name: str, slug: str) -> BusinessUnit:
    return BusinessUnit.objects.filter(slug=slug).first() or business_unit_create(
        name=name, slug=slug
    )


def _dataset(unit: BusinessUnit, actor: User, name: str, **fields: object) -> Dataset:
    existing = Dataset.objects.filter(business_unit=unit, name=name).first()
    return existing or dataset_create(actor=actor, business_unit=unit, name=name, **fields)  # type: ignore[arg-type]


@transaction.atomic
def seed_demo() -> DemoWorld:
    """Create (or find) the demo unit, its people, datasets, a data subject and consent."""
    unit = _unit("Retail Imaging", "retail-imaging")
    other = _unit("Logistics", "logistics")
    alice, bob, dave = _user("alice"), _user("bob"), _user("dave")
    carol = _user("carol", role=PlatformRole.COMPLIANCE_OFFICER)
    _user("admin", role=PlatformRole.PLATFORM_ADMIN)
    membership_grant(actor=DEMO_ACTOR, user=alice, business_unit=unit, role=UnitRole.ADMIN)
    membership_grant(actor=DEMO_ACTOR, user=bob, business_unit=unit, role=UnitRole.MEMBER)
    membership_grant(actor=DEMO_ACTOR, user=dave, business_unit=other, role=UnitRole.MEMBER)
    catalogue = _dataset(
        unit,
        alice,
        "Catalogue shapes",
        description="Product photos of the shape catalogue; no people.",
        purposes=["product_tagging", "search_own_media"],
        data_categories=["products"],
    )
    store = _dataset(
        unit,
        alice,
        "Store visits",
        description="Photos from store visits; may show customers.",
        purposes=["product_tagging", "search_own_media"],
        data_categories=["people", "faces", "scenes"],
    )
    subject, _ = DataSubject.objects.get_or_create(business_unit=unit, reference="subject-0001")
    if not ConsentRecord.objects.filter(subject=subject, dataset=store).exists():
        consent_grant(
            actor=alice,
            subject=subject,
            dataset=store,
            purposes=["product_tagging"],
            notice_version="store-notice-v3",
            evidence="signed form ref SV-2026-0001",
        )
    for old_key in ApiKey.objects.filter(user=alice, name="demo", revoked_at__isnull=True):
        api_key_revoke(actor=DEMO_ACTOR, key=old_key)
    _, raw_key = api_key_create(actor=DEMO_ACTOR, user=alice, name="demo")
    return DemoWorld(unit, other, alice, bob, carol, dave, catalogue, store, subject, raw_key)
