"""Every change to canteen bookings goes through here: the API, member pages, the staff console,
the admin and the demo seed call the same functions.

Portions come from ``core.capacity`` inside ``transaction.atomic``; the booking row and the claim
commit or roll back together. Prices are computed here, never taken from the client.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext_lazy as _

from canteen.models import (
    Booking,
    BookingLine,
    Canteen,
    Delivery,
    Diner,
    DinerLink,
    Feedback,
    MealSlot,
    Menu,
    MenuItem,
    SpecialGroup,
    WelfareAlert,
    WelfareAlertAttempt,
)
from canteen.queries import (
    can_follow_up_alert,
    can_order_for,
    can_see_delivery,
    is_canteen_staff,
    may_manage_booking,
)
from core import audit, cache, capacity, credits, notices
from core.errors import DomainError, NotAllowed
from core.notify import notify

ZERO = Decimal("0.00")
MAX_PORTIONS_PER_BOOKING = 10
MAX_PORTIONS_PER_GROUP = 200


class CanteenError(DomainError):
    messages = {
        "closed": _("This meal is not open for bookings."),
        "past_cutoff": _("Bookings for this meal closed at the cut-off time."),
        "sold_out": _("This meal is sold out."),
        "not_enough": _("Not enough portions are left for this booking."),
        "outside_delivery_area": _("This address is outside the canteen's delivery area."),
        "already_booked": _("There is already a booking for this diner and meal. Change it instead."),
        "not_confirmed": _("This booking is cancelled."),
        "no_items": _("Choose at least one dish or set meal."),
        "unknown_item": _("This dish is not on the menu of this meal."),
        "too_many": _("Too many portions in one booking."),
        "no_address": _("Home delivery needs a delivery address in the diner's profile."),
        "not_delivery": _("This booking is not a home delivery."),
        "already_recorded": _("This delivery has already been recorded."),
        "already_paid": _("The payment for this booking has already been recorded."),
        "no_diner": _("Create your diner profile first, or choose a diner."),
        "unknown_slot": _("This meal does not exist."),
        "unknown_payment_method": _("Choose cash, mobile payment or meal card."),
        "unknown_group": _("This price group does not exist."),
        "not_yet": _("This meal is not delivered yet: record the drop on the day."),
        "bad_month": _("Give a month as YYYY-MM."),
        "alert_closed": _("This welfare alert already has its outcome recorded."),
        "bad_outcome": _("Choose reached, visited or escalated."),
    }


def require_staff(user):
    if not is_canteen_staff(user):
        raise NotAllowed(_("Only canteen staff may do this."))


def channel_for(user, diner: Diner | None) -> str:
    if diner is not None and diner.user_id == user.pk:
        return Booking.Channel.SELF
    if is_canteen_staff(user):
        return Booking.Channel.PHONE
    return Booking.Channel.FAMILY


# --- prices --------------------------------------------------------------------------------------

@dataclass
class Quote:
    lines: list = field(default_factory=list)  # [(MenuItem, quantity)]
    portions: int = 0
    tier: str = ""
    list_price: Decimal = ZERO
    subsidy: Decimal = ZERO

    @property
    def payable(self):
        return self.list_price - self.subsidy


def best_tier(canteen: Canteen, *, age=None, special_group="", tiers=None):
    """The rule that applies: the special group's, else the age band's; the larger subsidy wins
    when both match (compared on a 10-yuan portion)."""
    tiers = list(canteen.price_tiers.all()) if tiers is None else tiers
    matches = [t for t in tiers if (special_group and t.special_group == special_group) or t.matches_age(age)]
    if not matches:
        return None
    return max(matches, key=lambda t: (t.subsidy_for(Decimal("10.00")), t.pk or 0))


def quote(slot: MealSlot, lines, *, diner: Diner | None = None, special_group="") -> Quote:
    """Price ``lines`` ([(MenuItem, quantity)]) for ``diner`` (or a group with ``special_group``).

    Subsidies apply to the canteen's subsidised portions per diner (most expensive first), or to
    every portion when the tier says so (group bookings such as the day-care class).
    """
    result = Quote(lines=lines)
    units = []
    for item, quantity in lines:
        result.portions += quantity
        result.list_price += item.price * quantity
        units.extend([item.price] * quantity)
    canteen = slot.canteen
    if diner is not None:
        special_group = diner.special_group
    tier = best_tier(canteen, age=diner.age_on(slot.date) if diner else None, special_group=special_group)
    if tier is not None:
        result.tier = tier.name
        # Only a tier that says "applies to every portion" subsidises a whole group booking; any
        # other tier, group or not, covers the canteen's subsidised portions (money is claimed on it).
        count = len(units) if tier.all_portions else canteen.subsidised_portions
        result.subsidy = sum((tier.subsidy_for(p) for p in sorted(units, reverse=True)[:count]), ZERO)
    result.list_price = result.list_price.quantize(Decimal("0.01"))
    result.subsidy = min(result.subsidy, result.list_price).quantize(Decimal("0.01"))
    return result


def quote_items(slot: MealSlot, items, *, diner: Diner | None = None) -> Quote:
    """Price ``items`` ([(menu item id, quantity)]) for ``diner`` before booking: the same checks
    and the same prices as :func:`book`."""
    return quote(slot, _resolve_lines(slot, items), diner=diner)


def _resolve_lines(slot: MealSlot, items, limit=MAX_PORTIONS_PER_BOOKING):
    """``items``: [(menu_item_id, quantity)] -> [(MenuItem, quantity)], merged and checked."""
    wanted = {}
    for item_id, quantity in items or []:
        quantity = int(quantity)
        if quantity < 0:
            raise CanteenError("no_items", status=422)
        if quantity:
            wanted[int(item_id)] = wanted.get(int(item_id), 0) + quantity
    if not wanted:
        raise CanteenError("no_items", status=422)
    found = {i.pk: i for i in MenuItem.objects.filter(slot=slot, pk__in=wanted).select_related("dish", "set_meal")}
    if len(found) != len(wanted):
        raise CanteenError("unknown_item", status=422)
    if sum(wanted.values()) > limit:
        raise CanteenError("too_many", status=422)
    return [(found[pk], quantity) for pk, quantity in sorted(wanted.items())]


# --- booking -------------------------------------------------------------------------------------

def _check_open(slot: MealSlot, *, walk_in=False):
    code = slot.booking_refusal(walk_in=walk_in)
    if code:
        raise CanteenError(code)


def _check_delivery(slot: MealSlot, diner: Diner | None, mode):
    if mode != Booking.Mode.DELIVERY:
        return
    if diner is None or not diner.address:
        raise CanteenError("no_address", status=422)
    if not slot.canteen.delivers_to(diner.community_id, diner.building):
        raise CanteenError("outside_delivery_area")


def _portions_changed():
    """The cached listing and menu show the portions left (canteen.slots): a claim or release
    (an UPDATE no signal reports) makes them stale when this transaction commits."""
    cache.mark_stale("canteen.slots")


def _release(slot: MealSlot, portions: int):
    capacity.release(slot.capacity.key, portions)
    _portions_changed()


def _claim(slot: MealSlot, portions: int):
    _portions_changed()
    try:
        capacity.claim(slot.capacity.key, portions)
    except capacity.CapacityError as exc:
        if exc.code == "full":
            raise CanteenError("sold_out") from exc
        if exc.code == "not_enough":
            raise CanteenError("not_enough") from exc
        raise


def _write_lines(booking, result: Quote, *, replace=True):
    if replace:
        booking.lines.all().delete()
    # Kept on the booking with their items: the API answers a new booking from memory.
    booking.written_lines = BookingLine.objects.bulk_create(
        [BookingLine(booking=booking, item=item, quantity=qty, unit_price=item.price) for item, qty in result.lines]
    )


def _apply_quote(booking: Booking, result: Quote):
    booking.portions = result.portions
    booking.tier = result.tier
    booking.list_price = result.list_price
    booking.subsidy = result.subsidy
    booking.payable = result.payable


def _load_slot(slot_or_id) -> MealSlot:
    """Always read afresh: status and cut-off are checked against the row as it is now."""
    slot_id = slot_or_id.pk if isinstance(slot_or_id, MealSlot) else slot_or_id
    slot = MealSlot.objects.select_related("canteen", "capacity", "menu").filter(pk=slot_id).first()
    if slot is None:
        raise CanteenError("unknown_slot", status=404)
    return slot


def book(actor, *, diner: Diner, slot, items, mode=Booking.Mode.DINE_IN, notes="", channel=None,
         via="api") -> Booking:
    """Book a meal for ``diner``: by the diner, linked family, or canteen staff (phone, walk-in)."""
    slot = _load_slot(slot)
    if not can_order_for(actor, diner):
        raise NotAllowed(_("You may only book for yourself and for diners linked to you."))
    channel = channel or channel_for(actor, diner)
    if channel in (Booking.Channel.WALK_IN, Booking.Channel.PHONE) and not is_canteen_staff(actor):
        channel = channel_for(actor, diner)
    _check_open(slot, walk_in=channel == Booking.Channel.WALK_IN)
    _check_delivery(slot, diner, mode)
    if slot.capacity.remaining == 0:
        # Cheap early answer when the slot was already full as we read it; the authoritative
        # check is the claim under the lock below.
        raise CanteenError("sold_out")
    lines = _resolve_lines(slot, items)
    result = quote(slot, lines, diner=diner)
    try:
        with capacity.atomic():
            booking = Booking(slot=slot, diner=diner, mode=mode, notes=notes, channel=channel, booked_by=actor)
            _apply_quote(booking, result)
            booking.save()
            _write_lines(booking, result, replace=False)
            if mode == Booking.Mode.DELIVERY:
                Delivery.objects.create(booking=booking)
            on_behalf = diner.user if diner.user_id and diner.user_id != actor.pk else None
            audit.record(booking, "fengchao.claim", actor=actor, on_behalf_of=on_behalf, via=via,
                         data={"portions": result.portions, "payable": str(result.payable), "channel": channel})
            # The portions last: on PostgreSQL their row stays locked from the claim to the commit,
            # so every other booking of this meal waits only for this UPDATE and the COMMIT, not
            # for the rows above. Sold out rolls all of them back with it.
            _claim(slot, result.portions)
    except IntegrityError as exc:
        # One live booking per diner and meal is the partial unique index's job (it also holds
        # against two bookings racing); the claim above rolls back with the failed insert.
        raise CanteenError("already_booked") from exc
    if channel != Booking.Channel.WALK_IN:
        _confirm_booking(booking, actor)
    return booking


def _confirm_booking(booking: Booking, actor) -> int:
    """Tell the diner what was booked (their account's phone or WeChat, else the diner's own phone
    for someone booked by phone who has no account), and the family member who booked too.
    Queued after commit by core.notify: a booking that rolls back texts nobody. A walk-in at the
    counter is told there and then."""
    slot, diner = booking.slot, booking.diner
    values = {
        "canteen": slot.canteen.name, "name": diner.name, "meal": slot.get_meal_display(),
        "date": date_format(slot.date, "MONTH_DAY_FORMAT"), "mode": booking.get_mode_display(),
        "payable": booking.payable,
        "cutoff": date_format(timezone.localtime(slot.cutoff_at), "MONTH_DAY_FORMAT") + " "
        + time_format(timezone.localtime(slot.cutoff_at)),
    }
    kind = "canteen.booked"
    if diner.user_id:
        # The diner booking for themselves is the actor, already loaded: no query for it.
        member = actor if diner.user_id == actor.pk else diner.user
        sent = notify(member, kind=kind, params=values, channels=("sms", "wechat"))
    else:
        sent = notify(recipient=diner.phone, kind=kind, params=values) if diner.phone else 0
    if actor.pk != diner.user_id and not is_canteen_staff(actor):
        sent += notify(actor, kind=kind, params=values, channels=("sms", "wechat"))
    return sent


def group_booking(actor, *, slot, group_name, items, special_group="", mode=Booking.Mode.DINE_IN, notes="",
                  via="api") -> Booking:
    """Canteen staff book many portions at once for a group (e.g. 20 for the day-care class)."""
    require_staff(actor)
    if special_group not in SpecialGroup.values:
        raise CanteenError("unknown_group", status=422)
    slot = _load_slot(slot)
    _check_open(slot)
    lines = _resolve_lines(slot, items, limit=MAX_PORTIONS_PER_GROUP)
    result = quote(slot, lines, special_group=special_group)
    with capacity.atomic():
        _claim(slot, result.portions)
        booking = Booking(slot=slot, group_name=group_name, special_group=special_group, mode=mode, notes=notes,
                          channel=Booking.Channel.GROUP, booked_by=actor)
        _apply_quote(booking, result)
        booking.save()
        _write_lines(booking, result, replace=False)
        audit.record(booking, "fengchao.claim", actor=actor, via=via,
                     data={"portions": result.portions, "group": group_name, "payable": str(result.payable)})
    return booking


def _may_change(actor, booking: Booking):
    if not may_manage_booking(actor, booking):
        raise NotAllowed(_("You may only change your own bookings and those of diners linked to you."))


def _lock_booking(booking_id) -> Booking:
    """The booking row locked (not its slot, canteen or menu), with them read for its predicates."""
    return (Booking.objects.select_for_update(of=("self",)).select_related("slot__canteen", "slot__menu", "diner")
            .get(pk=booking_id))


def change(actor, booking: Booking, *, items=None, mode=None, notes=None, via="api") -> Booking:
    """Change items, mode or notes until the cut-off; portions are claimed or released by the
    difference. Refused once paid (``Booking.change_refusal``), as cancelling is."""
    _may_change(actor, booking)
    staff = is_canteen_staff(actor)
    slot = _load_slot(booking.slot_id)
    with capacity.atomic():
        booking = _lock_booking(booking.pk)
        # Re-checked on the locked row: a payment recorded a moment ago wins over this change.
        code = booking.change_refusal(by_staff=staff)
        if code:
            raise CanteenError(code)
        mode = mode or booking.mode
        if mode != booking.mode:
            _check_delivery(slot, booking.diner, mode)
        if items is not None:
            limit = MAX_PORTIONS_PER_GROUP if booking.group_name else MAX_PORTIONS_PER_BOOKING
            lines = _resolve_lines(slot, items, limit=limit)
            current = {line.item_id: line.quantity for line in booking.lines.all()}
            if {item.pk: quantity for item, quantity in lines} != current:
                # New items are priced now; unchanged ones keep the prices they were booked at
                # (a note or the mode changed must not re-price the meal after a menu change).
                result = quote(slot, lines, diner=booking.diner, special_group=booking.special_group)
                difference = result.portions - booking.portions
                if difference > 0:
                    _claim(slot, difference)
                elif difference < 0:
                    _release(slot, -difference)
                _apply_quote(booking, result)
                _write_lines(booking, result)
        was_delivery = booking.mode == Booking.Mode.DELIVERY
        booking.mode = mode
        if notes is not None:
            booking.notes = notes
        booking.save()
        if mode == Booking.Mode.DELIVERY and not was_delivery:
            Delivery.objects.update_or_create(booking=booking, defaults={"status": Delivery.Status.PENDING})
        elif mode != Booking.Mode.DELIVERY and was_delivery:
            Delivery.objects.filter(booking=booking).update(status=Delivery.Status.CANCELLED)
        audit.record(booking, "canteen.change", actor=actor, on_behalf_of=booking.diner.user if booking.diner_id
                     else None, via=via, data={"portions": booking.portions, "mode": mode})
    return booking


def annotate(actor, booking: Booking, *, notes, via="admin") -> Booking:
    """Staff edit a booking's notes (the admin): at any time, paid or not, since nothing is
    re-priced or re-counted; the audit entry keeps the old and the new text."""
    require_staff(actor)
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        old = booking.notes
        if old != notes:
            booking.notes = notes
            booking.save(update_fields=["notes", "updated_at"])
            audit.record(booking, "canteen.change", actor=actor, via=via,
                         on_behalf_of=booking.diner.user if booking.diner_id else None,
                         data={"fields": ["notes"], "old": old, "new": notes})
    return booking


def cancel(actor, booking: Booking, *, via="api") -> Booking:
    """Cancel until the cut-off (staff: after it too, unless paid); the portions go back to the slot."""
    _may_change(actor, booking)
    staff = is_canteen_staff(actor)
    slot = _load_slot(booking.slot_id)
    with capacity.atomic():
        booking = _lock_booking(booking.pk)
        code = booking.cancel_refusal(by_staff=staff)
        if code:
            raise CanteenError(code)
        _release(slot, booking.portions)
        booking.status = Booking.Status.CANCELLED
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "cancelled_at", "updated_at"])
        Delivery.objects.filter(booking=booking).update(status=Delivery.Status.CANCELLED)
        audit.record(booking, "fengchao.release", actor=actor, via=via, data={"portions": booking.portions},
                     on_behalf_of=booking.diner.user if booking.diner_id else None)
    return booking


def record_payment(actor, booking: Booking, *, method, amount=None, via="api") -> Booking:
    """Staff (or the delivery volunteer, on delivery) record a payment at the counter or the door."""
    if method not in Booking.PaymentMethod.values:
        raise CanteenError("unknown_payment_method", status=422)
    with transaction.atomic():
        booking = _lock_booking(booking.pk)
        delivery = Delivery.objects.filter(booking=booking).first()
        if not (is_canteen_staff(actor) or (delivery and delivery.volunteer_id == actor.pk)):
            raise NotAllowed(_("Only canteen staff and the delivery volunteer record payments."))
        if booking.status != Booking.Status.CONFIRMED:
            raise CanteenError("not_confirmed")
        if booking.paid_at:
            raise CanteenError("already_paid")
        booking.paid_amount = booking.payable if amount is None else Decimal(amount)
        booking.payment_method = method
        booking.paid_at = timezone.now()
        booking.payment_recorded_by = actor
        booking.save(update_fields=["paid_amount", "payment_method", "paid_at", "payment_recorded_by", "updated_at"])
        audit.record(booking, "canteen.payment", actor=actor, via=via,
                     data={"amount": str(booking.paid_amount), "method": method})
    return booking


# --- delivery ------------------------------------------------------------------------------------

def assign_delivery(actor, delivery_ids, volunteer, *, via="api") -> int:
    require_staff(actor)
    with transaction.atomic():
        count = Delivery.objects.filter(pk__in=delivery_ids).update(volunteer=volunteer)
        for delivery in Delivery.objects.filter(pk__in=delivery_ids):
            audit.record(delivery, "canteen.assign", actor=actor, via=via,
                         data={"volunteer": volunteer.pk if volunteer else None})
    return count


def record_delivery(actor, delivery: Delivery, *, delivered: bool, note="", via="api") -> Delivery:
    """Mark a drop delivered, or "no answer": then the diner's emergency contact and the
    community's grid workers are told (after commit), so someone goes to look."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related(
            "booking__diner__community", "booking__slot__canteen").get(pk=delivery.pk)
        if not can_see_delivery(actor, delivery):
            raise NotAllowed(_("Only canteen staff and the assigned volunteer record this delivery."))
        if timezone.localdate() < delivery.booking.slot.date:
            # A mis-tap on tomorrow's list must not tell the family that nobody answered.
            raise CanteenError("not_yet")
        if delivery.status != Delivery.Status.PENDING:
            raise CanteenError("already_recorded")
        delivery.status = Delivery.Status.DELIVERED if delivered else Delivery.Status.NO_ANSWER
        delivery.note = note
        delivery.recorded_at = timezone.now()
        delivery.recorded_by = actor
        delivery.save()
        audit.record(delivery, "canteen.delivery", actor=actor, via=via, data={"status": delivery.status})
        if delivery.volunteer_id:
            _credit_volunteer(delivery)
        if not delivered:
            _alert_no_answer(delivery)
    return delivery


#: Volunteer minutes one recorded drop is worth; a knock with no answer was a trip all the same.
DELIVERY_CREDIT_MINUTES = 20


def _credit_volunteer(delivery: Delivery):
    """Credit the delivery volunteer's hours through core.credits (kept by the volunteers plugin
    when it is enabled; idempotent on the source key)."""
    end = delivery.recorded_at
    credits.credit(
        member=delivery.volunteer_id, minutes=DELIVERY_CREDIT_MINUTES,
        activity=_("Meal delivery · %(canteen)s") % {"canteen": delivery.booking.slot.canteen},
        start=end - datetime.timedelta(minutes=DELIVERY_CREDIT_MINUTES), end=end,
        source_key=f"canteen.delivery.{delivery.pk}", community=delivery.booking.diner.community_id,
        outputs={str(_("meals delivered")): 1},
    )


def _alert_no_answer(delivery: Delivery):
    """Open the welfare alert and try everyone who can go and look: the emergency contact, the
    family member who booked and the community's grid workers. Every attempt is kept, the ones
    that could not be sent too, with the reason, so staff see who was not told."""
    from core.models import Community
    from core.notify import recipient_for

    booking = delivery.booking
    diner = booking.diner
    alert = WelfareAlert.objects.create(delivery=delivery)
    local = timezone.localtime(delivery.recorded_at)
    values = {
        "name": diner.name, "time": f"{local:%H:%M}", "canteen": booking.slot.canteen.name,
        "meal": booking.slot.get_meal_display().lower(),
        "address": diner.address, "contact": diner.emergency_contact_name or "-",
        "contact_phone": diner.emergency_contact_phone or "-",
    }
    Recipient, Status = WelfareAlertAttempt.Recipient, WelfareAlertAttempt.Status

    def attempt(recipient, name, *, user=None, phone="", kind, reason_missing):
        address = phone or (recipient_for(user, "sms") if user is not None else "")
        sent = bool(address) and notify(user, recipient=address if user is None else None, kind=kind,
                                        params=notices.get(kind).pick(values),
                                        channels=("sms",) if user is None else ("sms", "wechat"))
        WelfareAlertAttempt.objects.create(
            alert=alert, recipient=recipient, name=name[:60], user=user, address=address,
            status=Status.QUEUED if sent else Status.NOT_SENT, reason="" if sent else str(reason_missing))

    attempt(Recipient.EMERGENCY_CONTACT, diner.emergency_contact_name, phone=diner.emergency_contact_phone,
            kind="canteen.no_answer_family", reason_missing=_("The diner has no emergency contact phone."))
    family = booking.booked_by
    if family is not None and family.pk != diner.user_id and not is_canteen_staff(family):
        attempt(Recipient.FAMILY, family.display_name or family.username, user=family, kind="canteen.no_answer_family",
                reason_missing=_("The family member who booked has no phone or WeChat on their account."))
    workers = list(Community.objects.get(pk=diner.community_id).grid_workers.filter(is_active=True)) \
        if diner.community_id else []
    for worker in workers:
        attempt(Recipient.GRID_WORKER, worker.display_name or worker.username, user=worker, kind="canteen.no_answer_staff",
                reason_missing=_("The grid worker has no phone or WeChat on their account."))
    if not workers:
        WelfareAlertAttempt.objects.create(
            alert=alert, recipient=Recipient.GRID_WORKER, status=Status.NOT_SENT,
            reason=str(_("No grid worker is assigned to the diner's community.") if diner.community_id
                       else _("The diner has no community, so no grid worker could be found.")))
    audit.record(alert, "canteen.welfare_alert", actor=None, via="command",
                 data={"attempts": alert.attempts.count(), "sent": alert.attempts.filter(status=Status.QUEUED).count()})
    return alert


def record_alert_outcome(actor, alert: WelfareAlert, *, outcome: str, note="", via="page") -> WelfareAlert:
    """Close a welfare alert with what was found. Canteen staff and the community's grid workers."""
    with transaction.atomic():
        alert = WelfareAlert.objects.select_for_update(of=("self",)).select_related(
            "delivery__booking__diner").get(pk=alert.pk)
        if not can_follow_up_alert(actor, alert):
            raise NotAllowed(_("Only canteen staff and the community's grid workers follow up welfare alerts."))
        if not alert.is_open:
            raise CanteenError("alert_closed")
        if outcome not in WelfareAlert.Outcome.values:
            raise CanteenError("bad_outcome", status=422)
        alert.outcome, alert.outcome_note = outcome, note[:300]
        alert.closed_at, alert.closed_by = timezone.now(), actor
        alert.save(update_fields=["outcome", "outcome_note", "closed_at", "closed_by"])
        audit.record(alert, "canteen.welfare_alert_outcome", actor=actor, via=via, data={"outcome": outcome})
    return alert


# --- feedback, menus, data export ----------------------------------------------------------------

#: What a diner (or linked family) may change themselves; age, special group, community and
#: building decide subsidies and the delivery area, so canteen staff set those from an ID card.
SELF_SERVICE_FIELDS = ("phone", "address", "delivery_notes", "dietary_needs", "allergies", "dietary_notes",
                       "emergency_contact_name", "emergency_contact_phone", "needs_delivery")


def update_diner(actor, diner: Diner, changes: dict, *, via="api") -> Diner:
    staff = is_canteen_staff(actor)
    if not can_order_for(actor, diner):
        raise NotAllowed(_("You may only change your own profile and those of diners linked to you."))
    allowed = None if staff else SELF_SERVICE_FIELDS
    changed = sorted(k for k, v in changes.items() if (allowed is None or k in allowed) and getattr(diner, k) != v)
    with transaction.atomic():
        for field_name in changed:
            setattr(diner, field_name, changes[field_name])
        # Only what this change touches is validated: an imported row may carry a bad value
        # elsewhere (a birth year of 1800), and that must not stop the diner fixing an address.
        untouched = [f.name for f in Diner._meta.get_fields() if f.concrete and f.name not in changed]
        try:
            diner.full_clean(exclude=untouched)
        except ValidationError as exc:
            raise CanteenError("invalid_diner", "；".join(
                " ".join(errors) for errors in exc.message_dict.values()), status=422) from exc
        diner.save()
        if changed:
            audit.record(diner, "fengchao.profile_change", actor=actor, on_behalf_of=diner.user, via=via,
                         data={"fields": changed})
    return diner


#: The diner's own fields the admin edits (all of them): compared with the stored row for the
#: audit entry, so it names what changed.
_DINER_FIELDS = ("name", "user", "phone", "birth_year", "special_group", "lives_alone", "needs_delivery",
                 "community", "building", "address", "delivery_notes", "dietary_needs", "allergies",
                 "dietary_notes", "emergency_contact_name", "emergency_contact_phone")


def _links(diner_id):
    return set(DinerLink.objects.filter(diner_id=diner_id).values_list("user_id", "relation"))


def save_diner(actor, diner: Diner, *, via="admin") -> Diner:
    """Canteen staff create or edit a diner with every field and the family links that may book
    for them (the admin form, its links not yet saved: saving the diner saves them too). Staff
    set age, special group and address from an ID card; the audit entry names what changed."""
    require_staff(actor)
    with transaction.atomic():
        before = Diner.objects.select_for_update().filter(pk=diner.pk).first() if diner.pk else None
        links_before = _links(diner.pk) if before else set()
        diner.save()
        if before is None:
            audit.record(diner, "wagtail.create", actor=actor, via=via)
            return diner
        attnames = {name: Diner._meta.get_field(name).attname for name in _DINER_FIELDS}
        changed = [name for name, attname in attnames.items() if getattr(before, attname) != getattr(diner, attname)]
        if _links(diner.pk) != links_before:
            changed.append("links")
        if changed:
            audit.record(diner, "fengchao.profile_change", actor=actor, on_behalf_of=diner.user, via=via,
                         data={"fields": changed})
    return diner


def leave_feedback(actor, *, diner: Diner, dish=None, canteen=None, rating=None, text="", via="api") -> Feedback:
    if not can_order_for(actor, diner):
        raise NotAllowed(_("You may only leave feedback for yourself and diners linked to you."))
    if rating is None and not text.strip():
        raise CanteenError("empty_feedback", _("Give a rating or write a suggestion."), status=422)
    feedback = Feedback.objects.create(diner=diner, dish=dish, canteen=canteen, rating=rating, text=text.strip())
    audit.record(feedback, "wagtail.create", actor=actor, via=via)
    return feedback


def week_start(date=None) -> datetime.date:
    date = date or timezone.localdate()
    return date - datetime.timedelta(days=date.weekday())


def _define_portions(slot: MealSlot, portions: int):
    key = slot.capacity.key if slot.capacity_id else MealSlot.capacity_key(slot.canteen_id, slot.date, slot.meal)
    slot.capacity = capacity.define(key, portions)


def create_slot(menu: Menu, date, meal, *, portions=None, items=(), cutoff_at=None) -> MealSlot:
    """Create a meal slot with its portions; ``items``: [(dish or set meal, price)]. Idempotent
    (the demo seed runs it again): an existing slot is returned as it is."""
    from .models import SetMeal

    canteen = menu.canteen
    with transaction.atomic():
        slot = MealSlot.objects.filter(canteen=canteen, date=date, meal=meal).first()
        if slot is None:
            slot = MealSlot(menu=menu, canteen=canteen, date=date, meal=meal,
                            cutoff_at=cutoff_at or canteen.cutoff_for(date, meal))
            _define_portions(slot, portions or canteen.default_portions)
            slot.save()
        for order, (thing, price) in enumerate(items):
            kwargs = {"set_meal": thing} if isinstance(thing, SetMeal) else {"dish": thing}
            MenuItem.objects.get_or_create(slot=slot, **kwargs, defaults={"price": price, "sort_order": order})
    return slot


def save_slot(actor, slot: MealSlot, *, portions: int, via="admin") -> MealSlot:
    """Create or edit a meal slot as the admin form left it (its items not yet saved: saving the
    slot saves them too). The canteen is the menu's; an empty cut-off becomes the canteen's usual
    one that day; portions go through ``core.capacity``, which refuses fewer than are booked."""
    require_staff(actor)
    created = slot.pk is None
    slot.canteen = slot.menu.canteen
    if not slot.cutoff_at:
        slot.cutoff_at = slot.canteen.cutoff_for(slot.date, slot.meal)
    with transaction.atomic():
        _define_portions(slot, portions)
        slot.save()
        audit.record(slot, "wagtail.create" if created else "wagtail.edit", actor=actor, via=via,
                     data={"portions": portions})
    return slot
