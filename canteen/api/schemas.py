"""What goes in and out of the canteen API (Ninja schemas); the operations are in ``routes.py``.

Resolvers only shape a row for output: whether a booking may still change is the model's
``Booking.can_change``, links come from url names, money is a decimal string.
"""

import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from canteen.models import Booking
from canteen.services import MAX_PORTIONS_PER_GROUP
from core.api import CommunityRef, choice_of
from core.text import local_iso as iso
from core.text import money


class CanteenOut(Schema):
    id: int
    name: str
    slug: str
    community: CommunityRef
    address: str
    hours: str
    hotline: str
    operator: str | None
    intro: str
    delivery_communities: list[CommunityRef]
    delivery_buildings: list[str]
    lunch_cutoff: str
    dinner_cutoff: str
    page_url: str

    @staticmethod
    def resolve_operator(obj):
        return obj.operator.name if obj.operator else None

    @staticmethod
    def resolve_delivery_communities(obj):
        return list(obj.delivery_communities.all())

    @staticmethod
    def resolve_delivery_buildings(obj):
        return obj.building_list()

    @staticmethod
    def resolve_lunch_cutoff(obj):
        return obj.lunch_cutoff.strftime("%H:%M")

    @staticmethod
    def resolve_dinner_cutoff(obj):
        return obj.dinner_cutoff.strftime("%H:%M")

    @staticmethod
    def resolve_page_url(obj):
        return reverse("canteen:canteen", args=[obj.slug])


class ItemOut(Schema):
    id: int
    kind: str
    name: str
    price: str
    description: str
    dishes: list[str]
    dietary_tags: list[str]
    allergens: list[str]
    photo: str | None


class SlotOut(Schema):
    id: int
    canteen: int
    date: datetime.date
    meal: str
    status: str
    cutoff_at: str
    bookable: bool
    portions: int
    remaining: int
    note: str
    items: list[ItemOut]


class SlotPage(Schema):
    count: int
    items: list[SlotOut]


class MenuOut(Schema):
    canteen: CanteenOut
    week_start: datetime.date
    note: str
    slots: list[SlotOut]


class DinerRef(Schema):
    id: int
    name: str


class DinerOut(Schema):
    """A diner's full profile: only for the diner, linked family and canteen staff."""

    id: int
    name: str
    initials: str
    phone: str
    birth_year: int | None
    special_group: str
    lives_alone: bool
    needs_delivery: bool
    community: CommunityRef | None
    building: str
    address: str
    delivery_notes: str
    dietary_needs: list[str]
    allergies: list[str]
    dietary_notes: str
    emergency_contact_name: str
    emergency_contact_phone: str
    is_me: bool

    @staticmethod
    def resolve_is_me(obj, context):
        return obj.user_id == context["request"].user.pk


class LineOut(Schema):
    item_id: int
    name: str
    quantity: int
    unit_price: str

    @staticmethod
    def resolve_name(obj):
        return obj.item.name

    @staticmethod
    def resolve_unit_price(obj):
        return money(obj.unit_price)


class BookingOut(Schema):
    id: int
    slot: int = Field(..., alias="slot_id")
    canteen: str
    date: datetime.date
    meal: str
    diner: DinerRef | None
    group_name: str
    mode: str
    notes: str
    portions: int
    lines: list[LineOut]
    tier: str
    list_price: str
    subsidy: str
    payable: str
    paid: bool = Field(..., alias="is_paid")
    status: str
    channel: str
    can_change: bool
    delivery_status: str | None
    created_at: str

    @staticmethod
    def resolve_canteen(obj):
        return obj.slot.canteen.name

    @staticmethod
    def resolve_date(obj):
        return obj.slot.date

    @staticmethod
    def resolve_meal(obj):
        return obj.slot.meal

    @staticmethod
    def resolve_lines(obj):
        # A booking just written by canteen.services carries its lines (no query to read them back).
        written = getattr(obj, "written_lines", None)
        return list(written) if written is not None else list(obj.lines.all())

    @staticmethod
    def resolve_list_price(obj):
        return money(obj.list_price)

    @staticmethod
    def resolve_subsidy(obj):
        return money(obj.subsidy)

    @staticmethod
    def resolve_payable(obj):
        return money(obj.payable)

    @staticmethod
    def resolve_can_change(obj):
        # As a member would see it: staff's walk-in exception does not make it editable here.
        return obj.can_change()

    @staticmethod
    def resolve_delivery_status(obj):
        delivery = getattr(obj, "delivery", None) if obj.mode == "delivery" else None
        return delivery.status if delivery else None

    @staticmethod
    def resolve_created_at(obj):
        return iso(obj.created_at)


class LineIn(Schema):
    item_id: int = Field(..., ge=1)
    quantity: int = Field(..., ge=1, le=MAX_PORTIONS_PER_GROUP)


Mode = Literal["dine_in", "pick_up", "delivery"]


class BookingIn(Schema):
    slot_id: int = Field(..., ge=1)
    diner_id: int | None = Field(None, ge=1, description="Default: my own diner profile.")
    items: list[LineIn] = Field(..., min_length=1, max_length=20)
    mode: Mode = "dine_in"
    notes: str = Field("", max_length=200)
    walk_in: bool = Field(False, description="Staff only: a walk-in at the counter (after the cut-off).")


class BookingChangeIn(Schema):
    items: list[LineIn] | None = Field(None, min_length=1, max_length=20)
    mode: Mode | None = None
    notes: str | None = Field(None, max_length=200)


class GroupBookingIn(Schema):
    slot_id: int = Field(..., ge=1)
    group_name: str = Field(..., min_length=1, max_length=60)
    special_group: str = Field("", max_length=20)
    items: list[LineIn] = Field(..., min_length=1, max_length=20)
    mode: Mode = "dine_in"
    notes: str = Field("", max_length=200)


class QuoteIn(Schema):
    slot_id: int = Field(..., ge=1)
    diner_id: int | None = Field(None, ge=1)
    items: list[LineIn] = Field(..., min_length=1, max_length=20)


class QuoteOut(Schema):
    portions: int
    tier: str
    list_price: str
    subsidy: str
    payable: str


class PaymentIn(Schema):
    method: choice_of(Booking.PaymentMethod)
    amount: str | None = Field(None, pattern=r"^\d{1,6}(\.\d{1,2})?$")


class DeliveryOut(Schema):
    id: int
    booking: int = Field(..., alias="booking_id")
    date: datetime.date = Field(..., alias="booking.slot.date")
    meal: str = Field(..., alias="booking.slot.meal")
    diner: str = Field(..., alias="booking.diner.name")
    phone: str = Field(..., alias="booking.diner.phone")
    building: str = Field(..., alias="booking.diner.building")
    address: str = Field(..., alias="booking.diner.address")
    delivery_notes: str = Field(..., alias="booking.diner.delivery_notes")
    payable: str
    paid: bool = Field(..., alias="booking.is_paid")
    items: list[str]
    volunteer: str | None
    status: str
    note: str

    @staticmethod
    def resolve_payable(obj):
        return money(obj.booking.payable)

    @staticmethod
    def resolve_items(obj):
        return [f"{line.item.name} × {line.quantity}" for line in obj.booking.lines.all()]

    @staticmethod
    def resolve_volunteer(obj):
        return str(obj.volunteer) if obj.volunteer_id else None


class DeliveryIn(Schema):
    status: Literal["delivered", "no_answer"]
    note: str = Field("", max_length=200)


class AssignIn(Schema):
    delivery_ids: list[int] = Field(..., min_length=1, max_length=500)
    volunteer_id: int | None = Field(None, ge=1)


class FeedbackIn(Schema):
    diner_id: int | None = Field(None, ge=1)
    dish_id: int | None = Field(None, ge=1)
    canteen_id: int | None = Field(None, ge=1)
    rating: int | None = Field(None, ge=1, le=5)
    text: str = Field("", max_length=1000)


class FeedbackOut(Schema):
    id: int
    dish: str | None
    rating: int | None
    text: str
    created_at: str

    @staticmethod
    def resolve_dish(obj):
        return obj.dish.name if obj.dish_id else None

    @staticmethod
    def resolve_created_at(obj):
        return iso(obj.created_at)


class ProductionRow(Schema):
    dish: str
    portions: int
    dietary_tags: list[str]
    allergens: list[str]


class ProductionOut(Schema):
    slot: SlotOut
    bookings: int
    portions: int
    dishes: list[ProductionRow]
    by_mode: dict[str, int]
    dietary_notes: list[dict]


class SlotFilter(Schema):
    canteen: int | None = Field(None, ge=1)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    meal: Literal["lunch", "dinner"] | None = None
    bookable: bool | None = None


class ReportColumn(Schema):
    key: str
    label: str


class ReportOut(Schema):
    kind: str
    canteen_id: int
    month: str = Field(..., description="YYYY-MM: the month reported (the subsidy claim holds the meals served in it)")
    columns: list[ReportColumn]
    rows: list[dict]
    totals: dict
