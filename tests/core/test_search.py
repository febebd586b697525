"""Chinese search through Wagtail's own screens: the search backend (core/search_backend.py)
segments every indexed text and every query, so the admin's page search, /api/v3/pages/?search=
and snippet/image searches find words inside Chinese sentences. Plain pages only: these run with
no plugin enabled, on SQLite and on PostgreSQL."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page, PageViewRestriction, Site

from core import search

pytestmark = pytest.mark.django_db


def _root():
    return Site.objects.get(is_default_site=True).root_page


def make_page(title, publish=True, parent=None):
    page = Page(title=title)
    (parent or _root()).add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


@pytest.fixture
def pages():
    return {
        "station": make_page("青云路爱心驿站新添饮水机"),
        "charging": make_page("零工驿站增设智能充电柜"),
        "elders": make_page("荷花社区为独居老人送餐上门"),
        "byline": make_page("记者周晓岚走访柳树村"),
        "draft": make_page("驿站充电柜草稿", publish=False),
    }


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("searchadmin", "searchadmin@example.com", "x-Passw0rd-long")
    client.force_login(user)
    return client


def test_index_text_holds_words_and_character_pairs():
    text = search.index_text("记者周晓岚走访柳树村")
    tokens = text.split()
    assert "柳树村" in tokens  # a dictionary word (jieba_words.txt), kept whole
    assert "晓岚" in tokens  # a pair: part of a name no dictionary knows
    assert search.index_text("Volunteer hours") == "Volunteer hours"  # no Chinese: as typed


def test_query_words_drop_function_words_and_rejoin_single_characters():
    assert search.query_words("老人的午餐") == ["老人", "午餐"]
    assert search.query_words("零工驿站  骑手 骑手") == ["零工驿站", "骑手"]
    assert search.query_words("的") == []


def test_wagtail_backend_alone_finds_nothing_inside_a_sentence(pages):
    """The bug: Wagtail's database backend indexes a Chinese title as one word."""
    from wagtail.search.backends import get_search_backend

    plain = get_search_backend("modelsearch.backends.database")
    plain.add(pages["charging"])
    assert list(plain.search("充电柜", Page.objects.filter(pk=pages["charging"].pk))) == []
    ours = get_search_backend()
    ours.add(pages["charging"])
    assert [p.pk for p in ours.search("充电柜", Page.objects.filter(pk=pages["charging"].pk))] == [pages["charging"].pk]


def test_admin_page_search_finds_words_inside_titles(admin_client, pages):
    def found(q):
        response = admin_client.get("/admin/pages/search/", {"q": q})
        assert response.status_code == 200
        return {p.title for p in response.context["pages"]}

    assert found("驿站") == {"青云路爱心驿站新添饮水机", "零工驿站增设智能充电柜", "驿站充电柜草稿"}
    assert found("独居老人") == {"荷花社区为独居老人送餐上门"}
    assert found("晓岚") == {"记者周晓岚走访柳树村"}
    # The admin's search is an autocomplete: the start of a word is enough.
    assert "荷花社区为独居老人送餐上门" in found("独居")
    assert found("不存在的词语") == set()


def test_pages_api_finds_words_and_never_drafts(client, pages):
    def found(q, **extra):
        response = client.get("/api/v3/pages/", {"search": q, **extra})
        assert response.status_code == 200, response.content
        return {item["title"] for item in response.json()["items"]}

    assert found("充电柜") == {"零工驿站增设智能充电柜"}
    assert found("独居老人") == {"荷花社区为独居老人送餐上门"}
    assert found("周晓岚") == found("晓岚") == {"记者周晓岚走访柳树村"}
    assert found("驿站") == {"青云路爱心驿站新添饮水机", "零工驿站增设智能充电柜"}
    assert found("独居老人 充电柜", search_operator="or") == {"荷花社区为独居老人送餐上门", "零工驿站增设智能充电柜"}
    assert found("独居老人 充电柜") == set()
    assert "驿站充电柜草稿" not in found("草稿")


@pytest.mark.tasks
def test_publishing_indexes_the_new_words(client, pages, task_worker):
    page = pages["station"]
    page.title = "青云路爱心驿站开通手机充电"
    page.save_revision().publish()
    ran = task_worker.wait()
    if task_worker.real:  # the index is written by the worker, not by the request
        assert "modelsearch.tasks.insert_or_update_object_task" in ran
    response = client.get("/api/v3/pages/", {"search": "手机充电"})
    assert [item["id"] for item in response.json()["items"]] == [page.pk]


def test_image_search_in_chinese(admin_client):
    from wagtail.images import get_image_model
    from wagtail.images.tests.utils import get_test_image_file

    image = get_image_model().objects.create(title="荷花社区志愿者合影", file=get_test_image_file())
    response = admin_client.get("/admin/images/", {"q": "志愿者"})
    assert response.status_code == 200
    assert image in list(response.context["page_obj"].object_list)
    image.file.delete(save=False)


def test_site_search_page_without_plugins_is_a_page(client, pages):
    """/search/ is core's: it answers with or without plugins (with none, there is no plugin
    content to look in, and never a plain page, draft or private one)."""
    restricted = make_page("内部驿站通知")
    PageViewRestriction.objects.create(page=restricted, restriction_type="password", password="x")
    response = client.get("/search/", {"q": "驿站"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="search"' in html and 'name="q"' in html
    assert "内部驿站通知" not in html and "驿站充电柜草稿" not in html
    assert client.get("/search/").status_code == 200
    assert 'href="/search/"' in client.get("/search/").content.decode()  # linked from the header


def test_site_search_api_validates(client):
    assert client.get("/api/v3/search/").status_code == 422
    assert client.get("/api/v3/search/", {"search": "   "}).status_code == 400
    response = client.get("/api/v3/search/", {"search": "驿站"})
    assert response.status_code == 200
    assert set(response.json()) == {"count", "kinds", "items"}


def test_check_refuses_a_searchable_without_its_public_rows(monkeypatch):
    """A model that is not a page must say what anyone may see, or the site search could show
    rows nobody meant to publish."""
    from types import SimpleNamespace

    from core import checks, plugins
    from core.plugins import Searchable

    fake = SimpleNamespace(label="sample", searchables=(
        Searchable("core.Community", "Communities"), Searchable("core.NoSuchModel", "Nothing"),
        Searchable("wagtailcore.Page", "Pages")))
    monkeypatch.setattr(plugins, "plugins", lambda: [fake])
    assert {error.id for error in checks.check_searchables(None)} == {"fengchao.E020", "fengchao.E022"}


def test_admin_snippet_search_in_chinese(admin_client):
    """Snippet listings pass their viewset's search_fields to the backend, which answered 500
    ("Cannot search with field 'code'" on communities; "no such column" on SQLite) before."""
    from tests.factories import CommunityFactory

    CommunityFactory(name="荷花社区", code="hehua-s")
    CommunityFactory(name="柳树村", code="liushu-s")
    response = admin_client.get("/admin/snippets/core/community/", {"q": "荷花"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "荷花社区" in html and "柳树村" not in html
