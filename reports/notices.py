"""The notices reports sends (core.notices): to reporters, and to grid workers."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

NOTICES = (
    # To the reporter (and those who said "me too").
    Notice("reports.submitted", params=("id", "category", "deadline"), description=_("reporter: report received"),
           text=_("We received your report #%(id)s (%(category)s). An answer is due by %(deadline)s.")),
    Notice("reports.status", params=("id", "category", "status"), description=_("reporter: work order updated"),
           text=_("Your report #%(id)s (%(category)s) is now: %(status)s.")),
    Notice("reports.resolved", params=("id", "category", "note"), description=_("reporter: resolved"),
           text=_("Your report #%(id)s (%(category)s) is resolved: %(note)s")),
    Notice("reports.rejected", params=("id", "reason"), description=_("reporter: not taken up"),
           text=_("Your report #%(id)s was not taken up: %(reason)s")),
    Notice("reports.merged", params=("id", "other"), description=_("reporter: merged into another report"),
           text=_("Your report #%(id)s is the same as report #%(other)s; you will hear how that one goes.")),
    # To grid workers.
    Notice("reports.new_work_order", params=("id", "community", "category", "where", "deadline"),
           description=_("grid workers: a new work order in their community"),
           text=_("New work order #%(id)s in %(community)s: %(category)s, %(where)s. Due %(deadline)s.")),
    Notice("reports.dispatched", params=("id", "category", "deadline"), description=_("grid worker: a work order is theirs"),
           text=_("Work order #%(id)s (%(category)s) is yours. Due %(deadline)s.")),
    Notice("reports.reopened", params=("id", "reason"), description=_("grid worker: the reporter reopened a work order"),
           text=_("Work order #%(id)s was reopened by its reporter: %(reason)s")),
    Notice("reports.escalated", params=("id", "category", "days", "deadline", "level"),
           description=_("grid workers and the command centre: a work order is overdue"),
           text=_("Work order #%(id)s (%(category)s) is %(days)s working day(s) past its deadline "
                  "of %(deadline)s: %(level)s.")),
)
