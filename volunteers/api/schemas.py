"""What goes in and out of /api/v3/volunteers/ (Ninja schemas). Routes are in routes.py."""

import datetime as dt
from datetime import datetime

from ninja import Field, Schema

from core.api import CommunityRef, api_url, choice_of
from core.text import local_iso
from volunteers.models import HoursEntry, SignUp


class NamedRef(Schema):
    """An organiser or team as a shift refers to it (not programs' ``Ref``: OpenAPI names
    components by class name, so two same-named schemas document one of them wrongly)."""

    id: int
    name: str


class OutputKindOut(Schema):
    label: str
    unit: str


class ShiftOut(Schema):
    id: int
    title: str
    start: datetime
    end: datetime
    place: str
    places: int
    remaining: int
    withdraw_until: datetime

    @staticmethod
    def resolve_start(obj):
        return local_iso(obj.start)

    @staticmethod
    def resolve_end(obj):
        return local_iso(obj.end)

    @staticmethod
    def resolve_place(obj):
        return obj.place_text()

    @staticmethod
    def resolve_withdraw_until(obj):
        return local_iso(obj.withdraw_deadline())


class OpportunityOut(Schema):
    id: int
    title: str
    url: str | None
    summary: str
    community: CommunityRef | None
    organiser: NamedRef | None
    place: str
    skills_wanted: list[str]
    outputs: list[OutputKindOut]
    next_shift: ShiftOut | None
    remaining_places: int

    @staticmethod
    def resolve_url(obj):
        return obj.url

    @staticmethod
    def resolve_place(obj):
        return obj.place_text()

    @staticmethod
    def resolve_skills_wanted(obj):
        return [item.tag.name for item in obj.tagged_items.all()]

    @staticmethod
    def resolve_outputs(obj):
        return list(obj.outputs.all())

    @staticmethod
    def resolve_next_shift(obj):
        from volunteers.queries import upcoming_shifts

        upcoming = upcoming_shifts(obj)
        return upcoming[0] if upcoming else None

    @staticmethod
    def resolve_remaining_places(obj):
        from volunteers.queries import remaining_places

        return remaining_places(obj)


class OpportunityDetailOut(OpportunityOut):
    description: str
    shifts: list[ShiftOut]

    @staticmethod
    def resolve_description(obj):
        from wagtail.rich_text import expand_db_html

        return expand_db_html(obj.description)

    @staticmethod
    def resolve_shifts(obj):
        from volunteers.queries import upcoming_shifts

        return upcoming_shifts(obj)


class OpportunityFilter(Schema):
    community: str | None = Field(None, max_length=30, description="community code")
    date: dt.date | None = Field(None, description="opportunities with a shift on this day (Asia/Shanghai)")
    q: str | None = Field(None, max_length=60)
    skill: str | None = Field(None, max_length=40)


class OpportunityBrief(Schema):
    id: int
    title: str
    url: str | None

    @staticmethod
    def resolve_url(obj):
        return obj.url


class MyShiftOut(ShiftOut):
    opportunity: OpportunityBrief

    @staticmethod
    def resolve_opportunity(obj):
        return obj.opportunity


class SignUpOut(Schema):
    id: int
    shift: MyShiftOut
    status: choice_of(SignUp.Status)
    status_label: str
    position: int | None
    team: NamedRef | None
    check_in_code: str
    qr_svg_url: str
    can_withdraw: bool
    checked_in_at: datetime | None
    checked_out_at: datetime | None

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_qr_svg_url(obj):
        return api_url("volunteers_qr", signup_id=obj.pk)

    @staticmethod
    def resolve_can_withdraw(obj):
        return obj.can_withdraw()

    @staticmethod
    def resolve_checked_in_at(obj):
        return local_iso(obj.checked_in_at)

    @staticmethod
    def resolve_checked_out_at(obj):
        return local_iso(obj.checked_out_at)


class TeamSignUpIn(Schema):
    team_id: int = Field(..., ge=1)
    member_ids: list[int] = Field(..., min_length=1, max_length=100)


class WithdrawIn(Schema):
    reason: str = Field("", max_length=200)


class ShiftCodeIn(Schema):
    shift_code: str = Field(..., min_length=4, max_length=40, description="the code posted at the shift's place")


class CheckOutIn(Schema):
    outputs: dict[str, int] = Field(default_factory=dict, description="what the opportunity counts: {label: quantity}")
    shift_code: str | None = Field(None, min_length=4, max_length=40)


class OutputOut(Schema):
    label: str
    unit: str
    quantity: int


class EntryOut(Schema):
    id: int
    activity: str
    start: datetime
    end: datetime
    minutes: int
    hours: float
    source: choice_of(HoursEntry.Source)
    status: choice_of(HoursEntry.Status)
    status_label: str
    flagged: bool
    decline_reason: str
    outputs: list[OutputOut]
    correction_pending: bool

    @staticmethod
    def resolve_start(obj):
        return local_iso(obj.start)

    @staticmethod
    def resolve_end(obj):
        return local_iso(obj.end)

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_outputs(obj):
        return list(obj.outputs.all())

    @staticmethod
    def resolve_correction_pending(obj):
        return bool(getattr(obj, "open_corrections", None))


class CheckOutOut(Schema):
    signup_id: int
    entry: EntryOut | None


class ShiftCheckInOut(Schema):
    signup_id: int
    member: str
    masked_phone: str
    shift_id: int
    already_checked_in: bool


class SummaryOut(Schema):
    approved_minutes: int
    pending_minutes: int
    approved_hours: float
    entries: int
    stars: int
    next_star_hours: int | None


class MonthOut(Schema):
    month: str
    approved_hours: float
    pending_hours: float


class SelfReportIn(Schema):
    activity: str = Field(..., min_length=2, max_length=200)
    start: datetime
    end: datetime
    minutes: int | None = Field(None, ge=1, le=24 * 60)
    opportunity_id: int | None = Field(None, ge=1)
    outputs: dict[str, int] = Field(default_factory=dict)
    note: str = Field("", max_length=300)


class CorrectionIn(Schema):
    start: datetime
    end: datetime
    reason: str = Field(..., min_length=2, max_length=300)


class CorrectionOut(Schema):
    id: int
    entry_id: int
    status: str
    start: datetime
    end: datetime
    reason: str


class CertificateIn(Schema):
    period_start: dt.date
    period_end: dt.date


class IssueIn(CertificateIn):
    member_id: int = Field(..., ge=1)


class CertificateOut(Schema):
    id: int
    number: str
    period_start: dt.date
    period_end: dt.date
    total_hours: float
    issued_at: datetime
    valid: bool
    pdf_url: str
    verification_url: str

    @staticmethod
    def resolve_issued_at(obj):
        return local_iso(obj.issued_at)

    @staticmethod
    def resolve_valid(obj):
        return obj.is_valid

    @staticmethod
    def resolve_pdf_url(obj):
        return api_url("volunteers_certificate_pdf", certificate_id=obj.pk)

    @staticmethod
    def resolve_verification_url(obj):
        from volunteers.documents import verification_url

        return verification_url(obj)


class VerificationOut(Schema):
    number: str
    name: str = Field(description="masked")
    period_start: dt.date
    period_end: dt.date
    total_hours: float
    issued_at: datetime
    issuer: str
    valid: bool
    revoked_at: datetime | None


class RevokeIn(Schema):
    reason: str = Field(..., min_length=2, max_length=200)


class LeaderRow(Schema):
    rank: int
    name: str
    named: bool
    hours: float
    stars: int | None


class ProfileOut(Schema):
    real_name: str
    volunteer_number: str
    masked_id_number: str
    skills: list[str]
    availability: list[dict]
    communities: list[CommunityRef]
    emergency_contact_name: str
    masked_emergency_phone: str
    leaderboard_consent: bool
    calendar_url: str

    @staticmethod
    def resolve_skills(obj):
        return list(obj.skills.names())

    @staticmethod
    def resolve_communities(obj):
        return list(obj.communities.all())

    @staticmethod
    def resolve_calendar_url(obj):
        from volunteers.documents import absolute

        return absolute(api_url("volunteers_calendar", token=obj.calendar_token))


class AvailabilitySlot(Schema):
    weekday: int = Field(..., ge=0, le=6)
    start: str = Field(..., pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    end: str = Field(..., pattern=r"^([01]\d|2[0-3]):[0-5]\d$")


class ProfileIn(Schema):
    real_name: str | None = Field(None, max_length=40)
    volunteer_number: str | None = Field(None, max_length=30)
    id_number: str | None = Field(None, pattern=r"^(\d{17}[\dXx])?$")
    skills: list[str] | None = Field(None, max_length=20)
    availability: list[AvailabilitySlot] | None = Field(None, max_length=21)
    community_ids: list[int] | None = Field(None, max_length=20)
    emergency_contact_name: str | None = Field(None, max_length=40)
    emergency_contact_phone: str | None = Field(None, pattern=r"^(\+?\d{6,15})?$")
    leaderboard_consent: bool | None = None


class RosterRow(Schema):
    signup_id: int
    member: str
    masked_phone: str
    status: str
    position: int | None
    team: str | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    auto_checked_out: bool


class StaffCodeIn(Schema):
    code: str = Field(..., min_length=4, max_length=40, description="the volunteer's check-in code")


class QueueRow(EntryOut):
    member_id: int
    member: str
    masked_phone: str

    @staticmethod
    def resolve_member(obj):
        return str(obj.member)

    @staticmethod
    def resolve_masked_phone(obj):
        return obj.member.masked_phone


class IdsIn(Schema):
    ids: list[int] = Field(..., min_length=1, max_length=200)


class DeclineIn(IdsIn):
    reason: str = Field(..., min_length=2, max_length=200)


class DecisionOut(Schema):
    decided: list[int]
    skipped: list[int]
    missing: list[int]


class DecideCorrectionIn(Schema):
    accept: bool
