"""Read-side querysets shared by the API, the member pages and the feed."""

from django.db.models import Exists, F, Max, Min, OuterRef, Prefetch, Q
from django.utils import timezone

from programs.models import Audience, ProgramPage, Session

#: WebP: smaller, and Pillow writes it without the fileno() call that makes Wagtail leak a
#: rolled-over temporary file per JPEG rendition.
COVER_FILTER = "fill-640x360|format-webp"


def program_queryset(now=None):
    """Live, public programs with everything a listing shows, in a fixed number of queries."""
    from wagtail.images import get_image_model

    now = now or timezone.now()
    images = get_image_model().objects.prefetch_renditions(COVER_FILTER)
    return (
        ProgramPage.objects.live().public()
        .select_related("organiser", "community", "location_page")
        .prefetch_related(
            Prefetch("cover_image", queryset=images),
            Prefetch("sessions", queryset=Session.objects.select_related("capacity").order_by("start", "pk")),
            "partners",
        )
        .annotate(
            next_start=Min("sessions__start", filter=Q(sessions__end__gt=now)),
            last_start=Max("sessions__start"),
        )
    )


def filter_programs(queryset, *, kind=None, audience=None, community=None, on=None, past=False, q=None):
    if kind:
        queryset = queryset.filter(kind=kind)
    if audience:
        queryset = queryset.filter(Q(audience=audience) | Q(audience=Audience.EVERYONE))
    if community:
        queryset = queryset.filter(Q(community__code=community) | Q(community__isnull=True))
    if on:
        queryset = queryset.filter(Exists(Session.objects.filter(program=OuterRef("pk"), start__date=on)))
    if q:
        queryset = queryset.filter(Q(title__icontains=q) | Q(summary__icontains=q))
    if not past:
        queryset = queryset.filter(next_start__isnull=False)
    return queryset.order_by(F("next_start").asc(nulls_last=True), F("last_start").desc(nulls_last=True), "pk")


def upcoming_sessions(limit=200):
    """Sessions of live, unrestricted programs that have not ended, soonest first (for the feed)."""
    public = ProgramPage.objects.live().public().values("pk")
    return (Session.objects.filter(end__gt=timezone.now(), program__in=public)
            .select_related("program", "program__location_page").order_by("start")[:limit])


def member_registrations(user):
    """A member's registrations, newest first, with what the API and the member pages show
    (sessions, places, the page a program's place links to) in a fixed number of queries."""
    from programs.models import Registration

    return (Registration.objects.filter(member=user)
            .select_related("program", "program__location_page", "session", "session__capacity", "session__program",
                            "session__program__location_page")
            .order_by("-created_at", "-pk"))
