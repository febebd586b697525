"""What goes in and out of /api/v3/programs/ (Ninja schemas); the operations are in routes.py.

Resolvers read through :mod:`programs.queries` and name other operations by their url names,
never by a written path, so moving the API moves every link with it.
"""

import datetime as dt
from datetime import datetime

from ninja import Field, Schema

from core import images
from core.api import CommunityRef, api_url, choice_of
from core.text import local_iso
from members.models import User
from programs import queries
from programs.models import Audience, Kind, Registration
from programs.queries import COVER_FILTER


def page_path(page):
    """The page's path on its site, from Wagtail's cached site root paths: Page.get_url() costs a
    Site lookup per request (measured at ~7 ms of a registration's ~30 ms)."""
    from wagtail.models import Site

    for root in Site.get_site_root_paths():
        if page.url_path.startswith(root.root_path):
            return page.url_path[len(root.root_path) - 1:]
    return None


class Ref(Schema):
    id: int
    name: str


class CoverOut(Schema):
    url: str
    width: int
    height: int
    alt: str


class SessionOut(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    place: str
    places: int
    remaining: int

    @staticmethod
    def resolve_start(obj):
        return local_iso(obj.start)

    @staticmethod
    def resolve_end(obj):
        return local_iso(obj.end)

    @staticmethod
    def resolve_place(obj):
        return obj.place_text()


class ProgramOut(Schema):
    id: int
    title: str
    slug: str
    url: str | None
    kind: str
    kind_label: str
    audience: str
    summary: str
    community: CommunityRef | None
    organiser: Ref | None
    partners: list[Ref]
    location: str
    cover: CoverOut | None
    enrolment: str
    registration: str = Field(description="not_yet, open or closed")
    approval_required: bool
    waitlist_enabled: bool
    next_session: SessionOut | None
    sessions_count: int
    remaining_places: int

    @staticmethod
    def resolve_url(obj, context):
        return page_path(obj)

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_partners(obj):
        return list(obj.partners.all())

    @staticmethod
    def resolve_location(obj):
        return obj.location_text()

    @staticmethod
    def resolve_cover(obj, context):
        image = obj.cover_image
        rendition = images.rendition(image, COVER_FILTER)  # None too when the file is missing
        if rendition is None:
            return None
        return {"url": context["request"].build_absolute_uri(rendition.url), "width": rendition.width,
                "height": rendition.height, "alt": image.default_alt_text or image.title}

    @staticmethod
    def resolve_registration(obj):
        return obj.registration_state()

    @staticmethod
    def resolve_next_session(obj):
        upcoming = obj.upcoming_sessions()
        return upcoming[0] if upcoming else None

    @staticmethod
    def resolve_sessions_count(obj):
        return len(obj.session_list)

    @staticmethod
    def resolve_remaining_places(obj):
        return obj.remaining_places()


class ProgramDetailOut(ProgramOut):
    description: list
    eligible_kinds: list[str]
    per_member_limit: int
    registration_opens: datetime | None
    registration_closes: datetime | None
    sessions: list[SessionOut]
    no_show_rate: float | None = None

    @staticmethod
    def resolve_description(obj, context):
        return obj.description.stream_block.get_api_representation(obj.description, context)

    @staticmethod
    def resolve_sessions(obj):
        return obj.session_list

    @staticmethod
    def resolve_registration_opens(obj):
        return local_iso(obj.registration_opens)

    @staticmethod
    def resolve_registration_closes(obj):
        return local_iso(obj.registration_closes)


class ProgramFilter(Schema):
    kind: choice_of(Kind) | None = None
    audience: choice_of(Audience) | None = None
    community: str | None = Field(None, max_length=30, description="community code")
    date: dt.date | None = Field(None, description="programs with a session on this day (Asia/Shanghai)")
    q: str | None = Field(None, max_length=60)
    past: bool = Field(False, description="include programs whose sessions have all ended (after upcoming ones)")


class ProgramBrief(Schema):
    id: int
    title: str
    url: str | None

    @staticmethod
    def resolve_url(obj, context):
        return page_path(obj)


class RegistrationOut(Schema):
    id: int
    program: ProgramBrief
    session: SessionOut | None
    status: str
    status_label: str
    position: int | None
    channel: str
    created_at: datetime
    check_in_code: str
    qr_svg_url: str
    ics_url: str
    certificate_url: str | None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_created_at(obj):
        return local_iso(obj.created_at)

    @staticmethod
    def resolve_qr_svg_url(obj):
        return api_url("programs_qr", registration_id=obj.pk)

    @staticmethod
    def resolve_ics_url(obj):
        return api_url("programs_my_ics", registration_id=obj.pk)

    @staticmethod
    def resolve_certificate_url(obj, context):
        if obj.status != Registration.Status.ATTENDED:
            return None
        cache = context["request"].__dict__.setdefault("_programs_completed", {})  # per response, not per row
        if obj.member_id not in cache:
            cache[obj.member_id] = queries.completed_program_ids(obj.member_id)
        if obj.program_id not in cache[obj.member_id]:
            return None
        return api_url("programs_certificate", program_id=obj.program_id)


class RegisterIn(Schema):
    session_id: int | None = Field(None, ge=1, description="required unless the program is a whole series")


class CancelIn(Schema):
    reason: str = Field("", max_length=200)


class OnBehalfIn(Schema):
    member_id: int | None = Field(None, ge=1)
    phone: str | None = Field(None, pattern=r"^\+?\d{6,15}$", description="find the member by phone")
    display_name: str = Field("", max_length=60, description="to create an account for a caller who has none")
    kind: choice_of(User.Kind) = User.Kind.RESIDENT.value
    channel: choice_of(Registration.Channel) = Registration.Channel.PHONE.value
    check_in: bool = Field(False, description="walk-in: register and check in at once")
    note: str = Field("", max_length=200)


class CheckInIn(Schema):
    code: str = Field(..., min_length=4, max_length=40)


class MemberBrief(Schema):
    id: int
    name: str
    masked_phone: str
    kind: str

    @staticmethod
    def resolve_name(obj):
        return str(obj)


class CheckInOut(Schema):
    registration_id: int
    member: MemberBrief
    program: str
    session_id: int
    already_checked_in: bool
    status: str


class AttendanceRow(Schema):
    registration_id: int
    member: MemberBrief
    phone: str = Field(description="the member's phone: in full for staff who phone people "
                                   "(permission programs.view_registrant_phone), masked otherwise")
    status: str
    channel: str
    position: int | None
    checked_in_at: datetime | None
