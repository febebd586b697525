from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig
from gigs.roles import ROLES


class GigsConfig(PluginConfig):
    name = "gigs"
    label = "gigs"
    verbose_name = _("Gig station")
    title = _("Gig station")
    description = _("Short-term and day-paid work near you from verified employers: matched to your skills and "
                    "hours, with both sides confirming the work done.")
    api_router = "gigs.api.router"
    urls = "gigs.urls"
    main_url_name = "gigs:index"
    demo = "gigs.demo.seed"
    member_export = "gigs.queries.export_member_data"
    member_home = "gigs.queries.member_home"
    roles = ROLES
    notices = "gigs.notices.NOTICES"
    figures = "gigs.figures.FIGURES"
    cache_invalidation = {
        # What makes the office's figures of this plugin stale (core.cache; core.figures keeps them).
        "gigs.figures": ("gigs.JobNeed", "gigs.Application", "gigs.Consultation", "gigs.ConsultationSlot"),
        # The public board (API listing): any change to what a card shows makes it stale: needs,
        # their skills, employers (a suspension hides theirs), hires (places left).
        "gigs": ("gigs.JobNeed", "gigs.TaggedNeedSkill", "gigs.Employer", "gigs.Application", "core.Community",
                 "taggit.Tag"),
    }

    def ready(self):
        super().ready()
        from gigs import signals  # noqa: F401
