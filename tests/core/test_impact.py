"""The office's live figures (issue 15) as core serves them, with a figure of core's own making so
they hold with any plugin set: the dashboard and its permission, queries that do not grow with
months or communities, charts, the public page and API with only the chosen figures and small
numbers hidden, the exports, the PDF sheet, bad input, and no plugin at all."""

import datetime
import io
import re

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Site

import core.plugins
from core import charts, figures, impact
from core.models import Community, ImpactSettings, NotificationLog
from core.plugins import Figure
from tests.factories import CommunityFactory, UserFactory

pytestmark = pytest.mark.django_db


def notifications(start, end):
    """A figure on a core model: messages sent, by the month and the recipient's community."""
    low, high = figures.bounds(start, end)
    return figures.grouped(NotificationLog.objects.filter(created_at__gte=low, created_at__lt=high),
                           when="created_at", start=start, end=end, community="user__community_id")


def recipients(start, end):
    low, high = figures.bounds(start, end)
    return figures.grouped(NotificationLog.objects.filter(created_at__gte=low, created_at__lt=high),
                           when="created_at", start=start, end=end, community="user__community_id",
                           value=Count("user", distinct=True),
                           additive=False)


SENT = Figure("test.sent", "Messages sent", "messages", "Every message", notifications,
              plugin="test", plugin_title="Test plugin")
PEOPLE = Figure("test.people", "People told", "people", "Different people", recipients, additive=False,
                plugin="test", plugin_title="Test plugin")
SECRET = Figure("test.secret", "Secret count", "things", "Never public", notifications, may_be_public=False,
                plugin="test", plugin_title="Test plugin")


@pytest.fixture
def test_figures(monkeypatch):
    """Only the test figures, whatever plugins are enabled."""
    monkeypatch.setattr(core.plugins, "all_figures", lambda: [SENT, PEOPLE, SECRET])
    return [SENT, PEOPLE, SECRET]


@pytest.fixture
def no_plugins(monkeypatch):
    """As with FENGCHAO_PLUGINS=none: no PluginConfig, so no figure."""
    import core.plugins

    monkeypatch.setattr(core.plugins, "plugins", lambda: [])


def send(user, when, n=1):
    for _i in range(n):
        log = NotificationLog.objects.create(channel="sms", recipient=str(user.phone), body="提醒", user=user)
        NotificationLog.objects.filter(pk=log.pk).update(created_at=when)


def at(month, day=10):
    tz = timezone.get_current_timezone()
    return datetime.datetime.combine(month.replace(day=day), datetime.time(10), tz)


@pytest.fixture
def office(staff_client_for):
    return staff_client_for("Office staff")


# --- the contract and its helpers -----------------------------------------------------------------

def test_grouped_counts_by_local_month_and_community(test_figures):
    a, b = CommunityFactory(), CommunityFactory()
    ua, ub = UserFactory(community=a), UserFactory(community=b)
    this = figures.this_month()
    last = figures.add_months(this, -1)
    send(ua, at(this), 3)
    send(ub, at(this), 2)
    send(ua, at(last))
    # 23:30 Beijing time on the last day of last month is 15:30 UTC: last month, not this one.
    tz = timezone.get_current_timezone()
    send(ub, datetime.datetime.combine(this - datetime.timedelta(days=1), datetime.time(23, 30), tz))
    send(ua, at(this), 0)
    series = notifications(last, figures.add_months(this, 1))
    assert series.cells == {(this, a.pk): 3, (this, b.pk): 2, (last, a.pk): 1, (last, b.pk): 1}
    assert series.totals == {this: 5, last: 2}
    people = recipients(last, figures.add_months(this, 1))
    assert people.totals == {this: 2, last: 2}


def test_ratio_and_suppression():
    top = figures.Series({("m", 1): 1, ("m", 2): 0}, {"m": 1})
    bottom = figures.Series({("m", 1): 4, ("m", 2): 0}, {"m": 8})
    rate = figures.ratio(top, bottom)
    assert rate.cells == {("m", 1): figures.Decimal("25.0")}
    assert rate.totals == {"m": figures.Decimal("12.5")}
    # Zero stays, small numbers go, and a lone small one takes the next smallest with it.
    assert figures.suppress([0, 2, 7, 30], 5) == [0, None, None, 30]
    assert figures.suppress([1, 2, 7, 30], 5) == [None, None, 7, 30]
    assert figures.suppress([5, 9], 5) == [5, 9]


def test_month_arithmetic():
    assert figures.add_months(datetime.date(2026, 1, 1), -1) == datetime.date(2025, 12, 1)
    assert figures.add_months(datetime.date(2026, 11, 1), 14) == datetime.date(2028, 1, 1)
    assert len(figures.months_between(datetime.date(2025, 12, 1), datetime.date(2026, 12, 1))) == 12
    assert figures.parse_month("2026-11") == datetime.date(2026, 11, 1)
    assert figures.parse_month("2026-13") is None and figures.parse_month("x") is None


# --- the dashboard ---------------------------------------------------------------------------------

def test_dashboard_compares_months_and_communities(office, test_figures):
    a = CommunityFactory(name="东湖社区")
    user = UserFactory(community=a)
    this = figures.this_month()
    send(user, at(this), 4)
    send(user, at(figures.add_months(this, -1)), 1)
    send(user, at(figures.add_months(this, -12)), 2)
    data = impact.office_view(this)
    sent = next(r for r in data["figures"] if r["key"] == "test.sent")
    assert (sent["this"], sent["last"], sent["last_year"]) == (4, 1, 2)
    # The year is the twelve months to this one: a year ago is compared with, not in the year.
    assert sent["year_total"] == 5
    assert [c["value"] for c in sent["by_community"] if c["id"] == a.pk] == [4]
    assert next(r for r in data["figures"] if r["key"] == "test.people")["year_total"] is None
    response = office.get("/admin/impact/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Messages sent" in body and "东湖社区" in body
    assert body.count('role="img"') >= 3 and "<desc" in body and "<table" in body


def test_dashboard_only_for_office_staff(client, member_client, staff_client_for, test_figures):
    assert client.get("/admin/impact/").status_code == 302  # to the admin login
    editors = staff_client_for("Editors")
    assert editors.get("/admin/impact/").status_code in (302, 403)
    assert "/admin/impact/" not in editors.get("/admin/").content.decode()


def test_home_panel_for_office_staff(office, test_figures):
    body = office.get("/admin/").content.decode()
    assert "impact-panel-title" in body and "Messages sent" in body


def test_queries_do_not_grow_with_months_or_communities(office, test_figures):
    this = figures.this_month()
    user = UserFactory(community=CommunityFactory())
    send(user, at(this))
    office.get("/admin/impact/")  # warm up (sessions, permissions, settings)
    with CaptureQueriesContext(connection) as few:
        assert office.get("/admin/impact/").status_code == 200
    for i in range(8):
        person = UserFactory(community=CommunityFactory())
        for back in range(13):
            send(person, at(figures.add_months(this, -back)), 1 + i % 3)
    with CaptureQueriesContext(connection) as many:
        assert office.get("/admin/impact/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    # And the figures themselves: one query for a count, two for distinct people, however long.
    for months in (1, 13, 36):
        with CaptureQueriesContext(connection) as q:
            notifications(figures.add_months(this, -months), this)
            recipients(figures.add_months(this, -months), this)
        assert len(q.captured_queries) == 3


def test_dashboard_changes_on_the_next_load(office, test_figures):
    user = UserFactory(community=CommunityFactory())
    before = office.get("/admin/impact/?format=csv&view=summary").content.decode()
    send(user, timezone.now(), 2)
    after = office.get("/admin/impact/?format=csv&view=summary").content.decode()
    assert before != after
    assert re.search(r"Messages sent,messages,2,", after)


def test_with_no_plugins_the_dashboard_is_empty_not_broken(office, no_plugins):
    assert figures.all_figures() == []
    response = office.get("/admin/impact/")
    assert response.status_code == 200
    assert 'class="impact-empty"' in response.content.decode()
    assert office.get("/admin/").status_code == 200
    assert office.get("/admin/impact/?format=csv").status_code == 200
    assert office.get("/admin/impact/?format=xlsx&view=year").status_code == 200
    assert office.get("/impact/").status_code == 200
    assert office.get("/api/v3/impact/").json()["figures"] == []


def test_bad_input_is_a_clear_400(office, test_figures, client):
    for query in ("month=2026-13", "month=next", "format=doc", "format=csv&view=everything"):
        response = office.get(f"/admin/impact/?{query}")
        assert response.status_code == 400, query
        assert response.content
    assert client.get("/impact/?month=13-2026").status_code == 400
    assert client.get("/api/v3/impact/?month=2026-00").status_code == 422


# --- exports -------------------------------------------------------------------------------------

def test_exports_csv_excel_and_pdf(office, test_figures):
    from openpyxl import load_workbook

    from core.fonts import find_cjk_font

    user = UserFactory(community=CommunityFactory(name="南岸社区"))
    send(user, timezone.now(), 3)
    csv = office.get("/admin/impact/?format=csv&view=communities")
    assert csv["Content-Type"].startswith("text/csv")
    assert "南岸社区" in csv.content.decode("utf-8-sig")
    xlsx = office.get("/admin/impact/?format=xlsx&view=year")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    sent = next(r for r in rows if r[1] == "Messages sent")
    assert sent[-2] == 3 and sent[-1] == 3  # this month, and the twelve months' total
    pdf = office.get("/admin/impact/?format=pdf")
    if find_cjk_font() is None:
        assert pdf.status_code == 503
    else:
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        assert pdf["Content-Type"] == "application/pdf"


# --- charts --------------------------------------------------------------------------------------

def test_chart_is_accessible_svg_that_scales():
    svg = charts.bar_chart(chart_id="c1", title="用餐<份数>", description="每月", labels=["1月", "2月"],
                           series=[("东湖<script>", 0, [3, 5]), ("南岸", 1, [2, None])])
    assert svg.startswith('<svg class="chart" role="img" aria-labelledby="c1-title c1-desc" viewBox="0 0 ')
    assert 'width="' not in svg.split(">", 1)[0]  # no fixed size: it takes the width it is given
    assert "<title id=\"c1-title\">用餐&lt;份数&gt;</title>" in svg and "<desc id=\"c1-desc\">" in svg
    assert "<script>" not in svg and "东湖&lt;script&gt;" in svg
    assert svg.count("<rect") == 3  # 3 + 2 stacked in January, 5 in February, nothing for None


# --- the public figures --------------------------------------------------------------------------

def choose(keys, threshold=5):
    setting = ImpactSettings.for_site(Site.objects.get(is_default_site=True))
    setting.public_figures = keys
    setting.threshold = threshold
    setting.save()


def test_public_page_and_api_show_only_chosen_figures_without_small_numbers(client, test_figures):
    big, small, tiny = CommunityFactory(name="大社区"), CommunityFactory(name="小社区"), CommunityFactory(name="微社区")
    now = timezone.now()
    for community, n in ((big, 12), (small, 3), (tiny, 6)):
        person = UserFactory(community=community, display_name=f"居民{community.pk}", username=f"res{community.pk}")
        send(person, now, n)
    body = client.get("/impact/").content.decode()
    assert "Messages sent" not in body and 'class="impact-empty"' in body
    choose(["test.sent", "test.secret"])
    body = client.get("/impact/").content.decode()
    assert "Messages sent" in body
    assert "Secret count" not in body  # may_be_public=False is never served, even if stored
    assert "People told" not in body
    data = client.get("/api/v3/impact/").json()
    assert [f["key"] for f in data["figures"]] == ["test.sent"]
    sent = data["figures"][0]
    assert sent["this"] == 21  # totals are exact
    by_name = {c["name"]: c for c in sent["by_community"]}
    # 3 is below the threshold; 6, the next smallest, goes too, or 21 - 12 - 6 would give it back.
    assert by_name["小社区"] == {"id": small.pk, "name": "小社区", "value": None, "suppressed": True}
    assert by_name["微社区"]["value"] is None and by_name["大社区"]["value"] == 12
    assert "fewer than 5" in body or "少于" in body
    # Nothing that names a person.
    for person in UserFactory._meta.model.objects.filter(username__startswith="res"):
        assert person.display_name not in body and person.display_name not in str(data)


def test_settings_form_lists_only_publishable_figures(test_figures):
    from django.forms import modelform_factory

    from core.models import ImpactSettingsForm

    form_class = modelform_factory(ImpactSettings, form=ImpactSettingsForm, fields=["public_figures", "threshold"])
    form = form_class(instance=ImpactSettings.for_site(Site.objects.get(is_default_site=True)))
    keys = [k for k, _label in form.fields["public_figures"].choices]
    assert keys == ["test.sent", "test.people"]


def test_home_page_links_to_the_figures(client):
    assert 'href="/impact/"' in client.get("/").content.decode()


def test_communities_listed_once_each(office, test_figures):
    for _i in range(3):
        CommunityFactory()
    data = impact.office_view(figures.this_month())
    assert [c["id"] for c in data["communities"]] == list(Community.objects.order_by("name").values_list("id", flat=True))


# --- through core's one cache --------------------------------------------------------------------

CACHED = Figure("test.cached", "Messages (cached)", "messages", "Kept in core.cache", notifications,
                namespaces=("test.figures",), plugin="test", plugin_title="Test plugin")


def test_figures_with_namespaces_are_kept_until_their_namespace_is_bumped(
        monkeypatch, django_capture_on_commit_callbacks):
    from core import cache

    monkeypatch.setattr(core.plugins, "all_figures", lambda: [CACHED])
    user = UserFactory(community=CommunityFactory())
    this = figures.this_month()
    send(user, at(this), 2)
    assert impact.office_view(this)["figures"][0]["this"] == 2
    with CaptureQueriesContext(connection) as hit:
        assert impact.office_view(this)["figures"][0]["this"] == 2
    # A hit reads the communities and the cache versions, never the rows counted.
    assert not [q for q in hit.captured_queries if "core_notificationlog" in q["sql"]]
    send(user, at(this), 1)  # NotificationLog is not declared stale for "test.figures" here
    assert impact.office_view(this)["figures"][0]["this"] == 2
    with django_capture_on_commit_callbacks(execute=True):
        cache.mark_stale("test.figures")
    assert impact.office_view(this)["figures"][0]["this"] == 3
