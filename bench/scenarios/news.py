"""News scenarios: 1,000 stories (with lead images, bylines and tags); the API story listing,
filtered and searched listings, the rendered story index and a story page.

Listings and pages are served from caches keyed by the published-news version (one small
query per request), which is the design: they are invalidated whenever an editor publishes,
unpublishes or changes something a listing shows.
"""

import datetime
from urllib.parse import quote

STORIES = 1000
IMAGES = 20

_SCENARIOS = [
    ("news: API story listing (20 of 1,000)", "/api/v3/news/stories/?limit=20"),
    ("news: API listing by section and month", "/api/v3/news/stories/?section=bench&month=2026-10&limit=20"),
    ("news: API search 驿站", "/api/v3/news/stories/?search=" + quote("驿站") + "&limit=20"),
    ("news: API story detail", "/api/v3/news/stories/{story}/"),
    ("news: story index page", "/news/"),
    ("news: story index page, filtered", "/news/?section=bench&page=3"),
    ("news: story page", "/news/bench-story-1/"),
]

BODY = ("<p>{n}号稿件：青石街道零工驿站今天接待骑手和快递员，志愿者在社区食堂旁边的公益课堂讲解"
        "电动车安全。荷花社区的网格员把居民的需求记了下来。</p>")


def setup(stdout):
    from django.db import transaction

    from core.models import Community
    from news.demo import IMAGES as DEMO_IMAGES
    from news.demo import get_image
    from news.images import all_specs
    from news.models import Author, Byline, NewsIndexPage, Section, StoryPage
    from news.services import ensure_newsroom

    index = ensure_newsroom() or NewsIndexPage.objects.order_by("path").first()
    have = StoryPage.objects.filter(slug__startswith="bench-story-").count()
    if have >= STORIES:
        stdout.write(f"news: {have} bench stories already there\n")
        return
    section, _ = Section.objects.get_or_create(slug="bench", defaults={"name": "压测栏目"})
    other, _ = Section.objects.get_or_create(slug="bench-other", defaults={"name": "压测栏目二"})
    authors = [Author.objects.get_or_create(name=f"压测记者{i}")[0] for i in range(10)]
    communities = list(Community.objects.all()[:6]) or [
        Community.objects.get_or_create(code="hehua", defaults={"name": "荷花社区"})[0]]
    keys = list(DEMO_IMAGES)
    images = [get_image(keys[i % len(keys)]) for i in range(min(IMAGES, len(keys)))]
    for image in images:
        image.get_renditions(*all_specs())

    start = datetime.date(2026, 11, 28)
    for n in range(have, STORIES):
        with transaction.atomic():
            page = StoryPage(
                title=f"压测稿件{n}：社区里的新鲜事", slug=f"bench-story-{n}", kicker="压测",
                standfirst="这是一篇用于性能测试的稿件。", date=start - datetime.timedelta(days=n % 120),
                section=section if n % 3 else other, community=communities[n % len(communities)],
                lead_image=images[n % len(images)], lead_image_caption="压测配图", lead_image_credit="压测",
                body=[("paragraph", BODY.format(n=n))], live=True,
            )
            page.bylines.add(Byline(author=authors[n % 10], role="reporter", sort_order=0))
            page.bylines.add(Byline(author=authors[(n + 3) % 10], role="photographer", sort_order=1))
            page.tags.add("压测", f"标签{n % 25}", f"话题{n % 7}")
            index.add_child(instance=page)
        if n % 200 == 0:
            stdout.write(f"news: {n} bench stories\n")
    stdout.write(f"news: {StoryPage.objects.count()} stories in total\n")


def _story_id():
    from news.models import StoryPage

    return StoryPage.objects.filter(slug="bench-story-1").values_list("pk", flat=True).first() or 0


def SCENARIOS():  # noqa: N802 -- the harness reads SCENARIOS; a function so the id is known
    return [(name, path.format(story=_story_id()) if "{story}" in path else path)
            for name, path in _SCENARIOS]
