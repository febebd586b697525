"""Factories for every news model: the newsroom index, stories and briefs (published through a
revision, as editors publish them), sections, authors, bylines, tags and headless previews."""

import io

import factory
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from news.models import Author, BriefPage, Byline, NewsIndexPage, NewsPreview, Section, StoryPage


class ImageFactory(factory.django.DjangoModelFactory):
    """A Wagtail image with a real JPEG behind it (renditions are made from it)."""

    class Meta:
        model = "wagtailimages.Image"

    title = factory.Sequence(lambda n: f"社区活动照片{n}")
    description = factory.LazyAttribute(lambda o: f"{o.title}的现场照片")
    file = factory.LazyAttribute(lambda o: _jpeg(o.title))


def _jpeg(title, size=(1200, 800), color=(180, 60, 40)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, color).save(buffer, "JPEG")
    return ImageFile(buffer, name=f"news-{abs(hash(title)) % 10**8}.jpg")


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"社区故事{n}")
    slug = factory.Sequence(lambda n: f"community-{n}")


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author

    name = factory.Sequence(lambda n: f"记者{n}")
    affiliation = "青石街道融媒体中心"


class NewsIndexPageFactory(factory.Factory):
    """The newsroom as every migrate leaves it (services.ensure_newsroom)."""

    class Meta:
        model = NewsIndexPage

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from news.services import ensure_newsroom

        return ensure_newsroom() or NewsIndexPage.objects.first()


class StoryPageFactory(factory.Factory):
    """A story under the newsroom, published through a revision unless ``publish=False``;
    ``authors`` become ordered bylines, ``tags`` its tags."""

    class Meta:
        model = StoryPage

    title = factory.Sequence(lambda n: f"社区新闻{n}")
    standfirst = "荷花社区为独居老人上门送餐。"
    section = factory.SubFactory(SectionFactory)
    lead_image = factory.SubFactory(ImageFactory)
    lead_image_caption = "现场照片"
    lead_image_credit = "街道融媒体中心"

    @classmethod
    def _create(cls, model_class, *args, publish=True, authors=(), tags=(), body_text="", parent=None, **kwargs):
        page = model_class(**kwargs)
        if body_text and model_class is StoryPage:
            page.body = [("paragraph", f"<p>{body_text}</p>")]
        for position, author in enumerate(authors):
            page.bylines.add(Byline(author=author, role=author.default_role, sort_order=position))
        if tags:
            page.tags.add(*tags)
        (parent or NewsIndexPageFactory()).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        elif page.live:
            page.unpublish()
        return model_class.objects.get(pk=page.pk)


class BriefPageFactory(StoryPageFactory):
    class Meta:
        model = BriefPage

    title = factory.Sequence(lambda n: f"图片快讯{n}")


class BylineFactory(factory.Factory):
    """A byline added to a story's latest revision and published, as the editor adds one."""

    class Meta:
        model = Byline

    page = factory.SubFactory(StoryPageFactory)
    author = factory.SubFactory(AuthorFactory)
    role = Author.Role.PHOTOGRAPHER

    @classmethod
    def _create(cls, model_class, *args, page, author, role, **kwargs):
        page = StoryPage.objects.get(pk=page.pk)
        page.bylines.add(model_class(author=author, role=role, sort_order=len(page.byline_list)))
        page.save_revision().publish()
        return Byline.objects.get(page=page, author=author)


class NewsPreviewFactory(factory.Factory):
    """A draft shared for headless preview (NewsPreview.store, as the editor's preview does)."""

    class Meta:
        model = NewsPreview

    page = factory.SubFactory(StoryPageFactory, publish=False)

    @classmethod
    def _create(cls, model_class, *args, page, **kwargs):
        return NewsPreview.store(StoryPage.objects.get(pk=page.pk).get_latest_revision_as_object())
