from django import forms
from django.utils.translation import gettext_lazy as _

from canteen.models import Booking, Diner
from canteen.services import MAX_PORTIONS_PER_BOOKING, MAX_PORTIONS_PER_GROUP, SELF_SERVICE_FIELDS


class DinerSelect(forms.Select):
    """The diner choice, each option saying whether the diner's address is in the delivery area
    and whether they need delivery: canteen/book.js warns as soon as a diner is chosen (the form
    checks it again on submit, with or without JavaScript)."""

    def __init__(self, *args, diners=(), outside=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.diners = {d.pk: d for d in diners}
        self.outside = set(outside)

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        diner = self.diners.get(value)
        if diner is not None:
            option["attrs"]["data-outside"] = "1" if diner.pk in self.outside else "0"
            option["attrs"]["data-needs-delivery"] = "1" if diner.needs_delivery else "0"
        return option


def delivery_area_text(canteen) -> str:
    """"荷花社区、桂园社区（3栋、5栋）": the communities and, if the canteen names them, the buildings."""
    communities = "、".join(c.name for c in canteen.delivery_communities.all()) or str(_("nowhere yet"))
    buildings = canteen.building_list()
    return f"{communities}（{'、'.join(buildings)}）" if buildings else communities


class BookingForm(forms.Form):
    """Quantities per menu item of a slot, the diner (self or a linked one), mode and notes.

    Home delivery is said before it is chosen: the mode's help names the delivery area, a diner
    outside it is named up front, delivery is preselected for a diner who needs it (and lives in
    the area), and choosing delivery for a diner outside the area is a field error on submit."""

    diner = forms.TypedChoiceField(label=_("Who is eating"), coerce=int)
    mode = forms.ChoiceField(label=_("How"), choices=Booking.Mode.choices, widget=forms.RadioSelect,
                             initial=Booking.Mode.DINE_IN)
    notes = forms.CharField(label=_("Notes for the kitchen"), max_length=200, required=False)

    def __init__(self, *args, slot, diners, booking=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.slot = slot
        canteen = slot.canteen
        self.diners = {d.pk: d for d in diners}
        #: Diners whose address is outside the delivery area (or who have none): no delivery.
        self.outside = {d.pk for d in diners if not d.address or not canteen.delivers_to(d.community_id, d.building)}
        self.delivery_area = delivery_area_text(canteen)
        # The widget first: setting a field's choices hands them to its widget, so a widget set
        # afterwards rendered an empty select (a family member could not choose who eats).
        self.fields["diner"].widget = DinerSelect(diners=diners, outside=self.outside)
        self.fields["diner"].choices = [(d.pk, d.name) for d in diners]
        if booking is not None and not booking.diner_id:
            # A group booking (staff): no diner to choose, and a group's portions per item.
            del self.fields["diner"]
        elif len(diners) == 1 or booking is not None:
            self.fields["diner"].widget = forms.HiddenInput()
            self.fields["diner"].initial = booking.diner_id if booking else diners[0].pk
        first = booking.diner if booking is not None and booking.diner_id else (diners[0] if diners else None)
        if booking is None and first is not None and first.needs_delivery and first.pk not in self.outside:
            self.fields["mode"].initial = Booking.Mode.DELIVERY
        help_text = _("Home delivery goes to: %(area)s.") % {"area": self.delivery_area}
        outside_names = [self.diners[pk].name for pk in sorted(self.outside)]
        if outside_names and (booking is None or booking.diner_id):
            help_text += " " + _("Outside it, so no home delivery: %(names)s.") % {"names": "、".join(outside_names)}
        self.fields["mode"].help_text = help_text
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
        diner_id = cleaned.get("diner", self.fields["diner"].initial if "diner" in self.fields else None)
        if cleaned.get("mode") == Booking.Mode.DELIVERY and diner_id in self.outside:
            diner = self.diners[diner_id]
            message = (_("%(name)s has no delivery address yet: choose dine in or pick up.") if not diner.address else
                       _("%(name)s's address (%(address)s) is outside the delivery area (%(area)s): choose dine in "
                         "or pick up."))
            self.add_error("mode", message % {"name": diner.name, "address": diner.address, "area": self.delivery_area})
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
