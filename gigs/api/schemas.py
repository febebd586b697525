"""What goes in and out of /api/v3/gigs/ (Ninja schemas); the operations are in routes.py.

Schema names start with ``Gig``: OpenAPI names components by class name, and the document is
shared by every plugin. Money is a decimal string ("180.00"), times ISO 8601 with offset.
"""

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from core.api import CommunityRef, choice_of
from core.text import local_iso, mask_phone, money
from gigs.models import (
    Application,
    Category,
    Employer,
    JobNeed,
    NeedFlag,
    PayUnit,
    Settlement,
    WorkRecord,
)


class GigEmployerRef(Schema):
    id: int
    name: str
    kind: choice_of(Employer.Kind)
    verified: bool

    @staticmethod
    def resolve_verified(obj):
        return obj.is_verified


class GigNeedOut(Schema):
    id: int
    title: str
    description: str
    category: choice_of(Category)
    skills: list[str]
    employer: GigEmployerRef
    headcount: int
    hired: int
    remaining: int
    pay_amount: str
    pay_unit: choice_of(PayUnit)
    pay_text: str
    settlement: choice_of(Settlement)
    start_date: dt.date
    end_date: dt.date
    shift_start: dt.time
    shift_end: dt.time
    address: str
    community: CommunityRef | None
    latitude: float | None
    longitude: float | None
    requires_health_certificate: bool
    requires_ebike_licence: bool
    min_age: int | None
    max_age: int | None
    deadline: str | None
    status: choice_of(JobNeed.Status)
    published_at: str | None

    @staticmethod
    def resolve_skills(obj):
        return obj.skill_names()

    @staticmethod
    def resolve_pay_amount(obj):
        return money(obj.pay_amount)

    @staticmethod
    def resolve_pay_text(obj):
        return str(obj.pay_text())

    @staticmethod
    def resolve_deadline(obj):
        return local_iso(obj.deadline)

    @staticmethod
    def resolve_published_at(obj):
        return local_iso(obj.published_at)

    @staticmethod
    def resolve_latitude(obj):
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj):
        return float(obj.longitude) if obj.longitude is not None else None


class GigNeedFilter(Schema):
    category: choice_of(Category) | None = None
    community: str | None = Field(None, max_length=30, description="Community code")
    skill: str | None = Field(None, max_length=50)
    pay_unit: choice_of(PayUnit) | None = None
    q: str | None = Field(None, max_length=80)


class GigMatchOut(Schema):
    need: GigNeedOut
    score: int = Field(description="0 to 100")
    reasons: list[str]
    distance_km: float | None

    @staticmethod
    def resolve_distance_km(obj):
        return round(obj.distance_m / 1000, 1) if obj.distance_m is not None else None


class GigWhyNotOut(Schema):
    need_id: int
    suitable: bool
    score: int
    reasons: list[str]
    why_not: list[str]

    @staticmethod
    def resolve_need_id(obj):
        return obj.need.pk


class GigCandidateOut(Schema):
    """A worker who has not applied: the phone is always masked."""

    worker_id: int
    name: str
    phone: str
    skills: list[str]
    score: int
    reasons: list[str]
    distance_km: float | None

    @staticmethod
    def resolve_worker_id(obj):
        return obj.profile.member_id

    @staticmethod
    def resolve_name(obj):
        return str(obj.profile.member)

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.profile.member.phone)

    @staticmethod
    def resolve_skills(obj):
        return obj.profile.skill_names()

    @staticmethod
    def resolve_distance_km(obj):
        return round(obj.distance_m / 1000, 1) if obj.distance_m is not None else None


class GigAvailability(Schema):
    weekday: int = Field(ge=0, le=6, description="0 = Monday")
    start: str = Field(pattern=r"^\d{2}:\d{2}$")
    end: str = Field(pattern=r"^\d{2}:\d{2}$")


class GigProfileIn(Schema):
    skills: list[str] | None = Field(None, max_length=12)
    has_health_certificate: bool | None = None
    has_ebike_licence: bool | None = None
    birth_year: int | None = Field(None, ge=1940, le=2012)
    availability: list[GigAvailability] | None = Field(None, max_length=28)
    community_ids: list[int] | None = Field(None, max_length=20)
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    max_distance_km: Decimal | None = Field(None, ge=Decimal("0.5"), le=100, max_digits=5, decimal_places=1)
    min_pay_amount: Decimal | None = Field(None, ge=0, max_digits=8, decimal_places=2)
    min_pay_unit: choice_of(PayUnit) | None = None
    searchable: bool | None = None
    subscribed: bool | None = None
    subscribe_min_score: int | None = Field(None, ge=0, le=100)


class GigProfileOut(Schema):
    skills: list[str]
    has_health_certificate: bool
    has_ebike_licence: bool
    birth_year: int | None
    availability: list[GigAvailability]
    community_ids: list[int]
    latitude: float | None
    longitude: float | None
    max_distance_km: str
    min_pay_amount: str | None
    min_pay_unit: choice_of(PayUnit)
    searchable: bool
    subscribed: bool
    subscribe_min_score: int

    @staticmethod
    def resolve_skills(obj):
        return obj.skill_names()

    @staticmethod
    def resolve_community_ids(obj):
        return [c.pk for c in obj.communities.all()]

    @staticmethod
    def resolve_latitude(obj):
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj):
        return float(obj.longitude) if obj.longitude is not None else None

    @staticmethod
    def resolve_max_distance_km(obj):
        return f"{obj.max_distance_km:.1f}"

    @staticmethod
    def resolve_min_pay_amount(obj):
        return money(obj.min_pay_amount)


class GigEmployerIn(Schema):
    kind: choice_of(Employer.Kind) = "enterprise"
    name: str = Field(min_length=1, max_length=120)
    credit_code: str = Field("", max_length=30, description="Unified social credit code (enterprises)")
    contact_name: str = Field(min_length=1, max_length=40)
    contact_phone: str = Field(min_length=6, max_length=20)
    community_id: int | None = None
    address: str = Field("", max_length=200)


class GigEmployerOut(Schema):
    id: int
    kind: choice_of(Employer.Kind)
    name: str
    credit_code: str
    contact_name: str
    contact_phone: str
    status: choice_of(Employer.Status)
    reason: str
    created_at: str

    @staticmethod
    def resolve_created_at(obj):
        return local_iso(obj.created_at)


class GigDecisionIn(Schema):
    decision: str = Field(pattern="^(verify|reject|suspend)$")
    reason: str = Field("", max_length=200)


class GigNeedIn(Schema):
    title: str = Field(min_length=2, max_length=80)
    description: str = Field("", max_length=4000)
    category: choice_of(Category) = "other"
    skills: list[str] = Field(default_factory=list, max_length=12)
    headcount: int = Field(ge=1, le=500)
    pay_amount: Decimal = Field(gt=0, max_digits=8, decimal_places=2)
    pay_unit: choice_of(PayUnit) = "day"
    settlement: choice_of(Settlement) = "daily"
    start_date: dt.date
    end_date: dt.date
    shift_start: dt.time
    shift_end: dt.time
    address: str = Field(min_length=2, max_length=200)
    community_id: int | None = None
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    requires_health_certificate: bool = False
    requires_ebike_licence: bool = False
    min_age: int | None = Field(None, ge=16, le=80)
    max_age: int | None = Field(None, ge=16, le=80)
    deadline: dt.datetime | None = None
    submit: bool = Field(False, description="Send it for review at once")


class GigNeedPatch(Schema):
    title: str | None = Field(None, min_length=2, max_length=80)
    description: str | None = Field(None, max_length=4000)
    skills: list[str] | None = Field(None, max_length=12)
    headcount: int | None = Field(None, ge=1, le=500)
    pay_amount: Decimal | None = Field(None, gt=0, max_digits=8, decimal_places=2)
    pay_unit: choice_of(PayUnit) | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    shift_start: dt.time | None = None
    shift_end: dt.time | None = None
    address: str | None = Field(None, min_length=2, max_length=200)
    deadline: dt.datetime | None = None


class GigRenewIn(Schema):
    start_date: dt.date
    end_date: dt.date
    deadline: dt.datetime | None = None


class GigReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=200)


class GigFlagIn(Schema):
    reason: choice_of(NeedFlag.Reason)
    detail: str = Field("", max_length=1000)


class GigFlagOut(Schema):
    id: int
    need_id: int
    reason: choice_of(NeedFlag.Reason)
    status: choice_of(NeedFlag.Status)


class GigApplyIn(Schema):
    note: str = Field("", max_length=300)


class GigApplicationOut(Schema):
    """An application as its worker sees it."""

    id: int
    need: GigNeedOut
    status: choice_of(Application.Status)
    score: int | None
    created_at: str
    can_withdraw: bool

    @staticmethod
    def resolve_created_at(obj):
        return local_iso(obj.created_at)


class GigApplicantOut(Schema):
    """An application as the employer sees it: the phone only once shortlisted."""

    id: int
    need_id: int
    worker_id: int
    name: str
    phone: str
    phone_visible: bool
    status: choice_of(Application.Status)
    score: int | None
    note: str
    created_at: str
    next_moves: list[str]

    @staticmethod
    def resolve_name(obj):
        return str(obj.worker)

    @staticmethod
    def resolve_phone(obj):
        return obj.phone_for_employer()

    @staticmethod
    def resolve_phone_visible(obj):
        return obj.contact_visible

    @staticmethod
    def resolve_created_at(obj):
        return local_iso(obj.created_at)

    @staticmethod
    def resolve_next_moves(obj):
        return [str(move) for move in obj.next_moves()]


class GigMoveIn(Schema):
    to: str = Field(pattern="^(shortlisted|interview|offered|hired|completed|declined|no_show)$")
    reason: str = Field("", max_length=200)


class GigWithdrawIn(Schema):
    reason: str = Field("", max_length=200)


class GigWorkIn(Schema):
    date: dt.date
    hours: Decimal | None = Field(None, ge=Decimal("0.5"), le=16, max_digits=4, decimal_places=1)
    pieces: int | None = Field(None, ge=0, le=100000)


class GigWorkOut(Schema):
    id: int
    application_id: int
    date: dt.date
    hours: str | None
    pieces: int | None
    status: choice_of(WorkRecord.Status)
    awaiting: str | None
    worker_confirmed_at: str | None
    employer_confirmed_at: str | None

    @staticmethod
    def resolve_hours(obj):
        return f"{obj.hours:.1f}" if obj.hours is not None else None

    @staticmethod
    def resolve_awaiting(obj):
        return obj.awaiting()

    @staticmethod
    def resolve_worker_confirmed_at(obj):
        return local_iso(obj.worker_confirmed_at)

    @staticmethod
    def resolve_employer_confirmed_at(obj):
        return local_iso(obj.employer_confirmed_at)


class GigDisputeIn(Schema):
    reason: str = Field(min_length=1, max_length=300)


class GigRatingIn(Schema):
    stars: int = Field(ge=1, le=5)
    comment: str = Field("", max_length=300)


class GigRatingOut(Schema):
    id: int
    direction: str
    stars: int


class GigFiguresRow(Schema):
    label: str
    posted: int
    places: int
    filled: int
    placed: int
    days_to_fill: float | None


class GigFiguresOut(Schema):
    month: str
    by: str
    rows: list[GigFiguresRow]
    total: GigFiguresRow


class GigSlotOut(Schema):
    id: int
    topic: str
    topic_label: str
    start: str
    end: str
    place: str
    remaining: int

    @staticmethod
    def resolve_topic_label(obj):
        return str(obj.get_topic_display())

    @staticmethod
    def resolve_start(obj):
        return local_iso(obj.start)

    @staticmethod
    def resolve_end(obj):
        return local_iso(obj.end)


class GigBookIn(Schema):
    question: str = Field("", max_length=300)


class GigConsultationOut(Schema):
    id: int
    slot: GigSlotOut
    status: str
    question: str


class GigPushIn(Schema):
    worker_id: int


class GigOutcomeIn(Schema):
    outcome: str = Field(min_length=1, max_length=2000)
    came: bool = True


class GigStaffIn(Schema):
    phone: str = Field(min_length=6, max_length=20, description="The member's phone, as they log in with it")
