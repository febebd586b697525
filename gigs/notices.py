"""The notices the gig station sends (core.notices): to workers, and to employers' staff."""

from django.utils.translation import gettext_lazy as _

from core.notices import Notice

_GIGS = _("Gig station")
_OFFICER = _("Gig station: waiting for an officer")


def _notice(kind, params, text, description):
    return Notice(f"gigs.{kind}", params=params, text=text, subject=_GIGS, description=description)


NOTICES = (
    # To employers.
    _notice("employer_verify", ("name",), _("%(name)s is verified by the gig station. You can now post job needs."),
            _("employer: verified")),
    _notice("employer_reject", ("name", "reason"), _("%(name)s was not verified by the gig station: %(reason)s"),
            _("employer: not verified")),
    _notice("employer_suspend", ("name", "reason"),
            _("%(name)s is suspended by the gig station, and its needs are hidden: %(reason)s"),
            _("employer: suspended")),
    _notice("need_open", ("title",), _("Your need “%(title)s” is open: workers can apply now."),
            _("employer: a need was approved")),
    _notice("need_returned", ("title", "reason"), _("Your need “%(title)s” was sent back: %(reason)s"),
            _("employer: a need was sent back")),
    _notice("need_closed_by_officer", ("title", "reason"), _("The gig station closed your need “%(title)s”: %(reason)s"),
            _("employer: an officer closed a need")),
    _notice("applied", ("worker", "title"), _("%(worker)s applied for “%(title)s”."), _("employer: a worker applied")),
    _notice("withdrawn", ("worker", "title"), _("%(worker)s withdrew from “%(title)s”."),
            _("employer: a worker withdrew")),
    _notice("match_pushed_employer", ("worker", "title", "score"),
            _("The gig station suggests %(worker)s for “%(title)s” (%(score)s points)."),
            _("employer: the gig station suggests a worker")),
    _notice("matches_pushed_employer", ("title", "count", "names"),
            _("The gig station suggested “%(title)s” to %(count)s workers who suit it: %(names)s. They may apply soon."),
            _("employer: the gig station sent a need to the workers who suit it")),
    _notice("employer_staff", ("name",),
            _("You can now act for %(name)s at the gig station: post its needs and answer its applicants."),
            _("a member was made one of an employer's staff")),
    # To workers.
    _notice("new_need", ("score", "title", "pay", "reasons"),
            _("A new job for you (%(score)s points): %(title)s, %(pay)s. %(reasons)s"),
            _("worker: a new need matches their subscription")),
    _notice("match_pushed", ("title", "pay", "reasons"),
            _("The gig station suggests “%(title)s” for you (%(pay)s): %(reasons)s"),
            _("worker: the gig station suggests a need")),
    _notice("shortlisted", ("employer", "title"), _("%(employer)s shortlisted you for “%(title)s” and can now call you."),
            _("worker: shortlisted")),
    _notice("interview", ("employer", "title"), _("%(employer)s would like to meet you about “%(title)s”."),
            _("worker: invited to an interview")),
    _notice("offered", ("employer", "title", "pay", "dates", "shift"),
            _("%(employer)s offers you “%(title)s”, %(pay)s, %(dates)s %(shift)s."), _("worker: offered the job")),
    _notice("hired", ("title", "dates", "shift", "address"),
            _("You are hired for “%(title)s”: %(dates)s %(shift)s at %(address)s."), _("worker: hired")),
    _notice("completed", ("title", "employer"), _("“%(title)s” is completed. You can rate %(employer)s now."),
            _("worker: the job is completed")),
    _notice("declined", ("employer", "title"), _("%(employer)s did not take your application for “%(title)s”."),
            _("worker: not taken")),
    _notice("no_show", ("employer", "title"),
            _("%(employer)s recorded that you did not come for “%(title)s”. Call the gig station if this is wrong."),
            _("worker: recorded as not having come")),
    _notice("consultation_booked", ("topic", "when", "place"),
            _("Your %(topic)s at the gig station is booked: %(when)s, %(place)s."),
            _("a guidance session is booked")),
    # To both sides of a work record.
    _notice("work_recorded", ("who", "amount", "date", "title"),
            _("%(who)s recorded %(amount)s on %(date)s for “%(title)s”. Confirm or dispute it within 48 hours."),
            _("a day's work was recorded by the other side")),
    _notice("work_disputed", ("date", "title"),
            _("The record of %(date)s for “%(title)s” is disputed; a gig-station officer will settle it."),
            _("a work record is disputed")),
    _notice("dispute_resolved", ("date", "title", "amount", "why"),
            _("The gig station settled the record of %(date)s for “%(title)s”: %(amount)s. %(why)s"),
            _("an officer settled a disputed work record")),
    # To the gig-station officers (e-mail when they have an address): something waits for them.
    Notice("gigs.flag_received", params=("title", "employer", "reason", "link"), subject=_OFFICER,
           description=_("officers: a need was flagged"),
           text=_("The job need “%(title)s” of %(employer)s was flagged: %(reason)s. Open items: %(link)s")),
    Notice("gigs.dispute_received", params=("who", "date", "title", "worker", "employer", "reason", "link"),
           subject=_OFFICER, description=_("officers: a work record was disputed"),
           text=_("%(who)s disputed the record of %(date)s for “%(title)s” (%(worker)s at %(employer)s): "
                  "%(reason)s Open items: %(link)s")),
)
