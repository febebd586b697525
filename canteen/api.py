"""The canteen API at /api/v3/canteen/: thin, every change goes through ``canteen.services``.

Menus and slots are public; diners' personal data (phone, address, age, dietary needs, emergency
contact) is only returned to the diner, linked family and canteen staff.
"""

import datetime
import json
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, F, Prefetch, Q, Window
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from wagtail.images import get_image_model

from canteen import menus, services
from canteen.models import (
    Booking,
    Canteen,
    Delivery,
    Diner,
    Dish,
    Feedback,
    MealSlot,
    Menu,
    MenuItem,
)
from core.api import Pagination, check_limit, member_auth, public_auth
from core.text import local_iso as iso
from core.text import money

router = Router(tags=["canteen"])

PHOTO_SPEC = menus.PHOTO_SPEC


# --- schemas -------------------------------------------------------------------------------------

class CommunityRef(Schema):
    id: int
    name: str


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
        from django.urls import reverse

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
        return list(obj.lines.all())

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
        return obj.status == "confirmed" and not obj.slot.is_past_cutoff

    @staticmethod
    def resolve_delivery_status(obj):
        delivery = getattr(obj, "delivery", None) if obj.mode == "delivery" else None
        return delivery.status if delivery else None

    @staticmethod
    def resolve_created_at(obj):
        return iso(obj.created_at)


class LineIn(Schema):
    item_id: int = Field(..., ge=1)
    quantity: int = Field(..., ge=1, le=services.MAX_PORTIONS_PER_GROUP)


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
    method: Booking.PaymentMethod
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


# --- querysets -----------------------------------------------------------------------------------

def slots_with_items():
    """Slots with their items, dishes and photos prefetched (member pages render objects)."""
    Image = get_image_model()
    photos = Image.objects.prefetch_renditions(PHOTO_SPEC)
    dishes = Dish.objects.prefetch_related(Prefetch("photo", queryset=photos))
    return (
        MealSlot.objects.select_related("capacity")
        .prefetch_related(
            Prefetch(
                "items",
                queryset=MenuItem.objects.select_related("set_meal").prefetch_related(
                    Prefetch("dish", queryset=dishes),
                    Prefetch("set_meal__dishes", queryset=dishes),
                ),
            )
        )
    )


def canteen_queryset():
    return Canteen.objects.select_related("community", "operator").prefetch_related("delivery_communities")


def booking_queryset():
    return Booking.objects.select_related("slot__canteen", "diner", "delivery").prefetch_related(
        Prefetch("lines", queryset=_lines())
    )


def _lines():
    from canteen.models import BookingLine

    return BookingLine.objects.select_related("item__dish", "item__set_meal")


def delivery_queryset():
    return Delivery.objects.select_related("booking__slot", "booking__diner", "volunteer").prefetch_related(
        Prefetch("booking__lines", queryset=_lines())
    )


def get_diner_for(user, diner_id):
    """``diner_id``, or my own profile when it is None; 404 for a diner I may not book for."""
    if diner_id is None:
        diner = services.own_diner(user)
        if diner is None:
            raise services.CanteenError("no_diner", status=422)
        return diner
    diner = services.visible_diner(user, diner_id)
    if diner is None:
        raise Http404
    return diner


# --- public: canteens, menus, slots ------------------------------------------------------------

@router.get("/canteens/", response=list[CanteenOut], auth=public_auth, operation_id="canteen_list",
            summary="Community canteens")
@paginate(Pagination)
def list_canteens(request):
    return canteen_queryset().filter(is_active=True)


@router.get("/canteens/{canteen_id}/", response=CanteenOut, auth=public_auth, operation_id="canteen_detail",
            summary="A canteen")
def get_canteen(request, canteen_id: int):
    return get_object_or_404(canteen_queryset(), pk=canteen_id)


@router.get("/canteens/{canteen_id}/menu/", response=MenuOut, auth=public_auth, operation_id="canteen_menu",
            summary="A canteen's weekly menu (this week unless `week` gives a date in another week)")
def get_menu(request, canteen_id: int, week: datetime.date | None = None):
    canteen = get_object_or_404(canteen_queryset(), pk=canteen_id)
    start = services.week_start(week)
    menu = Menu.objects.filter(canteen=canteen, week_start=start, is_published=True).first()
    slots = MealSlot.objects.filter(menu=menu).select_related("capacity").order_by("date", "meal") if menu else []
    return {"canteen": canteen, "week_start": start, "note": menu.note if menu else "",
            "slots": menus.serialise_slots(slots)}


class SlotFilter(Schema):
    canteen: int | None = Field(None, ge=1)
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    meal: Literal["lunch", "dinner"] | None = None
    bookable: bool | None = None


@router.get("/slots/", response=SlotPage, auth=public_auth, operation_id="canteen_slots",
            summary="Meal slots with remaining portions (from today unless `date_from` says otherwise)")
def list_slots(request, filters: SlotFilter = Query(...), limit: int = Query(20, ge=1), offset: int = Query(0, ge=0)):
    # Paginated by hand (same limit/offset and envelope as Pagination) so the page of slots is
    # serialised in one go: cached items, live portions.
    check_limit(limit)
    queryset = MealSlot.objects.filter(menu__is_published=True, canteen__is_active=True)
    queryset = queryset.filter(date__gte=filters.date_from or timezone.localdate())
    if filters.canteen:
        queryset = queryset.filter(canteen_id=filters.canteen)
    if filters.date_to:
        queryset = queryset.filter(date__lte=filters.date_to)
    if filters.meal:
        queryset = queryset.filter(meal=filters.meal)
    if filters.bookable:
        queryset = queryset.filter(status="open", cutoff_at__gt=timezone.now(),
                                   capacity__taken__lt=F("capacity__total"))
    # The total rides along on every row (a window over the filtered set, before LIMIT), so the
    # page and its count are one query.
    page = list(queryset.select_related("capacity").annotate(total=Window(Count("pk")))
                .order_by("date", "meal", "canteen_id")[offset:offset + limit])
    count = page[0].total if page else queryset.count()
    return json_response({"count": count, "items": menus.serialise_slots(page)})


def json_response(data):
    """The body is built from plain values already shaped like the declared schema (see
    canteen.menus); returning it directly skips a second, per-attribute validation pass that
    cost as much as the queries."""
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
                        content_type="application/json")


@router.get("/slots/{slot_id}/", response=SlotOut, auth=public_auth, operation_id="canteen_slot",
            summary="A meal slot")
def get_slot(request, slot_id: int):
    slot = get_object_or_404(MealSlot.objects.filter(menu__is_published=True).select_related("capacity"), pk=slot_id)
    return menus.serialise_slots([slot])[0]


# --- members: diners, bookings, feedback ------------------------------------------------------

@router.get("/diners/", response=list[DinerOut], auth=member_auth, operation_id="canteen_my_diners",
            summary="Diners I may book for (myself and linked family); staff search with `q`")
@paginate(Pagination)
def list_diners(request, q: str = Query("", max_length=40)):
    user = request.user
    if q and services.is_canteen_staff(user):
        return search_diners(q)
    return services.diners_for(user).select_related("community").order_by("name", "id")


def search_diners(q):
    """Phone console search: pinyin initials ("zgy"), part of the name, or phone digits."""
    q = q.strip().lower()
    condition = Q(name__icontains=q)
    if q.isascii() and q.isalpha():
        condition |= Q(initials__startswith=q)
    if q.isdigit() and len(q) >= 3:
        condition |= Q(phone__contains=q) | Q(user__phone__contains=q)
    return Diner.objects.filter(condition).select_related("community").order_by("name", "id")


@router.get("/bookings/", response=list[BookingOut], auth=member_auth, operation_id="canteen_my_bookings",
            summary="My bookings and those of diners I may book for")
@paginate(Pagination)
def list_bookings(request, upcoming: bool = False):
    user = request.user
    diner_ids = services.diners_for(user).values("pk")
    queryset = booking_queryset().filter(Q(diner__in=diner_ids) | Q(booked_by=user, diner__isnull=True))
    if upcoming:
        queryset = queryset.filter(slot__date__gte=timezone.localdate(), status="confirmed")
    return queryset.order_by("-slot__date", "-id")


def _visible_booking(user, booking_id):
    booking = get_object_or_404(booking_queryset(), pk=booking_id)
    if not services.may_manage_booking(user, booking):
        raise Http404
    return booking


@router.get("/bookings/{booking_id}/", response=BookingOut, auth=member_auth, operation_id="canteen_booking",
            summary="A booking")
def get_booking(request, booking_id: int):
    return _visible_booking(request.user, booking_id)


@router.post("/quote/", response=QuoteOut, auth=member_auth, operation_id="canteen_quote",
             summary="Price a booking before making it (the server computes subsidies)")
def get_quote(request, data: QuoteIn):
    slot = get_object_or_404(MealSlot.objects.filter(menu__is_published=True).select_related("canteen"),
                             pk=data.slot_id)
    diner = get_diner_for(request.user, data.diner_id)
    result = services.quote_items(slot, [(i.item_id, i.quantity) for i in data.items], diner=diner)
    return {"portions": result.portions, "tier": result.tier, "list_price": money(result.list_price),
            "subsidy": money(result.subsidy), "payable": money(result.payable)}


@router.post("/bookings/", response={201: BookingOut}, auth=member_auth, operation_id="canteen_book",
             summary="Book a meal for myself or a diner linked to me (staff: for any diner)")
def create_booking(request, data: BookingIn):
    diner = get_diner_for(request.user, data.diner_id)
    # services.book ignores a walk-in claimed by anyone but canteen staff.
    channel = Booking.Channel.WALK_IN if data.walk_in else None
    booking = services.book(request.user, diner=diner, slot=data.slot_id, items=[(i.item_id, i.quantity) for i in data.items],
                            mode=data.mode, notes=data.notes, channel=channel)
    return Status(201, booking_queryset().get(pk=booking.pk))


@router.patch("/bookings/{booking_id}/", response=BookingOut, auth=member_auth, operation_id="canteen_change",
              summary="Change a booking until the cut-off")
def change_booking(request, booking_id: int, data: BookingChangeIn):
    booking = _visible_booking(request.user, booking_id)
    items = [(i.item_id, i.quantity) for i in data.items] if data.items is not None else None
    services.change(request.user, booking, items=items, mode=data.mode, notes=data.notes)
    return booking_queryset().get(pk=booking.pk)


@router.post("/bookings/{booking_id}/cancel/", response=BookingOut, auth=member_auth,
             operation_id="canteen_cancel", summary="Cancel a booking until the cut-off")
def cancel_booking(request, booking_id: int):
    booking = _visible_booking(request.user, booking_id)
    services.cancel(request.user, booking)
    return booking_queryset().get(pk=booking.pk)


@router.post("/feedback/", response={201: FeedbackOut}, auth=member_auth, operation_id="canteen_feedback",
             summary="Rate a dish or leave a suggestion")
def create_feedback(request, data: FeedbackIn):
    diner = get_diner_for(request.user, data.diner_id)
    dish = get_object_or_404(Dish, pk=data.dish_id) if data.dish_id else None
    canteen = get_object_or_404(Canteen, pk=data.canteen_id) if data.canteen_id else None
    feedback = services.leave_feedback(request.user, diner=diner, dish=dish, canteen=canteen,
                                       rating=data.rating, text=data.text)
    return Status(201, feedback)


# --- staff and delivery volunteers ----------------------------------------------------------------

def _staff(request):
    services.require_staff(request.user)


@router.post("/group-bookings/", response={201: BookingOut}, auth=member_auth,
             operation_id="canteen_group_book", summary="Staff: book many portions for a group")
def create_group_booking(request, data: GroupBookingIn):
    _staff(request)
    slot = get_object_or_404(MealSlot, pk=data.slot_id)
    booking = services.group_booking(
        request.user, slot=slot, group_name=data.group_name, special_group=data.special_group,
        items=[(i.item_id, i.quantity) for i in data.items], mode=data.mode, notes=data.notes,
    )
    return Status(201, booking_queryset().get(pk=booking.pk))


@router.post("/bookings/{booking_id}/payment/", response=BookingOut, auth=member_auth,
             operation_id="canteen_payment", summary="Staff or delivery volunteer: record a payment")
def record_payment(request, booking_id: int, data: PaymentIn):
    booking = get_object_or_404(Booking, pk=booking_id)
    services.record_payment(request.user, booking, method=data.method, amount=data.amount)
    return booking_queryset().get(pk=booking.pk)


@router.get("/slots/{slot_id}/bookings/", response=list[BookingOut], auth=member_auth,
            operation_id="canteen_slot_bookings", summary="Staff: every booking of a slot")
@paginate(Pagination)
def slot_bookings(request, slot_id: int):
    _staff(request)
    return booking_queryset().filter(slot_id=slot_id, status="confirmed").order_by("diner__name", "id")


@router.get("/slots/{slot_id}/production/", response=ProductionOut, auth=member_auth,
            operation_id="canteen_production", summary="Staff: production sheet of a slot")
def production(request, slot_id: int):
    _staff(request)
    from canteen.reports import production_sheet

    slot = get_object_or_404(MealSlot.objects.select_related("capacity"), pk=slot_id)
    sheet = production_sheet(slot)
    sheet["slot"] = menus.serialise_slots([slot])[0]
    return sheet


class ReportColumn(Schema):
    key: str
    label: str


class ReportOut(Schema):
    kind: str
    canteen_id: int
    month: str = Field(..., description="YYYY-MM; the subsidy report covers that month's whole year")
    columns: list[ReportColumn]
    rows: list[dict]
    totals: dict


@router.get("/reports/{kind}/", response=ReportOut, auth=member_auth, operation_id="canteen_report",
            summary="Staff: meals per day and tier, subsidy totals, or deliveries, with totals")
def report(request, kind: Literal["meals", "subsidy", "deliveries"], canteen: int = Query(..., ge=1),
           month: str = Query(..., pattern=r"^\d{4}-\d{2}$")):
    _staff(request)
    from canteen import reports

    place = get_object_or_404(Canteen, pk=canteen)
    try:
        first = datetime.date(int(month[:4]), int(month[5:]), 1)
    except ValueError:
        raise services.CanteenError("bad_month", status=422) from None
    rows, columns, totals = reports.run(kind, place, first)
    return json_response({"kind": kind, "canteen_id": place.pk, "month": month,
                          "columns": [{"key": key, "label": str(label)} for key, label in columns],
                          "rows": rows, "totals": totals})


@router.get("/deliveries/", response=list[DeliveryOut], auth=member_auth, operation_id="canteen_deliveries",
            summary="Deliveries: all for canteen staff, only their own drops for a volunteer")
@paginate(Pagination)
def list_deliveries(request, slot: int | None = None, date: datetime.date | None = None):
    queryset = services.visible_deliveries(request.user, delivery_queryset())
    if slot:
        queryset = queryset.filter(booking__slot_id=slot)
    if date:
        queryset = queryset.filter(booking__slot__date=date)
    return queryset.order_by("booking__slot__date", "booking__diner__building", "booking__diner__address", "id")


@router.post("/deliveries/{delivery_id}/", response=DeliveryOut, auth=member_auth,
             operation_id="canteen_delivery_record", summary="Mark delivered or no answer")
def record_delivery(request, delivery_id: int, data: DeliveryIn):
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    if not services.can_see_delivery(request.user, delivery):
        raise Http404
    services.record_delivery(request.user, delivery, delivered=data.status == "delivered", note=data.note)
    return delivery_queryset().get(pk=delivery_id)


@router.post("/delivery-assignments/", response={200: dict}, auth=member_auth, operation_id="canteen_assign",
             summary="Staff: assign deliveries to a volunteer")
def assign(request, data: AssignIn):
    _staff(request)
    from members.models import User

    volunteer = get_object_or_404(User, pk=data.volunteer_id) if data.volunteer_id else None
    return {"assigned": services.assign_delivery(request.user, data.delivery_ids, volunteer)}


@router.get("/dishes/{dish_id}/feedback/", response=list[FeedbackOut], auth=member_auth,
            operation_id="canteen_dish_feedback", summary="Staff: feedback on a dish")
@paginate(Pagination)
def dish_feedback(request, dish_id: int):
    _staff(request)
    return Feedback.objects.filter(dish_id=dish_id).select_related("dish")

