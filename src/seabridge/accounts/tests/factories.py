import factory
from django.contrib.auth.models import User

from seabridge.accounts.choices import OrganizationKind, Role
from seabridge.accounts.models import Membership, Organization
from seabridge.conftest import TEST_PASSWORD
from seabridge.markets.tests.factories import CountryFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda number: f"person{number}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def saved(self, create, extracted, **kwargs):
        if create:
            self.save()  # type: ignore[attr-defined]


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("short_name",)

    kind = OrganizationKind.MANUFACTURER
    short_name = factory.Sequence(lambda number: f"Org{number}")
    legal_name = factory.LazyAttribute(lambda organization: f"{organization.short_name} Co., Ltd.")
    home_country = factory.SubFactory(
        CountryFactory, code="CN", name="China", numeric="156", currency="CNY"
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.STAFF
