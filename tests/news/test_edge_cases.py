"""What readers, editors and front ends ran into after the first release: odd filter values,
feeds for sections without a description, stale cached pages, related-story query counts."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_month_with_year_zero_is_refused_not_a_server_error(client, make_story):
    make_story("十一月的故事")
    response = client.get("/news/", {"month": "0000-05"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "十一月的故事" in html
    assert 'class="error"' in html
    assert client.get("/api/v3/news/stories/", {"month": "0000-05"}).status_code == 422
