import re

from wagtail.models import Site

from core.plugins import plugins
from home.models import HomePage, OfficeSettings


def test_home_page_is_the_site_root_and_shows_office_details(client, db):
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    OfficeSettings.objects.update_or_create(site=site, defaults={
        "office_name": "青石街道办事处", "hotline": "0571-8650 2368", "address": "青石路 200 号"})
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "青石街道办事处" in html and 'href="tel:0571-8650 2368"' in html
    assert 'name="language"' in html  # the language switch
    assert 'id="main"' in html and "skip-link" in html


def test_home_links_to_every_plugin_main_page(client, db):
    html = client.get("/").content.decode()
    for config in plugins():
        if config.main_url_name:
            assert str(config.title) in html


def test_pages_load_nothing_from_other_hosts(client, db):
    html = client.get("/").content.decode()
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
    assert [url for url in external if "testserver" not in url] == []


def test_english_is_available(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html and "Skip to main content" in html


def test_sitemap_lists_the_home_page(client, db):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert "<urlset" in response.content.decode()


def test_pages_api_gives_rich_text_ready_to_show(client, db):
    """A phone front end gets display HTML with real links, not Wagtail's database HTML."""
    home = Site.objects.get(is_default_site=True).root_page.specific
    target = home.add_child(instance=HomePage(title="办事指南", slug="guide"))
    home.intro = f'<p>请看<a linktype="page" id="{target.pk}">办事指南</a>。</p>'
    home.save_revision().publish()
    intro = client.get(f"/api/v3/pages/{home.pk}/", {"fields": "intro"}).json()["intro"]
    assert 'href="/guide/"' in intro and "linktype" not in intro
    raw = client.get(f"/api/v3/pages/{home.pk}/", {"fields": "intro", "rich_text_format": "db_html"}).json()["intro"]
    assert 'linktype="page"' in raw  # editor tools can still ask for what they store


def test_home_page_is_cached_for_anonymous_readers_and_follows_changes(client, db, django_capture_on_commit_callbacks):
    from django.test import Client

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    first = client.get("/")
    assert "X-Page-Cache" not in first
    again = client.get("/")
    assert again["X-Page-Cache"] == "hit"
    # The same bytes for every reader, and no cookie set: nothing on it is the reader's own.
    assert again.content == first.content
    assert "csrfmiddlewaretoken" not in again.content.decode() and "Set-Cookie" not in again.headers

    with django_capture_on_commit_callbacks(execute=True):
        home.hero_title = "青石街道欢迎您"
        home.save_revision().publish()
    fresh = client.get("/")
    assert "X-Page-Cache" not in fresh and "青石街道欢迎您" in fresh.content.decode()

    office = OfficeSettings.for_site(site)
    with django_capture_on_commit_callbacks(execute=True):
        office.hotline = "0571-8650 3333"
        office.save()
    assert "0571-8650 3333" in client.get("/").content.decode()

    from tests.factories import UserFactory

    logged_in = Client()
    logged_in.force_login(UserFactory())
    assert "X-Page-Cache" not in logged_in.get("/") and "X-Page-Cache" not in logged_in.get("/")


def test_root_answered_from_the_cache_with_no_query_and_never_once_private(client, db, django_assert_num_queries,
                                                                          django_capture_on_commit_callbacks):
    from wagtail.models import PageViewRestriction

    client.get("/")
    with django_assert_num_queries(0):  # no routing, no rendering, and the versions are this process's copy
        assert client.get("/")["X-Page-Cache"] == "hit"
    home = Site.objects.get(is_default_site=True).root_page
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.PASSWORD,
                                           password="qingshi")
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert 'name="password"' in response.content.decode()  # Wagtail's password form, not the page
    assert "X-Page-Cache" not in client.get("/")
