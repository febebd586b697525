"""Every read of the canteen and every "who sees what" rule, in one place.

Member pages, the API, the admin, the staff console, reports' exports and the member data export
call these functions, so a page and the API can never disagree about whose bookings are listed,
which drops a volunteer sees or for whom a member may order. What one row may still do
(``Booking.can_change``, ``MealSlot.booking_refusal``) lives on the model; who may touch a row is
decided here; changes go through ``canteen.services``.
"""

import datetime

from django.db.models import F, Prefetch, Q
from django.utils import timezone
from wagtail.images import get_image_model

from canteen.menus import PHOTO_SPEC
from canteen.models import (
    Booking,
    BookingLine,
    Canteen,
    Delivery,
    Diner,
    DinerLink,
    Dish,
    Feedback,
    Meal,
    MealSlot,
    Menu,
    MenuItem,
    WelfareAlert,
    meal_order,
)
from canteen.roles import CANTEEN_STAFF
from core.permissions import has_role

# --- roles ---------------------------------------------------------------------------------------

def is_canteen_staff(user) -> bool:
    return has_role(user, CANTEEN_STAFF)


# --- who may order for whom ---------------------------------------------------------------------

def diners_for(user):
    """Diners ``user`` may book for: their own profile and the diners linked to them. Canteen
    staff may book for anyone (:func:`can_order_for`) but this is not a list of everyone."""
    if not user.is_authenticated:
        return Diner.objects.none()
    return Diner.objects.filter(Q(user=user) | Q(links__user=user)).distinct()


def own_diner(user) -> Diner | None:
    """The member's own diner profile, if the canteen made one."""
    return Diner.objects.filter(user=user).first() if user.is_authenticated else None


def can_order_for(user, diner: Diner) -> bool:
    """The diner themselves, a family member linked to them, or canteen staff."""
    if not user.is_authenticated:
        return False
    if diner.user_id == user.pk or is_canteen_staff(user):
        return True
    return DinerLink.objects.filter(diner=diner, user=user).exists()


def visible_diner(user, diner_id) -> Diner | None:
    """The diner ``diner_id`` when ``user`` may book for them, else None: the same answer as for a
    diner that does not exist, so nobody learns who else eats at the canteen."""
    diner = Diner.objects.filter(pk=diner_id).first()
    return diner if diner is not None and can_order_for(user, diner) else None


def search_diners(q):
    """Phone console search: pinyin initials ("zgy"), part of the name, or phone digits."""
    q = q.strip().lower()
    condition = Q(name__icontains=q)
    if q.isascii() and q.isalpha():
        condition |= Q(initials__startswith=q)
    if q.isdigit() and len(q) >= 3:
        condition |= Q(phone__contains=q) | Q(user__phone__contains=q)
    return Diner.objects.filter(condition).select_related("community").order_by("name", "id")


def console_diners(q, *, limit=10):
    """The console's answer to ``q``: matching diners with their upcoming bookings (``upcoming``)."""
    upcoming = Booking.objects.filter(status=Booking.Status.CONFIRMED, slot__date__gte=timezone.localdate())
    return list(search_diners(q).prefetch_related(
        Prefetch("bookings", queryset=upcoming.select_related("slot__canteen").order_by(
            "slot__date", meal_order("slot__meal")), to_attr="upcoming"))[:limit])


# --- bookings ------------------------------------------------------------------------------------

def may_manage_booking(user, booking: Booking) -> bool:
    """May ``user`` see, change or cancel ``booking``: canteen staff (who alone handle group
    bookings), the diner, or family linked to the diner. The one rule for pages, API and services;
    whether the booking itself may still change is ``Booking.can_change``."""
    if is_canteen_staff(user):
        return True
    return bool(booking.diner_id) and can_order_for(user, booking.diner)


def _lines():
    return BookingLine.objects.select_related("item__dish", "item__set_meal")


def bookings():
    """Bookings with what every listing shows: slot and canteen, diner, delivery, lines and items."""
    return Booking.objects.select_related("slot__canteen", "slot__menu", "diner", "delivery").prefetch_related(
        Prefetch("lines", queryset=_lines())
    )


def my_bookings(user, *, since: datetime.date | None = None, upcoming=False):
    """"My bookings": those of the diners ``user`` may book for (themselves and family linked to
    them) and the group bookings ``user`` made, newest meal first, or (``upcoming``: from today,
    live) the next meal first. The member page shows it from two weeks back (``since``).
    """
    if not user.is_authenticated:
        return Booking.objects.none()
    queryset = bookings().filter(
        Q(diner__in=diners_for(user).values("pk")) | Q(booked_by=user, diner__isnull=True)
    )
    if since is not None:
        queryset = queryset.filter(slot__date__gte=since)
    if upcoming:
        # What is coming: the next meal first, as a person acts on it.
        queryset = queryset.filter(slot__date__gte=timezone.localdate(), status=Booking.Status.CONFIRMED)
        return queryset.order_by("slot__date", meal_order("slot__meal"), "id")
    # The whole history: the newest meal first, within a day the later meal first.
    return queryset.order_by("-slot__date", "-slot__cutoff_at", "-id")


def live_booking(diner, slot) -> Booking | None:
    """The diner's confirmed booking of ``slot``, if they have one (there is at most one)."""
    return Booking.objects.filter(diner=diner, slot=slot, status=Booking.Status.CONFIRMED).first()


def served_bookings(canteen, start: datetime.date, end: datetime.date, *, today=None):
    """Bookings of ``canteen`` from ``start`` to before ``end`` whose meal has been served: what
    the monthly subsidy claim may hold. A live booking counts once its meal is over (a day before
    ``today``, or today when it has been paid at the counter); a home delivery only once the drop
    was recorded as delivered (a "no answer" meal never reached the diner). Tomorrow's bookings,
    cancelled ones and the rest of today's are not claimed."""
    today = today or timezone.localdate()
    handed_over = Q(slot__date__lt=today) | Q(slot__date=today, paid_at__isnull=False)
    delivered = Q(mode=Booking.Mode.DELIVERY, delivery__status=Delivery.Status.DELIVERED)
    return Booking.objects.filter(
        (~Q(mode=Booking.Mode.DELIVERY) & handed_over) | (delivered & Q(slot__date__lte=today)),
        slot__canteen=canteen, status=Booking.Status.CONFIRMED, slot__date__gte=start, slot__date__lt=end,
    )


def meal_sort_key(booking):
    """Sorts bookings as the meals come: by day, lunch before dinner (models.meal_order in Python)."""
    return (booking.slot.date, Meal.values.index(booking.slot.meal) if booking.slot.meal in Meal.values else 99,
            booking.pk)


def visible_booking(user, booking_id) -> Booking | None:
    """The booking ``booking_id`` with its listing data when ``user`` may manage it, else None
    (the same answer as for a booking that does not exist)."""
    booking = bookings().filter(pk=booking_id).first()
    return booking if booking is not None and may_manage_booking(user, booking) else None


def slot_bookings(slot_id):
    """Staff: the live bookings of a slot, by diner."""
    return bookings().filter(slot_id=slot_id, status=Booking.Status.CONFIRMED).order_by("diner__name", "id")


def counter_bookings(slot, q=""):
    """The counter: every booking of ``slot`` (live ones first), narrowed to the diners matching ``q``."""
    queryset = bookings().filter(slot=slot).order_by("status", "diner__name", "group_name", "id")
    q = q.strip()
    if q:
        queryset = queryset.filter(diner__in=search_diners(q).values("pk"))
    return queryset


# --- canteens, menus and slots -------------------------------------------------------------------

def canteens():
    """Canteens with community, operator and delivery area (what the API shows)."""
    return Canteen.objects.select_related("community", "operator").prefetch_related("delivery_communities")


def open_canteens():
    return canteens().filter(is_active=True)


def published_menu(canteen, week_start) -> Menu | None:
    return Menu.objects.filter(canteen=canteen, week_start=week_start, is_published=True).first()


def published_slots():
    """Slots of published menus: the only ones members and the public see."""
    return MealSlot.objects.filter(menu__is_published=True)


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


def menu_days(canteen, week_start):
    """(menu, [(date, [slots with items])]) for the week of ``week_start``; no menu, no days."""
    menu = published_menu(canteen, week_start)
    slots = list(slots_with_items().filter(menu=menu).order_by("date", meal_order())) if menu else []
    days = {}
    for slot in slots:
        days.setdefault(slot.date, []).append(slot)
    return menu, sorted(days.items())


def open_slots(now=None):
    """Slots open for booking now: open, before the cut-off, canteen active, menu published.
    The same conditions ``MealSlot.booking_refusal`` checks on one row."""
    now = now or timezone.now()
    return published_slots().filter(status=MealSlot.Status.OPEN, cutoff_at__gt=now, canteen__is_active=True)


def bookable_slots(now=None):
    """Open slots with portions left."""
    return open_slots(now).filter(capacity__taken__lt=F("capacity__total"))


def filter_slots(*, canteen=None, date_from=None, date_to=None, meal=None, bookable=False):
    """The public slot listing: published slots of active canteens from ``date_from`` (today)."""
    queryset = (bookable_slots() if bookable else published_slots().filter(canteen__is_active=True))
    queryset = queryset.filter(date__gte=date_from or timezone.localdate())
    if canteen:
        queryset = queryset.filter(canteen_id=canteen)
    if date_to:
        queryset = queryset.filter(date__lte=date_to)
    if meal:
        queryset = queryset.filter(meal=meal)
    return queryset


def console_slots(*, limit=12):
    """The next meals the phone console can book."""
    return list(open_slots().select_related("canteen", "capacity").order_by("date", meal_order(), "canteen__name")[:limit])


def day_slots(date):
    """Staff: every slot of a day, published or not."""
    return MealSlot.objects.filter(date=date).select_related("canteen", "capacity").order_by("canteen__name", meal_order())


# --- deliveries ----------------------------------------------------------------------------------

def deliveries():
    """Drops with what a delivery list shows: date, diner, address, lines, volunteer."""
    return Delivery.objects.select_related("booking__slot", "booking__diner", "volunteer").prefetch_related(
        Prefetch("booking__lines", queryset=_lines())
    )


def can_see_delivery(user, delivery: Delivery) -> bool:
    """Canteen staff, or the volunteer the drop is assigned to (addresses and phones)."""
    return is_canteen_staff(user) or (user.is_authenticated and delivery.volunteer_id == user.pk)


def visible_deliveries(user, queryset=None):
    """The drops ``user`` may see, in walking order: every live one for canteen staff, only
    those assigned to them for a delivery volunteer."""
    queryset = (deliveries() if queryset is None else queryset).exclude(status=Delivery.Status.CANCELLED)
    if not is_canteen_staff(user):
        queryset = queryset.filter(volunteer_id=user.pk) if user.is_authenticated else queryset.none()
    return queryset.order_by("booking__slot__date", "booking__diner__building", "booking__diner__address", "id")


# --- feedback ------------------------------------------------------------------------------------

# --- welfare alerts -------------------------------------------------------------------------------

def is_grid_worker_for(user, community_id) -> bool:
    """Grid workers are people assigned to a community (core.Community.grid_workers), not a role."""
    return bool(user.is_authenticated and community_id
                and user.grid_communities.filter(pk=community_id).exists())


def can_follow_up_alert(user, alert: WelfareAlert) -> bool:
    return is_canteen_staff(user) or is_grid_worker_for(user, alert.delivery.booking.diner.community_id)


def open_alerts(user):
    """Welfare alerts without an outcome that ``user`` follows up: every one for canteen staff,
    those of their communities for grid workers, none for anyone else. Oldest first."""
    alerts = WelfareAlert.objects.filter(outcome="").select_related(
        "delivery__booking__diner__community", "delivery__booking__slot__canteen", "delivery__recorded_by",
    ).prefetch_related("attempts").order_by("opened_at", "id")
    if is_canteen_staff(user):
        return alerts
    if not user.is_authenticated:
        return alerts.none()
    return alerts.filter(delivery__booking__diner__community__in=user.grid_communities.all())


def dish_feedback(dish_id):
    return Feedback.objects.filter(dish_id=dish_id).select_related("dish")


def week_feedback(start):
    """Ratings and suggestions left in the week of ``start``, by dish."""
    end = start + datetime.timedelta(days=7)
    return (Feedback.objects.filter(created_at__date__gte=start, created_at__date__lt=end)
            .select_related("dish", "canteen", "diner").order_by("dish__name", "-created_at"))


# --- the member's data export -------------------------------------------------------------------

def export_member_data(user) -> dict:
    """The member's diner profile, family links and bookings, for the member's data export."""
    data = {"diner": None, "linked_diners": [], "bookings": []}
    diner = Diner.objects.filter(user=user).select_related("community").first()
    if diner:
        data["diner"] = {
            "name": diner.name, "phone": diner.phone, "birth_year": diner.birth_year,
            "special_group": diner.special_group, "lives_alone": diner.lives_alone,
            "needs_delivery": diner.needs_delivery, "community": str(diner.community or ""),
            "building": diner.building, "address": diner.address, "delivery_notes": diner.delivery_notes,
            "dietary_needs": diner.dietary_needs, "allergies": diner.allergies,
            "dietary_notes": diner.dietary_notes, "emergency_contact": diner.emergency_contact_name,
            "emergency_contact_phone": diner.emergency_contact_phone,
        }
    data["linked_diners"] = [
        {"name": link.diner.name, "relation": link.relation}
        for link in DinerLink.objects.filter(user=user).select_related("diner")
    ]
    # Bookings for me, and those I made for diners linked to me; not every diner a canteen
    # worker booked for by phone (their data is not the worker's).
    linked = DinerLink.objects.filter(user=user).values("diner")
    rows = (Booking.objects.filter(Q(diner__user=user) | Q(booked_by=user, diner__in=linked))
            .select_related("slot__canteen", "diner"))
    data["bookings"] = [
        {"canteen": b.slot.canteen.name, "date": b.slot.date.isoformat(), "meal": b.slot.meal, "who": b.who,
         "portions": b.portions, "payable": str(b.payable), "status": b.status}
        for b in rows[:1000]
    ]
    return data
