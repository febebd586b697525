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
    # a set holds), and the dishes' photos. Portions are never cached.
    cache_invalidation = {
        "canteen.menus": ("canteen.MenuItem", "canteen.Dish", "canteen.SetMeal", "wagtailimages.Image"),
        # The office's figures (core.figures keeps them).
        "canteen.figures": ("canteen.Canteen", "canteen.MealSlot", "canteen.Booking", "canteen.Delivery", "canteen.WelfareAlert"),
    }
