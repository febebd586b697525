from django.utils.translation import gettext_lazy as _

from core.plugins import PluginConfig, Role, Searchable
from volunteers.roles import COORDINATORS


class VolunteersConfig(PluginConfig):
    name = "volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")
    title = _("Volunteer service")
    description = _("Volunteer opportunities and shifts: sign up, check in by QR, your hours and certificates.")
    api_router = "volunteers.api.routes.router"
    urls = "volunteers.urls"
    main_url_name = "volunteers:index"
    demo = "volunteers.demo.seed"
    searchables = (Searchable("volunteers.OpportunityPage", _("Volunteer opportunities"), summary="summary"),)
    member_export = "volunteers.services.export_member_data"
    notices = "volunteers.notices.NOTICES"
    figures = "volunteers.figures.figures"
    roles = (
        Role(COORDINATORS, _("Volunteer coordinators: shifts and rosters, check-in, approve hours, certificates"), (
            "wagtailadmin.access_admin", "members.view_user",
            "volunteers.view_volunteerprofile", "volunteers.view_signup", "volunteers.check_in_signup",
            "volunteers.view_hoursentry", "volunteers.approve_hoursentry",
            "volunteers.view_team", "volunteers.add_team", "volunteers.change_team",
            "volunteers.view_certificate", "volunteers.view_correction",
        )),
    )

    # What makes volunteers' cached answers stale (core.cache wires it). "volunteers": the
    # listing (page and API) with places left: opportunity pages, shifts, sign-ups, skills,
    # communities, images. "volunteers.hours": the leaderboard: hours entries and profiles (names
    # and consent); a volunteer without a profile is listed masked, so an account rename can wait
    # for the entry's time limit rather than bump on every login's save.
    cache_invalidation = {
        "volunteers": ("volunteers.OpportunityPage", "volunteers.OpportunityIndexPage", "volunteers.Shift",
                       "volunteers.SignUp", "volunteers.TaggedOpportunitySkill", "taggit.Tag", "core.Community",
                       "wagtailimages.Image"),
        "volunteers.hours": ("volunteers.HoursEntry", "volunteers.VolunteerProfile"),
        # The office's figures (core.figures keeps them).
        "volunteers.figures": ("volunteers.HoursEntry", "volunteers.HoursOutput", "volunteers.OpportunityOutput"),
    }

    def ready(self):
        super().ready()
        from core import credits
        from volunteers import services, signals  # noqa: F401

        credits.register(services.record_credit)
