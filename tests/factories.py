import factory
from django.contrib.auth.models import Group

from core.models import Community
from members.models import Organisation, User


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"测试社区{n}")
    code = factory.Sequence(lambda n: f"test-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"member{n}")
    email = factory.Sequence(lambda n: f"member{n}@example.com")
    display_name = factory.Sequence(lambda n: f"会员{n}")
    phone = factory.Sequence(lambda n: f"+86139{n:08d}")
    kind = User.Kind.WORKER
    password = factory.PostGenerationMethodCall("set_password", "Fengchao-2026!")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}")
    kind = Organisation.Kind.ENTERPRISE


def organisation_reviewer(**kwargs):
    """Staff who verify organisations. The gig-station plugin will bring that role; until then a
    group of the same permissions stands in for it."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name="Organisation reviewers")
    group.permissions.set(Permission.objects.filter(
        content_type__app_label__in=("members", "wagtailadmin"),
        codename__in=("access_admin", "view_organisation", "change_organisation", "verify_organisation")))
    return staff_user(group.name, **kwargs)


def staff_user(group_name, **kwargs):
    user = UserFactory(kind=User.Kind.STAFF, is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def logged_in_client(user):
    """A fresh test client logged in as ``user`` (several roles in one test each get their own)."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.user = user
    return client
