"""The canteen's staff role, declared in CanteenConfig.roles (core creates the group after
migrate). Kept apart from apps.py so that queries and services name it without importing the app
config."""

from django.utils.translation import gettext_lazy as _

from core.plugins import Role

CANTEEN_STAFF = "Canteen staff"

_MODELS = ("canteen", "dish", "setmeal", "menu", "mealslot", "pricetier", "diner", "dinerlink",
           "booking", "delivery", "feedback")
_DELETABLE = ("dish", "setmeal", "pricetier", "dinerlink", "feedback")

ROLES = (
    # Bookings, slots and deliveries change only through canteen.services (capacity and
    # audit), so staff get no delete permission on them in the admin.
    Role(CANTEEN_STAFF, _("Canteen staff: menus, phone bookings, kitchen and delivery"), (
        "wagtailadmin.access_admin", "members.view_user",
        *(f"canteen.{action}_{model}" for model in _MODELS for action in ("add", "change", "view")
          if not (action == "add" and model in ("booking", "delivery"))),
        *(f"canteen.delete_{model}" for model in _DELETABLE),
    )),
)
