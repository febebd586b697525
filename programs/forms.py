"""Forms of the member and staff pages (the admin's live in wagtail_hooks.py)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.models import Community
from programs.models import Audience, Kind


class FilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("All kinds"))] + list(Kind.choices))
    audience = forms.ChoiceField(label=gettext_lazy("For"), required=False,
                                 choices=[("", gettext_lazy("Everyone"))] + [c for c in Audience.choices if c[0] != "everyone"])
    community = forms.ChoiceField(label=gettext_lazy("Community"), required=False)
    date = forms.DateField(label=gettext_lazy("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("All communities"))] + [
            (c.code, c.name) for c in Community.objects.only("code", "name")]

    def filters(self):
        """The reader's filters, as :func:`programs.queries.filter_programs` takes them."""
        cleaned = self.cleaned_data if self.is_valid() else {}
        return {"kind": cleaned.get("kind") or None, "audience": cleaned.get("audience") or None,
                "community": cleaned.get("community") or None, "on": cleaned.get("date")}


class CheckInForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Check-in code"), max_length=40,
                           help_text=gettext_lazy("Scan the member's QR code or type the code, e.g. R12-ABCD2345."),
                           widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                         "autocapitalize": "characters", "inputmode": "text"}))


class WalkInForm(forms.Form):
    phone = forms.RegexField(label=gettext_lazy("Phone"), regex=r"^\+?\d{6,15}$", max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    display_name = forms.CharField(label=gettext_lazy("Name (for someone without an account)"), max_length=60,
                                   required=False)
