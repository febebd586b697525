from django import forms
from django.utils.translation import gettext_lazy as _

from canteen.models import Booking, Diner
from canteen.services import MAX_PORTIONS_PER_BOOKING, MAX_PORTIONS_PER_GROUP, SELF_SERVICE_FIELDS


class BookingForm(forms.Form):
    """Quantities per menu item of a slot, the diner (self or a linked one), mode and notes."""

    diner = forms.TypedChoiceField(label=_("Who is eating"), coerce=int)
    mode = forms.ChoiceField(label=_("How"), choices=Booking.Mode.choices, widget=forms.RadioSelect,
                             initial=Booking.Mode.DINE_IN)
    notes = forms.CharField(label=_("Notes for the kitchen"), max_length=200, required=False)

    def __init__(self, *args, slot, diners, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot
        self.fields["diner"].choices = [(d.pk, d.name) for d in diners]
        if booking is not None and not booking.diner_id:
            # A group booking (staff): no diner to choose, and a group's portions per item.
            del self.fields["diner"]
        elif len(diners) == 1 or booking is not None:
            self.fields["diner"].widget = forms.HiddenInput()
            self.fields["diner"].initial = booking.diner_id if booking else diners[0].pk
        most = MAX_PORTIONS_PER_GROUP if booking is not None and booking.group_name else MAX_PORTIONS_PER_BOOKING
        current = {line.item_id: line.quantity for line in booking.lines.all()} if booking else {}
        if booking:
            self.fields["mode"].initial = booking.mode
            self.fields["notes"].initial = booking.notes
        self.item_fields = []
        for item in slot.items.all():
            name = f"item_{item.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{item.name}（¥{item.price}）", min_value=0, max_value=most, required=False,
                initial=current.get(item.pk, 0),
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "qty"}),
            )
            self.item_fields.append((item, name))

    def items(self):
        return [(item.pk, self.cleaned_data.get(name) or 0) for item, name in self.item_fields
                if self.cleaned_data.get(name)]

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(name) for _item, name in self.item_fields):
            raise forms.ValidationError(_("Choose at least one dish or set meal."))
        return cleaned


class ConsoleSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, phone or pinyin initials"), max_length=40, required=False,
                        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off",
                                                      "placeholder": "zgy / 张桂 / 1111"}))


class FeedbackForm(forms.Form):
    """A rating and/or a suggestion, signed with one of ``diners`` (the first unless another is chosen)."""

    diner = forms.TypedChoiceField(label=_("From"), coerce=int, required=False, empty_value=None)
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, required=False, empty_value=None,
                                    choices=[("", "—")] + [(n, "★" * n) for n in range(5, 0, -1)])
    text = forms.CharField(label=_("Suggestion"), max_length=1000, required=False, widget=forms.Textarea(
        attrs={"rows": 3}))

    def __init__(self, *args, diners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.diners = {d.pk: d for d in diners}
        self.fields["diner"].choices = [(d.pk, d.name) for d in diners]
        if diners:
            self.fields["diner"].initial = diners[0].pk
        if len(diners) < 2:
            self.fields["diner"].widget = forms.HiddenInput()

    def chosen_diner(self):
        return self.diners.get(self.cleaned_data.get("diner")) or next(iter(self.diners.values()), None)


class DinerSelfServiceForm(forms.ModelForm):
    class Meta:
        model = Diner
        fields = list(SELF_SERVICE_FIELDS)
