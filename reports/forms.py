"""Forms of the member and grid-worker pages. They only parse input: services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import Community
from reports.models import Question, Status


class ReportForm(forms.Form):
    """A report of one category: its own questions are added as fields ``q_<code>``."""

    description = forms.CharField(label=_("What is the problem?"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label=_("Photo"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("Location and camera details are removed from the photo before it is kept."))
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    lng = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180,
                           widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}))
    address = forms.CharField(label=_("Address or landmark"), max_length=200, required=False)
    community = forms.ModelChoiceField(label=_("Community"), required=False, queryset=Community.objects.all(),
                                       to_field_name="code", empty_label=_("Find it from the location"))
    anonymous = forms.BooleanField(label=_("Do not show my name, even to staff"), required=False)
    photo_ids = forms.CharField(required=False, widget=forms.HiddenInput)
    confirm_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, category, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        if category.photo_required:
            self.fields["photo"].label = _("Photo (required)")
        if not category.allow_anonymous:
            del self.fields["anonymous"]
        for question in category.questions.all():
            self.fields[f"q_{question.code}"] = self._field(question)

    @staticmethod
    def _field(question):
        common = {"label": question.label, "required": question.required, "help_text": question.help_text}
        kind = Question.Datatype
        if question.datatype == kind.TEXT:
            return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=500, **common)
        if question.datatype == kind.NUMBER:
            return forms.DecimalField(**common)
        if question.datatype == kind.DATETIME:
            return forms.DateTimeField(widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), **common)
        if question.datatype == kind.SINGLE:
            return forms.ChoiceField(choices=question.choice_list(), widget=forms.RadioSelect, **common)
        if question.datatype == kind.MULTI:
            return forms.MultipleChoiceField(choices=question.choice_list(), widget=forms.CheckboxSelectMultiple, **common)
        return forms.CharField(max_length=500, **common)

    def answers(self):
        out = {}
        for question in self.category.questions.all():
            value = self.cleaned_data.get(f"q_{question.code}")
            if value in (None, "", []):
                continue
            if question.datatype == Question.Datatype.DATETIME:
                value = value.isoformat()
            elif question.datatype == Question.Datatype.NUMBER:
                value = str(value)
            out[question.code] = value
        return out

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith("q_")]

    def photo_id_list(self):
        return [int(v) for v in (self.cleaned_data.get("photo_ids") or "").split(",") if v.strip().isdigit()][:6]


class ResolveForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    public_note = forms.CharField(label=_("Answer for the reporter and the public"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}),
                                  help_text=_("Leave empty to use the note above."))
    photo = forms.FileField(label=_("Photo of the result"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/*", "capture": "environment"}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ListFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    community = forms.ModelChoiceField(label=_("Community"), required=False, queryset=Community.objects.all(),
                                       to_field_name="code", empty_label=_("All"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), ("open", _("Open")), ("closed", pgettext_lazy("work orders", "Done"))] + list(Status.choices))

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All"))] + [(c.code, c.name) for c in categories]
