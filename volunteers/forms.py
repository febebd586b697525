"""Forms of the member and staff pages (input only: the rules are in services)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Community
from volunteers.models import (
    AVAILABILITY_MAX_SLOTS,
    VolunteerProfile,
    Weekday,
    availability_problem,
)


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


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class AvailabilityForm(forms.Form):
    """One time slot a volunteer can usually help: a weekday, from, until. All three or none."""

    weekday = forms.TypedChoiceField(label=_("Day"), required=False, coerce=int, empty_value=None,
                                     choices=[("", _("(none)"))] + list(Weekday.choices))
    start = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeInput())

    def clean(self):
        data = super().clean()
        given = [data.get(name) is not None for name in ("weekday", "start", "end")]
        if any(given) and not all(given):
            raise ValidationError(_("Give the day, the start and the end, or leave all three empty."))
        return data

    def slot(self):
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("weekday") is None:
            return None
        return {"weekday": data["weekday"], "start": f"{data['start']:%H:%M}", "end": f"{data['end']:%H:%M}"}


class BaseAvailabilityFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        problem = availability_problem(self.slots())
        if problem:
            raise ValidationError(problem)

    def slots(self):
        return [slot for slot in (form.slot() for form in self.forms) if slot]


#: The profile page's availability: the slots kept, and two empty rows to add more.
AvailabilityFormSet = forms.formset_factory(AvailabilityForm, formset=BaseAvailabilityFormSet, extra=2,
                                            max_num=AVAILABILITY_MAX_SLOTS, absolute_max=AVAILABILITY_MAX_SLOTS,
                                            validate_max=True)


def availability_formset(profile, data=None):
    initial = [{"weekday": slot["weekday"], "start": slot["start"], "end": slot["end"]}
               for slot in profile.availability_slots()]
    return AvailabilityFormSet(data, initial=initial, prefix="availability")


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Volunteer's code"), max_length=40, min_length=4,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}))
