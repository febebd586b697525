from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from news.models import Author, Section


class SectionViewSet(SnippetViewSet):
    model = Section
    icon = "folder-open-1"
    menu_label = _("Sections")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name", "slug"]
    ordering = ["sort_order", "name"]


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    menu_label = _("Authors")
    list_display = ["name", "default_role", "affiliation"]
    list_filter = ["default_role"]
    search_fields = ["name", "affiliation"]
    list_export = ["name", "default_role", "affiliation", "bio"]


class NewsSnippetGroup(SnippetViewSetGroup):
    items = (SectionViewSet, AuthorViewSet)
    menu_icon = "doc-full"
    menu_label = _("Newsroom")
    menu_name = "newsroom"
    menu_order = 250


register_snippet(NewsSnippetGroup)
