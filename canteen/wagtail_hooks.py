from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_canteen_actions(actions):
    actions.register_action("canteen.change", _("Booking changed"), _("Changed a meal booking"))
    actions.register_action("canteen.payment", _("Payment recorded"), _("Recorded a payment"))
    actions.register_action("canteen.assign", _("Delivery assigned"), _("Assigned a delivery volunteer"))
    actions.register_action("canteen.delivery", _("Delivery recorded"), _("Recorded a delivery"))
