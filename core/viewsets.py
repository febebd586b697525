"""Admin viewsets shared by plugins."""

from django import forms
from wagtail.admin.viewsets.model import ModelViewSet


class ReadOnlyViewSet(ModelViewSet):
    """A listing (search, filters, export, inspect, history) for staff, with no add or edit
    views: every change to these rows is a service call elsewhere (which locks, re-checks and
    audits), never a model form."""

    add_to_reference_index = False
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        # No add or edit views are routed (see get_urlpatterns); Wagtail still asks for a form.
        return forms.modelform_factory(self.model, fields=[])

    def get_urlpatterns(self):
        return [p for p in super().get_urlpatterns()
                if p.name in ("index", "index_results", "inspect", "history", "history_results")]
