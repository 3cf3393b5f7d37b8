"""factory_boy factories for platform records."""

from __future__ import annotations

import factory
from django.utils import timezone

from clipguard.accounts.models import BusinessUnit, Membership, PlatformRole, UnitRole, User
from clipguard.consent.models import ConsentRecord, DataSubject
from clipguard.datasets.models import Dataset


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@clipguard.invalid")
    platform_role = PlatformRole.NONE


class BusinessUnitFactory(factory.django.DjangoModelFactory[BusinessUnit]):
    class Meta:
        model = BusinessUnit
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Unit {n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")


class MembershipFactory(factory.django.DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    business_unit = factory.SubFactory(BusinessUnitFactory)
    role = UnitRole.MEMBER


class DatasetFactory(factory.django.DjangoModelFactory[Dataset]):
    class Meta:
        model = Dataset

    business_unit = factory.SubFactory(BusinessUnitFactory)
    name = factory.Sequence(lambda n: f"Dataset {n}")
    purposes = factory.LazyFunction(lambda: ["product_tagging", "search_own_media"])
    data_categories = factory.LazyFunction(lambda: ["products"])


class DataSubjectFactory(factory.django.DjangoModelFactory[DataSubject]):
    class Meta:
        model = DataSubject

    business_unit = factory.SubFactory(BusinessUnitFactory)
    reference = factory.Sequence(lambda n: f"subject-{n:04d}")


class ConsentRecordFactory(factory.django.DjangoModelFactory[ConsentRecord]):
    class Meta:
        model = ConsentRecord

    subject = factory.SubFactory(DataSubjectFactory)
    dataset = factory.SubFactory(DatasetFactory)
    purposes = factory.LazyFunction(lambda: ["product_tagging"])
    notice_version = "v1"
    evidence = "form ref 1"
    granted_at = factory.LazyFunction(timezone.now)
