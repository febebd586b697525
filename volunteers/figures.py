"""Volunteers' live figures for the office (core.figures contract), from the approved hours only,
by the month the service began and the community it was for.

Outputs (leaflets handed out, bags of rubbish, households visited) are whatever the office asks
each opportunity to count (OpportunityOutput): one figure per kind of output, named by its label
and unit, so a new kind of output is counted without a code change.
"""

from functools import partial

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.figures import bounds, grouped, scaled
from core.plugins import Figure
from volunteers.models import HoursEntry, HoursOutput, OpportunityOutput

#: The core.cache namespace whose bump makes these figures stale (declared in apps.py).
NAMESPACES = ("volunteers.figures",)


def figure(*args, **kwargs):
    return Figure(*args, namespaces=NAMESPACES, **kwargs)


def _approved(start, end):
    low, high = bounds(start, end)
    return HoursEntry.objects.filter(status=HoursEntry.Status.APPROVED, start__gte=low, start__lt=high)


def active_volunteers(start, end):
    return grouped(_approved(start, end), when="start", start=start, end=end, community="community_id",
                   value=Count("member", distinct=True), additive=False)


def approved_hours(start, end):
    return scaled(grouped(_approved(start, end), when="start", start=start, end=end, community="community_id", value=Sum("minutes")), 60)


def output_quantity(label, start, end):
    low, high = bounds(start, end)
    outputs = HoursOutput.objects.filter(label=label, entry__status=HoursEntry.Status.APPROVED,
                                         entry__start__gte=low, entry__start__lt=high)
    return grouped(outputs, when="entry__start", start=start, end=end, community="entry__community_id", value=Sum("quantity"))


STATIC = (
    figure("volunteers.active", pgettext_lazy("figure", "Active volunteers"), pgettext_lazy("unit", "people"),
           _("Different volunteers with approved hours for service begun in the month."),
           active_volunteers, additive=False),
    figure("volunteers.hours", pgettext_lazy("figure", "Approved volunteer hours"), pgettext_lazy("unit", "hours"),
           _("Hours approved by a coordinator (shifts, self-reports and service credited by other "
             "services), by the month the service began."), approved_hours, decimals=1),
)


def figures():
    """The two fixed figures, then one per kind of output the opportunities count (one query)."""
    kinds = (OpportunityOutput.objects.order_by("label").values_list("label", "unit").distinct())
    seen, outputs = set(), []
    for label, unit in kinds:
        if label in seen:
            continue
        seen.add(label)
        outputs.append(figure(
            f"volunteers.output.{label}", label, unit,
            _("Counted by volunteers at check-out or in a self-report, on approved hours only."),
            partial(output_quantity, label)))
    return (*STATIC, *outputs)
