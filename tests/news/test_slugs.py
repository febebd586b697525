"""A new story saves without a slug typed by hand: one is made from the Chinese title."""

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from core.slugs import pinyin_slug, unique_slug
from news.models import StoryPage
from tests.news.factories import NewsIndexPageFactory, SectionFactory

pytestmark = pytest.mark.django_db


def _story(section, title, slug=""):
    return nested_form_data({
        "kicker": "", "title": title, "slug": slug, "standfirst": "", "date": "2026-11-28",
        "section": section.pk, "community": "", "bylines": inline_formset([]), "lead_image": "",
        "lead_image_alt": "", "lead_image_caption": "", "lead_image_credit": "",
        "body": streamfield([("paragraph", rich_text("<p>每天中午十一点出发。</p>"))]), "tags": "",
        "action-publish": "action-publish",
    })


def test_a_story_saved_without_a_slug_gets_one_from_its_title(admin_client):
    index = NewsIndexPageFactory()
    section = SectionFactory()
    for expected in ("he-hua-she-qu-song-can-dao-jia", "he-hua-she-qu-song-can-dao-jia-2"):
        response = admin_client.post(f"/admin/pages/add/news/storypage/{index.pk}/",
                                     _story(section, "荷花社区送餐到家"))
        assert response.status_code == 302, response.content.decode()[:3000]
        story = StoryPage.objects.latest("id")
        assert story.slug == expected and story.live
    typed = admin_client.post(f"/admin/pages/add/news/storypage/{index.pk}/",
                              _story(section, "驿站添置新书", slug="new-books"))
    assert typed.status_code == 302
    assert StoryPage.objects.latest("id").slug == "new-books"  # what the editor typed wins


def test_a_title_with_nothing_to_spell_gets_the_date(db):
    from datetime import date

    index = NewsIndexPageFactory()
    assert pinyin_slug("★★★") == ""
    assert unique_slug("★★★", index, date=date(2026, 12, 1)) == "2026-12-01"
