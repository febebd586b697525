from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from members.models import Organisation


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    menu_order = 310
    add_to_admin_menu = True
    list_display = ["name", "kind", "status", "community", "verified_at"]
    list_filter = ["kind", "status", "community"]
    search_fields = ["name", "address", "credit_code"]
    list_export = ["name", "kind", "status", "credit_code", "address", "verified_at"]


register_snippet(OrganisationViewSet)
