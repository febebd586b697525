"""Forms of the gig station's member pages (input only: the rules are in services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Community
from gigs.models import Category, Employer, JobNeed, NeedFlag, PayUnit, Weekday, WorkerProfile


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _skills(text):
    return [part.strip() for part in (text or "").replace("，", ",").replace("、", ",").split(",") if part.strip()]


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=80)
    category = forms.ChoiceField(label=_("Occupation"), required=False)
    community = forms.ChoiceField(label=_("Community"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All occupations"))] + list(Category.choices)
        self.fields["community"].choices = [("", _("All communities"))] + [
            (c.code, c.name) for c in Community.objects.only("code", "name")]


class ProfileForm(forms.ModelForm):
    skills = forms.CharField(label=_("Skills"), required=False, max_length=300,
                             help_text=_("Separate with commas, e.g. 分拣, 搬运, 送餐"))
    weekdays = forms.MultipleChoiceField(label=_("Days I can work"), required=False, choices=Weekday.choices,
                                         widget=forms.CheckboxSelectMultiple)
    available_from = forms.TimeField(label=_("From"), required=False, widget=TimeInput())
    available_until = forms.TimeField(label=_("Until"), required=False, widget=TimeInput(),
                                      help_text=_("Earlier than the start means past midnight."))

    class Meta:
        model = WorkerProfile
        fields = ["has_health_certificate", "has_ebike_licence", "birth_year", "communities", "max_distance_km",
                  "min_pay_amount", "min_pay_unit", "latitude", "longitude", "searchable", "subscribed",
                  "subscribe_min_score"]
        widgets = {"communities": forms.CheckboxSelectMultiple}

    field_order = ["skills", "weekdays", "available_from", "available_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        profile = self.instance
        if profile.pk:
            self.fields["skills"].initial = ", ".join(profile.skill_names())
            slots = profile.availability or []
            self.fields["weekdays"].initial = [str(s["weekday"]) for s in slots]
            if slots:
                self.fields["available_from"].initial = slots[0]["start"]
                self.fields["available_until"].initial = slots[0]["end"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("weekdays") and not (cleaned.get("available_from") and cleaned.get("available_until")):
            raise forms.ValidationError(_("Give the times you can work on the days you ticked."))
        return cleaned

    def service_fields(self):
        data = dict(self.cleaned_data)
        weekdays = data.pop("weekdays", [])
        start, end = data.pop("available_from", None), data.pop("available_until", None)
        skills = _skills(data.pop("skills", ""))
        communities = list(data.pop("communities", []))
        data["availability"] = [{"weekday": int(day), "start": f"{start:%H:%M}", "end": f"{end:%H:%M}"}
                                for day in weekdays] if start and end else []
        return skills, communities, data


class EmployerForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who is hiring"), choices=Employer.Kind.choices, widget=forms.RadioSelect,
                             initial=Employer.Kind.ENTERPRISE)
    name = forms.CharField(label=_("Name of the enterprise, or your own name"), max_length=120)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=30, required=False,
                                  help_text=_("18 characters, on the business licence. Enterprises only."))
    licence = forms.ImageField(label=_("Photo of the business licence"), required=False)
    contact_name = forms.CharField(label=_("Contact person"), max_length=40)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    community = forms.ModelChoiceField(label=_("Community"), queryset=Community.objects.all(), required=False)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Employer.Kind.ENTERPRISE and not cleaned.get("credit_code"):
            self.add_error("credit_code", _("An enterprise gives its unified social credit code."))
        return cleaned


class NeedForm(forms.ModelForm):
    skills = forms.CharField(label=_("Skills"), required=False, max_length=300,
                             help_text=_("Separate with commas, e.g. 分拣, 搬运"))

    class Meta:
        model = JobNeed
        fields = ["title", "category", "description", "headcount", "pay_amount", "pay_unit", "settlement",
                  "start_date", "end_date", "shift_start", "shift_end", "address", "community", "latitude",
                  "longitude", "requires_health_certificate", "requires_ebike_licence", "min_age", "max_age",
                  "deadline"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "shift_start": TimeInput(),
                   "shift_end": TimeInput(), "deadline": DateTimeLocalInput(),
                   "description": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["skills"].initial = ", ".join(self.instance.skill_names())
        self.fields["pay_unit"].choices = PayUnit.choices

    def service_fields(self):
        data = dict(self.cleaned_data)
        skills = _skills(data.pop("skills", ""))
        community = data.pop("community", None)
        data["community_id"] = community.pk if community else None
        return skills, data


class FlagForm(forms.Form):
    reason = forms.ChoiceField(label=_("What is wrong"), choices=NeedFlag.Reason.choices, widget=forms.RadioSelect)
    detail = forms.CharField(label=_("What happened (optional)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class WorkForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=DateInput())
    hours = forms.DecimalField(label=_("Hours"), required=False, min_value=0.5, max_value=16, decimal_places=1)
    pieces = forms.IntegerField(label=_("Pieces"), required=False, min_value=0, max_value=100000)

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("hours") is None) == (cleaned.get("pieces") is None):
            raise forms.ValidationError(_("Give either the hours or the pieces."))
        return cleaned


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(label=_("Stars"), coerce=int, choices=[(n, str(n)) for n in range(5, 0, -1)],
                                   widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=300)
