"""The notices canteen sends (core.notices). The welfare alerts are urgent: they skip quiet
hours and the rate limit."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

NOTICES = (
    Notice("canteen.booked", params=("canteen", "meal", "date", "name", "mode", "payable", "cutoff"),
           subject=_("Meal booked"), description=_("a meal is booked"),
           text=_("%(canteen)s: %(meal)s on %(date)s is booked for %(name)s (%(mode)s), to pay ¥%(payable)s. "
                  "Change or cancel by %(cutoff)s.")),
    Notice("canteen.no_answer_family", params=("canteen", "meal", "name", "time"), urgent=True,
           subject=_("Meal delivery: no answer"),
           description=_("welfare alert to the emergency contact and family: nobody answered the door"),
           text=_("%(canteen)s: nobody answered the door when %(meal)s was brought to %(name)s at %(time)s. "
                  "Please check on them or call the canteen.")),
    Notice("canteen.no_answer_staff", params=("time", "name", "address", "contact", "contact_phone"), urgent=True,
           subject=_("Meal delivery: no answer"),
           description=_("welfare alert to the community's grid workers: nobody answered the door"),
           text=_("No answer at %(time)s when a meal was delivered to %(name)s, %(address)s. Emergency "
                  "contact: %(contact)s %(contact_phone)s. Please follow up.")),
)
