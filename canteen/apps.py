from django.utils.translation import gettext_lazy as _

from canteen.roles import ROLES
from core.plugins import PluginConfig, Searchable


class CanteenConfig(PluginConfig):
    name = "canteen"
    label = "canteen"
    verbose_name = _("Community canteen")
    title = _("Community canteen")
    description = _("Weekly menus, meal bookings and home delivery for elderly residents")
    api_router = "canteen.api.router"
    urls = "canteen.urls"
    main_url_name = "canteen:index"
    demo = "canteen.demo.seed"
    searchables = (Searchable("canteen.Canteen", _("Canteens"), public="canteen.queries.canteens", summary="address"),)
    member_export = "canteen.queries.export_member_data"
    roles = ROLES
    notices = "canteen.notices.NOTICES"
    figures = "canteen.figures.FIGURES"
    # What makes the cached menus (each slot's serialised items, canteen.menus) stale (core.cache
    # wires it): items added, changed or removed, their dishes and set meals (and which dishes
    # a set holds), and the dishes' photos.
    # The public slot listing and weekly menu (whole answers, canteen.slots) show all that and
    # the canteen, its menu and slots, and the portions left: every booking, change and
    # cancellation saves its Booking row (services also mark it stale where they claim or
    # release), a resize saves the Capacity row. Cut-offs passing end an entry (core.cache.expires_at).
    # The production sheet (canteen.sheets) counts the bookings and lines of a slot and shows
    # its diners' dietary needs.
    cache_invalidation = {
        "canteen.menus": ("canteen.MenuItem", "canteen.Dish", "canteen.SetMeal", "wagtailimages.Image"),
        "canteen.slots": ("canteen.Canteen", "canteen.Menu", "canteen.MealSlot", "canteen.MenuItem", "canteen.Dish",
                          "canteen.SetMeal", "wagtailimages.Image", "canteen.Booking", "core.Capacity",
                          "core.Community", "members.Organisation"),
        "canteen.sheets": ("canteen.MealSlot", "canteen.MenuItem", "canteen.Dish", "canteen.SetMeal",
                           "canteen.Booking", "canteen.BookingLine", "canteen.Diner"),
        # The office's figures (core.figures keeps them).
        "canteen.figures": ("canteen.Canteen", "canteen.MealSlot", "canteen.Booking", "canteen.Delivery", "canteen.WelfareAlert"),
    }
