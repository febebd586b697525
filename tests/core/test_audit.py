"""core.audit: entries in Wagtail's log, with actor, on-behalf-of and channel, readable per
object in the admin."""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from wagtail.log_actions import registry
from wagtail.models import ModelLogEntry

from core import audit
from core.roles import EDITORS
from tests.factories import OrganisationFactory, UserFactory, organisation_reviewer, staff_user


@pytest.fixture
def officer(db):
    return organisation_reviewer(username="officer", display_name="赵科长")


@pytest.fixture
def boss(db):
    return UserFactory(username="boss", display_name="钱老板")


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="青石快递服务站")


def history_url(organisation):
    return reverse("wagtailsnippets_members_organisation:history", args=[organisation.pk])


def test_staff_action_on_behalf_records_both_users_and_the_channel(officer, boss, organisation):
    entry = audit.record(
        organisation, "fengchao.on_behalf", actor=officer, on_behalf_of=boss, via="admin",
        data={"field": "contact_phone"},
    )
    entry = ModelLogEntry.objects.get(pk=entry.pk)
    assert entry.action == "fengchao.on_behalf"
    assert entry.user == officer
    assert entry.data == {
        "via": "admin", "field": "contact_phone", "on_behalf_of": {"id": boss.pk, "name": "钱老板"},
    }
    assert (entry.content_type.model, entry.object_id) == ("organisation", str(organisation.pk))
    assert entry.label == "青石快递服务站"
    assert entry.timestamp is not None


def test_acting_for_oneself_has_no_on_behalf(boss, organisation):
    entry = audit.record(organisation, "fengchao.status_change", actor=boss, on_behalf_of=boss, via="api")
    assert entry.user == boss
    assert entry.data == {"via": "api"}


def test_system_entries_have_no_user(organisation):
    from django.contrib.auth.models import AnonymousUser

    for actor in (None, AnonymousUser()):
        entry = audit.record(organisation, "fengchao.status_change", actor=actor, via="command")
        assert entry.user is None
        assert entry.data == {"via": "command"}


def test_unknown_channel_is_refused(organisation):
    with pytest.raises(ValueError, match="carrier-pigeon"):
        audit.record(organisation, "fengchao.status_change", via="carrier-pigeon")


def test_unregistered_action_is_refused_with_a_hint(organisation):
    with pytest.raises(ValueError, match="register_log_actions"):
        audit.record(organisation, "fengchao.no_such_action")


def test_entry_rolls_back_with_the_change(organisation, officer):
    with pytest.raises(RuntimeError), transaction.atomic():
        audit.record(organisation, "fengchao.status_change", actor=officer, via="admin")
        raise RuntimeError
    assert not audit.entries_for(organisation).exists()


def test_entries_for_lists_newest_first_in_one_query(organisation, officer, boss, django_assert_num_queries):
    audit.record(organisation, "fengchao.status_change", actor=officer, via="admin")
    audit.record(organisation, "fengchao.on_behalf", actor=officer, on_behalf_of=boss, via="page")
    audit.record(OrganisationFactory(), "fengchao.status_change", actor=officer, via="admin")
    with django_assert_num_queries(1):  # content types are cached: one query, users joined
        entries = list(audit.entries_for(organisation))
        assert [e.user.display_name for e in entries] == ["赵科长", "赵科长"]
    assert [e.action for e in entries] == ["fengchao.on_behalf", "fengchao.status_change"]


def test_formatter_says_on_whose_behalf_and_through_which_channel(boss, organisation):
    class Formatter(audit.AuditFormatter):
        message = "Took a place"

    entry = ModelLogEntry(action="fengchao.claim", data={"via": "page", "on_behalf_of": {"id": 1, "name": "王阿姨"}})
    with translation.override("en"):
        assert Formatter().format_message(entry) == "Took a place (on behalf of 王阿姨; via member pages)"
        assert Formatter().format_message(ModelLogEntry(action="x", data={})) == "Took a place"


def test_register_action_uses_the_audit_formatter():
    class Actions:
        def register_action(self, action):
            def register(formatter_cls):
                self.registered = (action, formatter_cls)
            return register

    actions = Actions()
    audit.register_action(actions, "plugin.approve", "Approved", "Approved the hours")
    action, formatter_cls = actions.registered
    assert action == "plugin.approve"
    assert issubclass(formatter_cls, audit.AuditFormatter)
    assert (formatter_cls.label, formatter_cls.message) == ("Approved", "Approved the hours")


def test_staff_read_the_entry_in_the_objects_admin_history(client, officer, boss, organisation):
    audit.record(organisation, "fengchao.on_behalf", actor=officer, on_behalf_of=boss, via="admin")
    client.force_login(officer)
    response = client.get(history_url(organisation), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    formatter = registry.get_formatter(ModelLogEntry(action="fengchao.on_behalf", data={}))
    assert escape(str(formatter.message)) in html
    assert "赵科长" in html or "officer" in html


def test_admin_history_says_on_whose_behalf_and_the_channel(client, officer, boss, organisation, monkeypatch):
    """With core's actions registered through the audit formatter (register_core_actions)."""
    registry.scan_for_actions()
    monkeypatch.setattr(registry, "formatters", dict(registry.formatters))
    monkeypatch.setattr(registry, "choices", list(registry.choices))
    audit.register_core_actions(registry)
    audit.record(organisation, "fengchao.on_behalf", actor=officer, on_behalf_of=boss, via="admin")
    client.force_login(officer)
    html = client.get(history_url(organisation), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert escape("Acted on someone's behalf (on behalf of 钱老板; via admin)") in html


def test_staff_without_rights_on_the_object_cannot_read_its_history(client, organisation, officer):
    audit.record(organisation, "fengchao.status_change", actor=officer, via="admin")
    client.force_login(staff_user(EDITORS))
    response = client.get(history_url(organisation))
    assert response.status_code in (302, 403)


def test_an_action_registered_without_the_audit_formatter_is_refused(organisation, monkeypatch):
    """A plugin that registers with Wagtail's plain registry would lose "on behalf of …; via …"
    from its history: record() says how to register it instead."""
    registry.scan_for_actions()
    monkeypatch.setattr(registry, "formatters", dict(registry.formatters))
    monkeypatch.setattr(registry, "choices", list(registry.choices))
    registry.register_action("plugin.plain", "Plain", "Did a plain thing")
    with pytest.raises(ValueError, match="core.audit.register_action"):
        audit.record(organisation, "plugin.plain", via="admin")


@pytest.mark.parametrize("app_label", ["programs", "canteen", "stations"])
def test_every_plugin_action_reads_like_cores(app_label):
    from core.plugins import plugin_labels

    if app_label not in plugin_labels():
        pytest.skip(f"{app_label} is not enabled")
    registry.scan_for_actions()
    own = [action for action in registry.formatters if action.startswith(f"{app_label}.")]
    assert own
    for action in own:
        assert isinstance(registry.get_formatter(ModelLogEntry(action=action)), audit.AuditFormatter), action
