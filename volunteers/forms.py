"""Forms of the member and staff pages (input only: the rules are in services)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Community
from volunteers.models import VolunteerProfile


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class FilterForm(forms.Form):
    community = forms.ChoiceField(label=_("Community"), required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].choices = [("", _("All communities"))] + [
            (c.code, c.name) for c in Community.objects.only("code", "name")]


class SelfReportForm(forms.Form):
    activity = forms.CharField(label=_("What did you do?"), max_length=200, min_length=2)
    start = forms.DateTimeField(label=_("From"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("Until"), widget=DateTimeLocalInput())
    evidence = forms.ImageField(label=_("Photo as evidence (optional)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    start = forms.DateTimeField(label=_("Correct start"), widget=DateTimeLocalInput())
    end = forms.DateTimeField(label=_("Correct end"), widget=DateTimeLocalInput())
    reason = forms.CharField(label=_("Why?"), max_length=300, min_length=2)


class CertificateForm(forms.Form):
    period_start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = forms.DateField(label=_("Until"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["period_start"].initial = today.replace(month=1, day=1)
        self.fields["period_end"].initial = today


class ProfileForm(forms.ModelForm):
    skills = forms.CharField(label=_("Skills"), required=False, max_length=300,
                             help_text=_("Separate with commas, e.g. first aid, sign language, driving"))

    class Meta:
        model = VolunteerProfile
        fields = ["real_name", "volunteer_number", "id_number", "communities", "emergency_contact_name",
                  "emergency_contact_phone", "leaderboard_consent"]
        widgets = {"communities": forms.CheckboxSelectMultiple}


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Volunteer's code"), max_length=40, min_length=4,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
