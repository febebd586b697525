from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Role

CANTEEN_STAFF = "Canteen staff"

_MODELS = ("canteen", "dish", "setmeal", "menu", "mealslot", "pricetier", "diner", "dinerlink",
           "booking", "delivery", "feedback")
_DELETABLE = ("dish", "setmeal", "pricetier", "dinerlink", "feedback")


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
    member_export = "canteen.queries.export_member_data"
    roles = (
        # Bookings, slots and deliveries change only through canteen.services (capacity and
        # audit), so staff get no delete permission on them in the admin.
        Role(CANTEEN_STAFF, _("Canteen staff: menus, phone bookings, kitchen and delivery"), (
            "wagtailadmin.access_admin", "members.view_user",
            *(f"canteen.{action}_{model}" for model in _MODELS for action in ("add", "change", "view")
              if not (action == "add" and model in ("booking", "delivery"))),
            *(f"canteen.delete_{model}" for model in _DELETABLE),
        )),
    )

    def ready(self):
        super().ready()
        from canteen import signals

        signals.connect_images()
