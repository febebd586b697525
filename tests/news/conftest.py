import io
import itertools

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage

_counter = itertools.count(1)


def make_image(title="测试图片", color=(180, 60, 40), size=(1200, 800), description=""):
    from wagtail.images.models import Image

    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "JPEG")
    n = next(_counter)
    return Image.objects.create(title=title, description=description,
                                file=ImageFile(buf, name=f"news-test-{n}.jpg"))


@pytest.fixture
def news_index(db):
    from news.models import NewsIndexPage
    from news.services import ensure_newsroom

    return ensure_newsroom() or NewsIndexPage.objects.first()


@pytest.fixture
def section(db):
    from news.models import Section

    return Section.objects.get_or_create(slug="community", defaults={"name": "社区故事"})[0]


@pytest.fixture
def author(db):
    from news.models import Author

    return Author.objects.create(name="周晓岚", affiliation="青石街道融媒体中心")


@pytest.fixture
def make_story(news_index, section):
    """make_story(title=..., body_text=..., tags=[...], authors=[...], publish=True, brief=False)"""
    from news.models import BriefPage, Byline, StoryPage

    def make(title="一则新闻", body_text="", tags=(), authors=(), publish=True, brief=False,
             image=True, parent=None, **fields):
        model = BriefPage if brief else StoryPage
        fields.setdefault("section", section)
        page = model(title=title, **fields)
        if body_text and not brief:
            page.body = [("paragraph", f"<p>{body_text}</p>")]
        if image is True:
            page.lead_image = make_image(title=f"{title}配图", description=f"{title}的现场照片")
            page.lead_image_caption = "现场照片"
            page.lead_image_credit = "街道融媒体中心"
        elif image:
            page.lead_image = image
        for i, a in enumerate(authors):
            page.bylines.add(Byline(author=a, role="reporter", sort_order=i))
        if tags:
            page.tags.add(*tags)
        (parent or news_index).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
            page.refresh_from_db()
        else:
            page.unpublish() if page.live else None
        return page

    return make


# --- a logged-in client per role -------------------------------------------------------------

@pytest.fixture
def editor_client(db, news_index):
    """A client logged in as a newsroom editor (writes and submits; ``.user`` is who)."""
    from tests.factories import logged_in_client, staff_user

    return logged_in_client(staff_user("Editors"))


@pytest.fixture
def moderator_client(db, news_index):
    """A client logged in as a moderator (reviews and publishes; ``.user`` is who)."""
    from tests.factories import logged_in_client, staff_user

    return logged_in_client(staff_user("Moderators"))
