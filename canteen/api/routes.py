"""The canteen API's operations at /api/v3/canteen/: thin. Reads come from ``canteen.queries``,
changes go through ``canteen.services``; what goes in and out is in ``schemas.py``.

Menus and slots are public; diners' personal data (phone, address, age, dietary needs, emergency
contact) is only returned to the diner, linked family and canteen staff.
"""

import datetime
import json
from typing import Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Min, Window
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from canteen import menus, queries, reports, services
from canteen.api.schemas import (
    AssignIn,
    BookingChangeIn,
    BookingIn,
    BookingOut,
    CanteenOut,
    DeliveryIn,
    DeliveryOut,
    DinerOut,
    FeedbackIn,
    FeedbackOut,
    GroupBookingIn,
    MenuOut,
    PaymentIn,
    ProductionOut,
    QuoteIn,
    QuoteOut,
    ReportOut,
    SlotFilter,
    SlotOut,
    SlotPage,
)
from canteen.models import Booking, Canteen, Delivery, Dish, MealSlot, meal_order
from core import cache
from core.api import Pagination, check_limit, member_auth, public_auth
from core.text import money

router = Router(tags=["canteen"])


def json_response(data):
    """The body is built from plain values already shaped like the declared schema (see
    canteen.menus); returning it directly skips a second, per-attribute validation pass that
    cost as much as the queries."""
    return HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False),
                        content_type="application/json")


def get_diner_for(user, diner_id):
    """``diner_id``, or my own profile when it is None; 404 for a diner I may not book for."""
    if diner_id is None:
        diner = queries.own_diner(user)
        if diner is None:
            raise services.CanteenError("no_diner", status=422)
        return diner
    diner = queries.visible_diner(user, diner_id)
    if diner is None:
        raise Http404
    return diner


def _visible_booking(user, booking_id):
    booking = queries.visible_booking(user, booking_id)
    if booking is None:
        raise Http404
    return booking


def _fresh(booking):
    """The booking as it is after a service changed it, with what BookingOut shows."""
    return queries.bookings().get(pk=booking.pk)


def _staff(request):
    services.require_staff(request.user)


# --- public: canteens, menus, slots ------------------------------------------------------------

@router.get("/canteens/", response=list[CanteenOut], auth=public_auth, operation_id="canteen_list",
            summary="Community canteens")
@paginate(Pagination)
def list_canteens(request):
    return queries.open_canteens()


@router.get("/canteens/{canteen_id}/", response=CanteenOut, auth=public_auth, operation_id="canteen_detail",
            summary="A canteen")
def get_canteen(request, canteen_id: int):
    return get_object_or_404(queries.canteens(), pk=canteen_id)


def _until_next_cutoff(request, slots):
    """The answer shows whether each slot can still be booked: its cache entry ends at the next
    cut-off among ``slots`` (a queryset; one query, on a miss only)."""
    cache.expires_at(request, slots.filter(cutoff_at__gt=timezone.now()).aggregate(next=Min("cutoff_at"))["next"])


# The slot listing and the menu are the same for everyone and change only when a canteen, menu,
# slot, item or booking does (canteen.slots, CanteenConfig) or a cut-off passes: whole answers
# are cached, portions included, so a hit costs no query.
@router.get("/canteens/{canteen_id}/menu/", response=MenuOut, auth=public_auth, operation_id="canteen_menu",
            summary="A canteen's weekly menu (this week unless `week` gives a date in another week)")
@decorate_view(cache.cached("canteen.slots", everyone=True, vary=cache.today))
def get_menu(request, canteen_id: int, week: datetime.date | None = None):
    canteen = get_object_or_404(queries.canteens(), pk=canteen_id)
    start = services.week_start(week)
    menu = queries.published_menu(canteen, start)
    slots = MealSlot.objects.filter(menu=menu).select_related("capacity").order_by("date", meal_order()) if menu else []
    if menu:
        _until_next_cutoff(request, MealSlot.objects.filter(menu=menu))
    return {"canteen": canteen, "week_start": start, "note": menu.note if menu else "",
            "slots": menus.serialise_slots(slots)}


@router.get("/slots/", response=SlotPage, auth=public_auth, operation_id="canteen_slots",
            summary="Meal slots with remaining portions (from today unless `date_from` says otherwise)")
@decorate_view(cache.cached("canteen.slots", everyone=True, vary=cache.today))
def list_slots(request, filters: SlotFilter = Query(...), limit: int = Query(20, ge=1), offset: int = Query(0, ge=0)):
    # Paginated by hand (same limit/offset and envelope as Pagination) so the page of slots is
    # serialised in one go: cached items, live portions.
    check_limit(limit)
    queryset = queries.filter_slots(canteen=filters.canteen, date_from=filters.date_from, date_to=filters.date_to,
                                    meal=filters.meal, bookable=bool(filters.bookable))
    # The total rides along on every row (a window over the filtered set, before LIMIT), so the
    # page and its count are one query.
    page = list(queryset.select_related("capacity").annotate(total=Window(Count("pk")))
                .order_by("date", meal_order(), "canteen_id")[offset:offset + limit])
    count = page[0].total if page else queryset.count()
    _until_next_cutoff(request, queryset)
    return json_response({"count": count, "items": menus.serialise_slots(page)})


@router.get("/slots/{slot_id}/", response=SlotOut, auth=public_auth, operation_id="canteen_slot",
            summary="A meal slot")
def get_slot(request, slot_id: int):
    slot = get_object_or_404(queries.published_slots().select_related("capacity"), pk=slot_id)
    return menus.serialise_slots([slot])[0]


# --- members: diners, bookings, feedback ------------------------------------------------------

@router.get("/diners/", response=list[DinerOut], auth=member_auth, operation_id="canteen_my_diners",
            summary="Diners I may book for (myself and linked family); staff search with `q`")
@paginate(Pagination)
def list_diners(request, q: str = Query("", max_length=40)):
    user = request.user
    if q and queries.is_canteen_staff(user):
        return queries.search_diners(q)
    return queries.diners_for(user).select_related("community").order_by("name", "id")


@router.get("/bookings/", response=list[BookingOut], auth=member_auth, operation_id="canteen_my_bookings",
            summary="My bookings and those of diners I may book for")
@paginate(Pagination)
def list_bookings(request, upcoming: bool = False):
    return queries.my_bookings(request.user, upcoming=upcoming)


@router.get("/bookings/{booking_id}/", response=BookingOut, auth=member_auth, operation_id="canteen_booking",
            summary="A booking")
def get_booking(request, booking_id: int):
    return _visible_booking(request.user, booking_id)


@router.post("/quote/", response=QuoteOut, auth=member_auth, operation_id="canteen_quote",
             summary="Price a booking before making it (the server computes subsidies)")
def get_quote(request, data: QuoteIn):
    slot = get_object_or_404(queries.published_slots().select_related("canteen"), pk=data.slot_id)
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
    booking = services.book(request.user, diner=diner, slot=data.slot_id,
                            items=[(i.item_id, i.quantity) for i in data.items],
                            mode=data.mode, notes=data.notes, channel=channel)
    # Everything BookingOut shows is in memory after services.book (slot, canteen and menu,
    # the diner, the lines with their items, a delivery's row): no need to read it back.
    return Status(201, booking)


@router.patch("/bookings/{booking_id}/", response=BookingOut, auth=member_auth, operation_id="canteen_change",
              summary="Change a booking until the cut-off, unless it is paid")
def change_booking(request, booking_id: int, data: BookingChangeIn):
    booking = _visible_booking(request.user, booking_id)
    items = [(i.item_id, i.quantity) for i in data.items] if data.items is not None else None
    services.change(request.user, booking, items=items, mode=data.mode, notes=data.notes)
    return _fresh(booking)


@router.post("/bookings/{booking_id}/cancel/", response=BookingOut, auth=member_auth,
             operation_id="canteen_cancel", summary="Cancel a booking until the cut-off")
def cancel_booking(request, booking_id: int):
    booking = _visible_booking(request.user, booking_id)
    services.cancel(request.user, booking)
    return _fresh(booking)


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

@router.post("/group-bookings/", response={201: BookingOut}, auth=member_auth,
             operation_id="canteen_group_book", summary="Staff: book many portions for a group")
def create_group_booking(request, data: GroupBookingIn):
    _staff(request)
    slot = get_object_or_404(MealSlot, pk=data.slot_id)
    booking = services.group_booking(
        request.user, slot=slot, group_name=data.group_name, special_group=data.special_group,
        items=[(i.item_id, i.quantity) for i in data.items], mode=data.mode, notes=data.notes,
    )
    return Status(201, _fresh(booking))


@router.post("/bookings/{booking_id}/payment/", response=BookingOut, auth=member_auth,
             operation_id="canteen_payment", summary="Staff or delivery volunteer: record a payment")
def record_payment(request, booking_id: int, data: PaymentIn):
    booking = get_object_or_404(Booking, pk=booking_id)
    services.record_payment(request.user, booking, method=data.method, amount=data.amount)
    return _fresh(booking)


@router.get("/slots/{slot_id}/bookings/", response=list[BookingOut], auth=member_auth,
            operation_id="canteen_slot_bookings", summary="Staff: every booking of a slot")
@paginate(Pagination)
def slot_bookings(request, slot_id: int):
    _staff(request)
    return queries.slot_bookings(slot_id)


@router.get("/slots/{slot_id}/production/", response=ProductionOut, auth=member_auth,
            operation_id="canteen_production", summary="Staff: production sheet of a slot")
def production(request, slot_id: int):
    _staff(request)
    slot = get_object_or_404(MealSlot.objects.select_related("capacity"), pk=slot_id)
    # The counts and notes are kept (canteen.sheets: bookings, lines, diners, the menu), per slot
    # and language (labels); the slot with its portions is read live. Staff only: the check above
    # comes first, and the entry is the same for every member of staff.
    live = menus.serialise_slots([slot])[0]

    def build(keys):
        sheet = ProductionOut.from_orm({**reports.production_sheet(slot), "slot": live}).model_dump(mode="json")
        del sheet["slot"]
        # Kept as its JSON text: for 2,000 bookings, unpickling the dict and encoding it again
        # on every request cost more than the queries (bench: production sheet).
        return dict.fromkeys(keys, json.dumps(sheet, cls=DjangoJSONEncoder, ensure_ascii=False))

    key = f"{slot.pk}:{get_language()}:json"
    sheet = cache.cached_values(("canteen.sheets",), [key], build)[key]
    head = json.dumps({"slot": live}, cls=DjangoJSONEncoder, ensure_ascii=False)
    # {"slot": ...} and the sheet's own members, in one object.
    body = head[:-1] + (", " + sheet[1:] if sheet != "{}" else "}")
    return HttpResponse(body, content_type="application/json")


@router.get("/reports/{kind}/", response=ReportOut, auth=member_auth, operation_id="canteen_report",
            summary="Staff: meals per day and tier, the subsidy claim (served meals, per diner), or deliveries, with totals")
def report(request, kind: Literal["meals", "subsidy", "deliveries"], canteen: int = Query(..., ge=1),
           month: str = Query(..., pattern=r"^\d{4}-\d{2}$")):
    _staff(request)
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
    queryset = queries.visible_deliveries(request.user)
    if slot:
        queryset = queryset.filter(booking__slot_id=slot)
    if date:
        queryset = queryset.filter(booking__slot__date=date)
    return queryset


@router.post("/deliveries/{delivery_id}/", response=DeliveryOut, auth=member_auth,
             operation_id="canteen_delivery_record", summary="Mark delivered or no answer")
def record_delivery(request, delivery_id: int, data: DeliveryIn):
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    if not queries.can_see_delivery(request.user, delivery):
        raise Http404
    services.record_delivery(request.user, delivery, delivered=data.status == "delivered", note=data.note)
    return queries.deliveries().get(pk=delivery_id)


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
    return queries.dish_feedback(dish_id)
