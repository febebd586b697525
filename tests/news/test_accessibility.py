"""The core structural audit (language, one h1, alt text, labelled controls) on news pages with
content: the index with cards and filters, a story with every block, a brief, and search results."""

import pytest
from django.core.cache import cache

from tests.core.test_accessibility import structure_problems

pytestmark = pytest.mark.django_db


def test_news_pages_structure(client, news_index):
    import io

    from news.demo import seed
    from news.models import BriefPage, StoryPage

    cache.clear()
    seed(io.StringIO())
    story = StoryPage.objects.get(slug="phone-class")  # has a gallery
    brief = BriefPage.objects.first()
    for url in ("/news/", "/news/?q=驿站", "/news/?section=care&page=2", story.url, brief.url,
                StoryPage.objects.get(slug="gig-station-opens").url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert structure_problems(response.content.decode()) == [], url
