"""Staff roles: every app declares its own (core.plugins.Role), core makes the groups after migrate."""

import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from core import roles
from core.plugins import Role, plugin_labels
from tests.factories import staff_user


def granted(group_name):
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=group_name).permissions.select_related("content_type")}


def test_every_declared_role_is_a_group_with_its_permissions(db):
    declared = roles.declared_roles()
    assert {roles.EDITORS, roles.MODERATORS, roles.GRID_WORKERS} <= set(declared)
    for role in declared.values():
        assert set(role.permissions) <= granted(role.name), role.name


def test_each_plugin_brings_its_own_role_and_roles_of_absent_plugins_do_not_exist(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert ("Program staff" in names) == ("programs" in plugin_labels())
    assert ("Canteen staff" in names) == ("canteen" in plugin_labels())
    assert ("Volunteer coordinators" in names) == ("volunteers" in plugin_labels())
    assert ("Gig-station officers" in names) == ("gigs" in plugin_labels())


@pytest.mark.skipif("news" not in plugin_labels(), reason="news adds to the site's roles")
def test_a_plugin_adds_permissions_to_a_role_core_owns(db):
    user = staff_user(roles.EDITORS)
    assert user.has_perm("news.change_author") and user.has_perm("wagtailadmin.access_admin")
    assert not user.has_perm("news.delete_author")
    # The description stays the owner's (core's); news only adds permissions.
    assert roles.declared_roles()[roles.EDITORS].description == roles.CORE_ROLES[0].description


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_roles_survive_a_flush_and_restore_and_a_second_run_changes_nothing():
    """Transactional tests flush and restore the migrations' data (tests/conftest.py): the groups
    come back with their permissions, and creating the roles again neither duplicates a group
    nor takes away a permission an administrator added since."""
    for role in roles.declared_roles().values():
        assert set(role.permissions) <= granted(role.name)
    extra = Permission.objects.get(content_type__app_label="core", codename="delete_community")
    Group.objects.get(name=roles.GRID_WORKERS).permissions.add(extra)
    count = Group.objects.count()
    roles.sync_roles()
    assert Group.objects.count() == count
    assert "core.delete_community" in granted(roles.GRID_WORKERS)


def test_migrate_creates_a_role_deleted_since(db):
    Group.objects.filter(name=roles.GRID_WORKERS).delete()
    call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert set(roles.declared_roles()[roles.GRID_WORKERS].permissions) == granted(roles.GRID_WORKERS)


@pytest.mark.parametrize(("declared", "expected"), [
    ([("sample", Role("Night porters", permissions=("core.view_community",)))],
     "no installed app declares"),
    ([("sample", Role("Night porters", "Porters", ("core.fly_community",)))],
     "'core.fly_community', which app 'core' does not define"),
    ([("sample", Role("Night porters", "Porters", ("weather.view_cloud",)))],
     "no app 'weather' is installed"),
    ([("sample", Role("Night porters", "Porters", ("view_community",)))],
     "is not 'app_label.codename'"),
    ([("a", Role("Night porters", "Porters")), ("b", Role("Night porters", "Also porters"))],
     "declared with a description by a, b"),
])
def test_a_wrong_role_is_refused_by_check_and_at_migrate(db, monkeypatch, declared, expected):
    monkeypatch.setattr(roles, "declarations", lambda: declared)
    errors = roles.check_roles()
    assert [e.id for e in errors] == ["fengchao.E010"]
    assert expected in errors[0].msg
    with pytest.raises(ImproperlyConfigured, match="Night porters"):
        roles.sync_roles()
    assert not Group.objects.filter(name="Night porters").exists()


def test_the_old_group_permissions_attribute_is_not_ignored(monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("core")
    monkeypatch.setattr(config, "group_permissions", {"Editors": ["core.view_community"]}, raising=False)
    assert any("group_permissions is gone" in e.msg for e in roles.check_roles())


def test_demo_prints_a_working_login_for_every_role(client, db):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    logins = {"editor": roles.EDITORS, "moderator": roles.MODERATORS, "grid": roles.GRID_WORKERS,
              "office": roles.OFFICE_STAFF}
    if "programs" in plugin_labels():
        logins["programs"] = "Program staff"
    if "canteen" in plugin_labels():
        logins["canteen"] = "Canteen staff"
    if "volunteers" in plugin_labels():
        logins["coordinator"] = "Volunteer coordinators"
    described = roles.declared_roles()
    for username, role in logins.items():
        assert f"{username:<12} {described[role].description}" in text
        assert client.login(username=username, password="Fengchao-2026!"), username
        assert client.get("/admin/").status_code == 200, username
        client.logout()
    assert "gigofficer" not in text
    if "volunteers" not in plugin_labels():
        assert "coordinator" not in text


def test_a_flush_makes_no_groups_and_a_migrate_does(db):
    """``flush`` sends post_migrate with no migration plan. Making groups then broke every
    transactional test that restores serialized data after another one's flush (the restored
    groups clashed with the new ones: UNIQUE constraint failed: auth_group.name)."""
    from django.apps import apps

    from core.signals import create_roles

    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    Group.objects.all().delete()
    create_roles(sender=last, using="default")  # what flush sends
    assert not Group.objects.exists()
    create_roles(sender=last, using="default", plan=[])  # what migrate sends
    assert Group.objects.filter(name=roles.EDITORS).exists()
