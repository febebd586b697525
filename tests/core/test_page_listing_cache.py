"""Wagtail's own page listing (/api/v3/pages/) answered from core.cache for anonymous readers:
no query on a hit, a publish seen on the very next request, never an editor's answer to others."""

from wagtail.models import PageViewRestriction, Site

from home.models import HomePage


def _titles(response):
    return [item["title"] for item in response.json()["items"]]


def test_the_listing_is_cached_and_a_publish_is_seen_on_the_next_request(
        client, db, django_assert_num_queries, django_capture_on_commit_callbacks):
    home = Site.objects.get(is_default_site=True).root_page.specific
    first = client.get("/api/v3/pages/")
    assert first.status_code == 200 and "X-Page-Cache" not in first
    with django_assert_num_queries(0):
        again = client.get("/api/v3/pages/")
    assert again["X-Page-Cache"] == "hit" and again.json() == first.json()

    with django_capture_on_commit_callbacks(execute=True):
        home.add_child(instance=HomePage(title="办事指南", slug="guide"))
    fresh = client.get("/api/v3/pages/")
    assert "X-Page-Cache" not in fresh and "办事指南" in _titles(fresh)

    guide = home.get_children().get(slug="guide")
    with django_capture_on_commit_callbacks(execute=True):
        guide.unpublish()
    assert "办事指南" not in _titles(client.get("/api/v3/pages/"))


def test_a_page_made_private_leaves_the_cached_listing_at_once(client, db, django_capture_on_commit_callbacks):
    home = Site.objects.get(is_default_site=True).root_page.specific
    with django_capture_on_commit_callbacks(execute=True):
        home.add_child(instance=HomePage(title="内部通知", slug="internal"))
    assert "内部通知" in _titles(client.get("/api/v3/pages/"))
    internal = home.get_children().get(slug="internal")
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=internal, restriction_type=PageViewRestriction.PASSWORD,
                                           password="qingshi")
    assert "内部通知" not in _titles(client.get("/api/v3/pages/"))


def test_bearer_tokens_and_searches_always_go_to_wagtail(client, db):
    client.get("/api/v3/pages/")
    assert client.get("/api/v3/pages/")["X-Page-Cache"] == "hit"
    # An editor's token (valid or not) is answered by Wagtail itself, never from or into the entry.
    tokened = client.get("/api/v3/pages/", headers={"Authorization": "Bearer not-a-real-token"})
    assert tokened.status_code in (200, 401) and "X-Page-Cache" not in tokened
    client.get("/api/v3/pages/", {"search": "首页"})
    assert "X-Page-Cache" not in client.get("/api/v3/pages/", {"search": "首页"})
    # Each query string is its own entry.
    client.get("/api/v3/pages/", {"limit": 1})
    assert len(client.get("/api/v3/pages/", {"limit": 1}).json()["items"]) == 1
