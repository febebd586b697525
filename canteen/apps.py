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
    # What makes the office's figures of this plugin stale (core.cache; core.figures keeps them).
    cache_invalidation = {"canteen.figures": ("canteen.Canteen", "canteen.MealSlot", "canteen.Booking", "canteen.Delivery", "canteen.WelfareAlert")}
    figures = "canteen.figures.FIGURES"

    def ready(self):
        super().ready()
        from canteen import signals

        signals.connect_images()
