"""Canteen admin: canteens (with price tiers), dishes and set meals, weekly menus and their meal
slots, diners (with family links), bookings and deliveries (read-only but their notes and
volunteer), and feedback per dish.

Meal slots, diners, booking notes and delivery volunteers are saved through ``canteen.services``
(portions through core.capacity; an audit entry through core.audit, as from the pages and the API):
their create and edit views hand the validated form's object to the service instead of saving it.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from canteen import services
from canteen.models import (
    Booking,
    Canteen,
    Delivery,
    Diner,
    Dish,
    Feedback,
    MealSlot,
    Menu,
    SetMeal,
)
from core.audit import register_action


@hooks.register("register_log_actions")
def register_canteen_actions(actions):
    register_action(actions, "canteen.change", _("Booking changed"), _("Changed a meal booking"))
    register_action(actions, "canteen.payment", _("Payment recorded"), _("Recorded a payment"))
    register_action(actions, "canteen.assign", _("Delivery assigned"), _("Assigned a delivery volunteer"))
    register_action(actions, "canteen.delivery", _("Delivery recorded"), _("Recorded a delivery"))
    register_action(actions, "canteen.welfare_alert", _("Welfare alert opened"), _("Opened a welfare alert"))
    register_action(actions, "canteen.welfare_alert_outcome", _("Welfare alert closed"),
                    _("Recorded the outcome of a welfare alert"))


class NoAddPermissionPolicy(ModelPermissionPolicy):
    """Nobody, not even a superuser, adds bookings or deliveries in the admin: the form has no
    slot and claims no portions (it failed with a database error). The console, pages and API
    make them through canteen.services."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(Booking, NoAddPermissionPolicy(Booking), exact_class=True)
register_permission_policy(Delivery, NoAddPermissionPolicy(Delivery), exact_class=True)


def index_view_joining(*related):
    """An index view whose rows come with what the listing shows (one query, not one per row).
    Wagtail 8's ModelViewSet has no ``get_queryset(request)`` hook; the view's base queryset is it."""

    class IndexView(generic.IndexView):
        def get_base_queryset(self):
            return super().get_base_queryset().select_related(*related)

    return IndexView


class ProtectedDeleteView(generic.DeleteView):
    """Bookings protect what they refer to (dish, set meal, diner, slot, menu, canteen): the
    reference index does not know every such link, so deleting one failed with a ProtectedError.
    Say why instead."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("Cannot delete “%(object)s”: meal bookings refer to it.")
                           % {"object": self.object})
            return redirect(reverse(self.index_url_name))


class CanteenViewSet(ModelViewSet):
    model = Canteen
    delete_view_class = ProtectedDeleteView
    icon = "home"
    menu_label = _("Canteens")
    list_display = ["name", "community", "address", "hotline", "is_active"]
    list_filter = ["community", "is_active"]
    search_fields = ["name", "address"]
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("slug"), FieldPanel("community"), FieldPanel("operator"),
                         FieldPanel("address"), FieldPanel("hours"), FieldPanel("hotline"), FieldPanel("intro"),
                         FieldPanel("is_active")], heading=_("Canteen")),
        MultiFieldPanel([FieldPanel("delivery_communities", widget=forms.CheckboxSelectMultiple),
                         FieldPanel("delivery_buildings")], heading=_("Delivery area")),
        MultiFieldPanel([FieldRowPanel([FieldPanel("lunch_cutoff"), FieldPanel("dinner_cutoff")]),
                         FieldPanel("default_portions"), FieldPanel("subsidised_portions")],
                        heading=_("Bookings")),
        InlinePanel("price_tiers", heading=_("Price tiers"), label=_("price tier"), panels=[
            FieldPanel("name"), FieldRowPanel([FieldPanel("min_age"), FieldPanel("max_age")]),
            FieldPanel("special_group"), FieldRowPanel([FieldPanel("kind"), FieldPanel("value")]),
            FieldPanel("all_portions"),
        ]),
    ]


class DishViewSet(ModelViewSet):
    model = Dish
    delete_view_class = ProtectedDeleteView
    icon = "pick"
    menu_label = _("Dishes")
    list_display = ["name", "description", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "description"]
    list_export = ["name", "description", "dietary_tags", "allergens", "is_active"]
    form_fields = ["name", "photo", "description", "dietary_tags", "allergens", "is_active"]


class SetMealViewSet(ModelViewSet):
    model = SetMeal
    delete_view_class = ProtectedDeleteView
    icon = "list-ul"
    menu_label = _("Set meals")
    list_display = ["name", "description"]
    search_fields = ["name"]
    panels = [FieldPanel("name"), FieldPanel("description"),
              FieldPanel("dishes", widget=forms.CheckboxSelectMultiple)]


class MenuViewSet(ModelViewSet):
    model = Menu
    delete_view_class = ProtectedDeleteView
    index_view_class = index_view_joining("canteen")
    icon = "date"
    menu_label = _("Weekly menus")
    list_display = ["__str__", "canteen", "week_start", "is_published"]
    list_filter = ["canteen", "is_published"]
    form_fields = ["canteen", "week_start", "note", "is_published"]


class MealSlotForm(WagtailAdminModelForm):
    """Portions live in a ``core.models.Capacity`` row; the form edits them through core.capacity,
    which refuses to shrink below the portions already booked."""

    portions = forms.IntegerField(label=_("Portions"), min_value=0, max_value=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cutoff_at"].required = False
        self.fields["cutoff_at"].help_text = _("Empty: the canteen's usual cut-off on that day.")
        if self.instance.pk:
            self.fields["portions"].initial = self.instance.capacity.total

    def clean(self):
        cleaned = super().clean()
        portions = cleaned.get("portions")
        if self.instance.pk and portions is not None and portions < self.instance.capacity.taken:
            raise ValidationError({"portions": _("%(taken)s portions are already booked.")
                                   % {"taken": self.instance.capacity.taken}})
        date = cleaned.get("date")
        if self.instance.pk and "date" in self.changed_data and "cutoff_at" not in self.changed_data:
            # Moved to another day: the cut-off moves with it (recomputed in save()).
            cleaned["cutoff_at"] = None
        cutoff = cleaned.get("cutoff_at")
        if date and cutoff and timezone.localdate(cutoff) > date:
            raise ValidationError({"cutoff_at": _("The cut-off cannot be later than the day of the meal.")})
        menu = cleaned.get("menu")
        if menu and cleaned.get("date") and not (0 <= (cleaned["date"] - menu.week_start).days < 7):
            raise ValidationError({"date": _("The date must fall in the menu's week.")})
        if menu and cleaned.get("date") and cleaned.get("meal"):
            clash = MealSlot.objects.filter(canteen=menu.canteen, date=cleaned["date"], meal=cleaned["meal"])
            if clash.exclude(pk=self.instance.pk).exists():
                raise ValidationError(_("This canteen already has this meal on that day."))
        return cleaned

    def is_valid(self):
        valid = super().is_valid()
        formset = self.formsets.get("items")
        if valid and formset is not None:
            # A booked item cannot go (its booking lines protect it): say so rather than fail.
            booked = [f.instance for f in formset.deleted_forms if f.instance.pk and f.instance.booking_lines.exists()]
            for item in booked:
                self.add_error(None, _("“%(item)s” has been booked already and stays on this meal; change its "
                                       "price or close the meal instead.") % {"item": item.name})
            valid = not booked
        return valid



def saved_by(service):
    """Create and edit views whose form is saved by ``service(user, form)``, which writes the
    audit entry (Wagtail's own "created"/"edited" entry would be a second, poorer copy)."""

    class Save:
        def save_instance(self):
            return service(self.request.user, self.form)

    class CreateView(Save, generic.CreateView):
        pass

    class EditView(Save, generic.EditView):
        pass

    return CreateView, EditView


def _save_slot(user, form):
    # commit=False: the items stay in memory and are saved with the slot, inside the service.
    return services.save_slot(user, form.save(commit=False), portions=form.cleaned_data["portions"])


def _save_diner(user, form):
    return services.save_diner(user, form.save(commit=False))


def _annotate_booking(user, form):
    return services.annotate(user, form.instance, notes=form.cleaned_data["notes"])


def _assign_volunteer(user, form):
    delivery = form.instance
    services.assign_delivery(user, [delivery.pk], form.cleaned_data["volunteer"], via="admin")
    delivery.refresh_from_db()
    return delivery


class MealSlotViewSet(ModelViewSet):
    model = MealSlot
    add_view_class, edit_view_class = saved_by(_save_slot)
    delete_view_class = ProtectedDeleteView
    index_view_class = index_view_joining("canteen", "capacity")
    icon = "time"
    menu_label = _("Meal slots")
    list_display = ["__str__", "date", "meal", "status", "capacity"]
    list_filter = ["canteen", "meal", "status", "date"]
    search_fields = ["canteen__name", "note"]
    edit_handler = ObjectList([
        FieldPanel("menu"), FieldRowPanel([FieldPanel("date"), FieldPanel("meal")]),
        FieldRowPanel([FieldPanel("portions"), FieldPanel("cutoff_at")]), FieldPanel("status"), FieldPanel("note"),
        InlinePanel("items", heading=_("Menu items"), label=_("menu item"), panels=[
            FieldPanel("set_meal"), FieldPanel("dish"), FieldPanel("price"), FieldPanel("sort_order"),
        ]),
    ], base_form_class=MealSlotForm)


class DinerViewSet(ModelViewSet):
    model = Diner
    add_view_class, edit_view_class = saved_by(_save_diner)
    delete_view_class = ProtectedDeleteView
    index_view_class = index_view_joining("community")
    icon = "user"
    menu_label = _("Diners")
    list_display = ["name", "initials", "community", "building", "lives_alone", "needs_delivery"]
    list_filter = ["community", "lives_alone", "needs_delivery", "special_group"]
    search_fields = ["name", "initials", "phone"]
    list_export = ["name", "phone", "birth_year", "special_group", "community", "building", "address",
                   "lives_alone", "needs_delivery", "emergency_contact_name", "emergency_contact_phone"]
    panels = [
        MultiFieldPanel([FieldPanel("name"), FieldPanel("user"), FieldPanel("phone"), FieldPanel("birth_year"),
                         FieldPanel("special_group"), FieldPanel("lives_alone")], heading=_("Diner")),
        MultiFieldPanel([FieldPanel("needs_delivery"), FieldPanel("community"), FieldPanel("building"),
                         FieldPanel("address"), FieldPanel("delivery_notes")], heading=_("Delivery")),
        MultiFieldPanel([FieldPanel("dietary_needs"), FieldPanel("allergies"), FieldPanel("dietary_notes")],
                        heading=_("Diet")),
        MultiFieldPanel([FieldPanel("emergency_contact_name"), FieldPanel("emergency_contact_phone")],
                        heading=_("Emergency contact")),
        InlinePanel("links", heading=_("Family who may book"), label=_("family member"),
                    panels=[FieldPanel("user"), FieldPanel("relation")]),
    ]


class BookingViewSet(ModelViewSet):
    """Read-only in the admin: bookings change through the console, pages and API (capacity, audit)."""

    model = Booking
    edit_view_class = saved_by(_annotate_booking)[1]
    index_view_class = index_view_joining("slot__canteen", "diner", "booked_by")
    icon = "form"
    # Bookings reference nothing an editor needs a "usage" count for; indexing them would add
    # seven queries to every booking.
    add_to_reference_index = False
    menu_label = _("Bookings")
    inspect_view_enabled = True
    list_display = ["__str__", "portions", "mode", "tier", "payable", "status", "channel", "created_at"]
    list_filter = ["slot__canteen", "status", "mode", "channel", "tier", "slot__date"]
    search_fields = ["diner__name", "group_name", "notes"]
    list_export = ["slot", "who", "portions", "mode", "tier", "list_price", "subsidy", "payable", "paid_amount",
                   "payment_method", "status", "channel", "booked_by", "created_at"]
    form_fields = ["notes"]


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    edit_view_class = saved_by(_assign_volunteer)[1]
    index_view_class = index_view_joining("booking__slot__canteen", "booking__diner", "volunteer")
    icon = "site"
    add_to_reference_index = False
    menu_label = _("Deliveries")
    inspect_view_enabled = True
    list_display = ["booking", "volunteer", "status", "recorded_at"]
    list_filter = ["status", "booking__slot__canteen", "booking__slot__date"]
    search_fields = ["booking__diner__name", "note"]
    list_export = ["booking", "volunteer", "status", "note", "recorded_at"]
    form_fields = ["volunteer"]


class FeedbackViewSet(ModelViewSet):
    model = Feedback
    index_view_class = index_view_joining("dish", "canteen")
    icon = "comment"
    add_to_reference_index = False
    menu_label = _("Feedback")
    inspect_view_enabled = True
    list_display = ["dish", "canteen", "rating", "text", "created_at"]
    list_filter = ["dish", "canteen", "rating", "created_at"]
    search_fields = ["text"]
    list_export = ["dish", "canteen", "rating", "text", "created_at"]
    form_fields = ["dish", "canteen", "rating", "text"]


class CanteenViewSetGroup(ModelViewSetGroup):
    menu_label = _("Canteen")
    menu_icon = "home"
    menu_order = 240
    items = (CanteenViewSet("canteen_canteens"), DishViewSet("canteen_dishes"), SetMealViewSet("canteen_set_meals"),
             MenuViewSet("canteen_menus"), MealSlotViewSet("canteen_meal_slots"), DinerViewSet("canteen_diners"),
             BookingViewSet("canteen_bookings"), DeliveryViewSet("canteen_deliveries"), FeedbackViewSet("canteen_feedback"))


@hooks.register("register_admin_viewset")
def register_canteen_viewsets():
    return CanteenViewSetGroup()
