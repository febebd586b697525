from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_program_actions(actions):
    actions.register_action("programs.register", _("Registered"), _("Registered for a program"))
    actions.register_action("programs.on_behalf", _("Registered on behalf"), _("Registered someone else"))
    actions.register_action("programs.cancel", _("Registration cancelled"), _("Cancelled a registration"))
    actions.register_action("programs.promote", _("Promoted from waiting list"), _("Moved up from the waiting list"))
    actions.register_action("programs.approve", _("Registration approved"), _("Approved a registration"))
    actions.register_action("programs.check_in", _("Checked in"), _("Checked someone in"))
