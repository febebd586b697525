import io

import pytest

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_complete():
    from news.demo import seed
    from news.models import BriefPage, StoryPage

    seed(io.StringIO())
    seed(io.StringIO())
    stories = StoryPage.objects.live().exclude(pk__in=BriefPage.objects.values("pk"))
    assert stories.count() >= 12
    assert BriefPage.objects.live().count() >= 6
    assert stories.values("section").distinct().count() >= 4
    assert StoryPage.objects.values("community").distinct().count() >= 6
    for page in StoryPage.objects.live():
        assert page.lead_image_id and page.lead_image.description
        assert page.bylines.exists()
        assert page.tags.exists()
    # Readers can find demo stories in Chinese.
    from news.search import search_ids

    assert search_ids(StoryPage.objects.live(), "零工")
