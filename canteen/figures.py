"""The canteen's live figures for the office (core.figures contract), by the month of the meal and
the community of the canteen that cooked it.

A meal counts as served once its day has come (today's included) and its booking stands; a
cancelled booking never counts. Subsidy is what the server-side price gave off the list price:
the street office pays it to the canteen.
"""

from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from canteen.models import Booking, Delivery, WelfareAlert
from core.figures import bounds, grouped
from core.plugins import Figure

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("canteen.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


COMMUNITY = "slot__canteen__community_id"


def _served(start, end):
    today = timezone.localdate()
    return Booking.objects.filter(status=Booking.Status.CONFIRMED, slot__date__gte=start, slot__date__lt=end,
                                  slot__date__lte=today)


def meals_served(start, end):
    return grouped(_served(start, end), when="slot__date", start=start, end=end, community=COMMUNITY, value=Sum("portions"))


def meals_delivered(start, end):
    delivered = Delivery.objects.filter(status=Delivery.Status.DELIVERED, booking__slot__date__gte=start,
                                        booking__slot__date__lt=end)
    return grouped(delivered, when="booking__slot__date", start=start, end=end, community="booking__" + COMMUNITY,
                   value=Sum("booking__portions"))


def subsidy_paid(start, end):
    return grouped(_served(start, end), when="slot__date", start=start, end=end, community=COMMUNITY, value=Sum("subsidy"))


def elders_served(start, end):
    return grouped(_served(start, end).filter(diner__isnull=False), when="slot__date", start=start, end=end, community=COMMUNITY,
                   value=Count("diner", distinct=True), additive=False)


def welfare_alerts(start, end):
    low, high = bounds(start, end)
    alerts = WelfareAlert.objects.filter(opened_at__gte=low, opened_at__lt=high)
    return grouped(alerts, when="opened_at", start=start, end=end, community="delivery__booking__" + COMMUNITY)


FIGURES = (
    figure("canteen.meals_served", pgettext_lazy("figure", "Meals served"), pgettext_lazy("unit", "portions"),
           _("Portions of standing bookings on days that have come, eaten in, picked up or delivered."),
           meals_served),
    figure("canteen.meals_delivered", pgettext_lazy("figure", "Meals delivered"), pgettext_lazy("unit", "portions"),
           _("Portions brought to the door and recorded as delivered by the delivery volunteer."),
           meals_delivered),
    figure("canteen.subsidy_paid", pgettext_lazy("figure", "Meal subsidy"), pgettext_lazy("unit", "yuan"),
           _("What the price tiers took off the list price of the meals served (age, subsistence "
             "allowance, hardship, disability): the street office's subsidy to its canteens."),
           subsidy_paid, decimals=2),
    figure("canteen.elders_served", pgettext_lazy("figure", "Elders served"), pgettext_lazy("unit", "people"),
           _("Different registered diners with at least one meal in the month (group bookings "
             "without a named diner are not counted)."), elders_served, additive=False),
    figure("canteen.welfare_alerts", pgettext_lazy("figure", "Welfare alerts"), pgettext_lazy("unit", "alerts"),
           _("Deliveries where nobody answered the door, so the family and the grid workers were "
             "told, by the day the alert was opened."), welfare_alerts),
)
