import factory
from django.utils import timezone

from accounts.models import Area, Membership, Organisation, Role, User


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Test Housing {n}")
    code = factory.Sequence(lambda n: "T" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    homes_owned = 1000
    created_at = factory.LazyFunction(timezone.now)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@haven.test")
    full_name = factory.Sequence(lambda n: f"Test User {n}")
    date_joined = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICER
    created_at = factory.LazyFunction(timezone.now)


def member(organisation: Organisation, *roles: str, **user_fields) -> User:
    """A user holding the given roles in ``organisation``."""
    user = UserFactory(**user_fields)
    for role in roles:
        MembershipFactory(user=user, organisation=organisation, role=role)
    return user
