"""How news objects are represented, for the pages, Wagtail's pages API and the news API alike:
sections, communities, bylines, tags, lead images and the schema.org NewsArticle. Plain
functions of the objects given, with no query of their own beyond prefetched relations, so the
models can use them without importing anything above them."""

from core.text import local_iso as _iso
from news.images import SIZES, absolute, image_data, renditions


def section_dict(section):
    if section is None:
        return None
    return {"id": section.pk, "name": section.name, "slug": section.slug}


def community_dict(community):
    if community is None:
        return None
    return {"id": community.pk, "name": community.name, "code": community.code}


def byline_dicts(bylines):
    return [
        {
            "author": {"id": b.author.pk, "name": b.author.name, "affiliation": b.author.affiliation},
            "role": b.role,
            "role_label": str(b.get_role_display()),
        }
        for b in bylines
    ]


def story_tags(story):
    """Tags in a stable order, from the prefetch when there is one."""
    if story.pk and "tagged_items" in getattr(story, "_prefetched_objects_cache", {}):
        return [item.tag for item in story.tagged_items.all()]
    return sorted(story.tags.all(), key=lambda t: t.name)


def tag_dicts(story):
    return [{"name": t.name, "slug": t.slug} for t in story_tags(story)]


def lead_image_dict(story, request=None):
    return image_data(story.lead_image, request, alt=story.lead_image_alt,
                      caption=story.lead_image_caption, credit=story.lead_image_credit)


def page_url(page, request):
    try:
        return absolute(page.get_url(request) or "", request)
    except Exception:  # an unsaved draft in preview has no place in the tree yet
        return ""


def story_jsonld(story, request=None):
    """schema.org NewsArticle for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title[:110],
        "datePublished": _iso(story.first_published_at) or story.date.isoformat(),
        "dateModified": _iso(story.last_published_at or story.first_published_at) or story.date.isoformat(),
        "mainEntityOfPage": story.get_full_url(request) if story.pk else "",
        "description": story.standfirst or story.search_description,
        "author": [{"@type": "Person", "name": b.author.name} for b in story.byline_list],
        "keywords": [t.name for t in story_tags(story)],
    }
    if story.section_id:
        data["articleSection"] = story.section.name
    found = renditions(story.lead_image, SIZES["full"]) if story.lead_image_id else None
    if found:
        data["image"] = [absolute(found[SIZES["full"]].url, request)]
    if story.community_id:
        data["contentLocation"] = {"@type": "Place", "name": story.community.name}
    return data
