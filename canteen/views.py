"""Member and staff pages. Thin: every change goes through ``canteen.services``."""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from canteen import queries, reports, services
from canteen.forms import BookingForm, ConsoleSearchForm, DinerSelfServiceForm, FeedbackForm
from canteen.models import Booking, Canteen, Delivery, Diner, Dish, MealSlot, WelfareAlert
from core.errors import DomainError
from core.formats import local_date
from core.http import redirect_back


def staff_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not queries.is_canteen_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


#: Dates the pages accept from the address bar; anything else (2030-02-30, 9999-12-31, whose
#: next week does not exist) falls back to today rather than answering 500.
DATE_RANGE = (datetime.date(1900, 1, 1), datetime.date(2999, 12, 31))


def _date(value):
    try:
        date = parse_date(value or "")
    except ValueError:
        return None
    return date if date and DATE_RANGE[0] <= date <= DATE_RANGE[1] else None


def _week(request):
    return services.week_start(_date(request.GET.get("week")))


def index(request):
    canteens = queries.open_canteens()
    return render(request, "canteen/index.html", {
        "canteens": canteens, "is_staff": queries.is_canteen_staff(request.user),
        "my_diners": list(queries.diners_for(request.user)) if request.user.is_authenticated else [],
    })


def canteen_page(request, slug):
    canteen = get_object_or_404(Canteen.objects.select_related("community", "operator"), slug=slug)
    start = _week(request)
    menu, days = queries.menu_days(canteen, start)
    bookable, other = [], []
    for day, slots in days:
        # Meals open for booking first; the closed, sold-out and past ones of the week after them.
        open_now = [slot for slot in slots if slot.is_bookable_now]
        if open_now:
            bookable.append((day, open_now))
        if len(open_now) < len(slots):
            other.append((day, [slot for slot in slots if not slot.is_bookable_now]))
    return render(request, "canteen/canteen.html", {
        "canteen": canteen, "menu": menu, "days": days, "week_start": start,
        "bookable_days": bookable, "other_days": other, "other_count": sum(len(slots) for _day, slots in other),
        "previous_week": start - datetime.timedelta(days=7), "next_week": start + datetime.timedelta(days=7),
        "today": timezone.localdate(), "is_staff": queries.is_canteen_staff(request.user),
    })


def board(request, slug):
    """The week's menu in large print for the notice board (prints on one A4 landscape page)."""
    canteen = get_object_or_404(Canteen, slug=slug)
    start = _week(request)
    menu, days = queries.menu_days(canteen, start)
    return render(request, "canteen/board.html", {"canteen": canteen, "menu": menu, "days": days,
                                                   "week_start": start})


@login_required
@require_http_methods(["GET", "POST"])
def book(request, slot_id, diner_id=None):
    """Book a slot for myself or a diner linked to me; staff reach it from the console for anyone."""
    slot = get_object_or_404(queries.slots_with_items().filter(menu__is_published=True).select_related("canteen"),
                             pk=slot_id)
    if diner_id is not None:
        diner = queries.visible_diner(request.user, diner_id)
        if diner is None:
            raise Http404
        diners = [diner]
    else:
        diners = list(queries.diners_for(request.user))
    if not diners:
        messages.info(request, _("Ask the canteen to create your diner profile, or ask a family member to link you."))
        return redirect("canteen:index")
    if diner_id is not None:
        existing = queries.live_booking(diners[0], slot)
        if existing is not None:
            # Booking twice is refused anyway: open the booking there is, to change it.
            messages.info(request, _("%(name)s already has this meal booked: change it here.") % {"name": diners[0].name})
            return redirect("canteen:change", booking_id=existing.pk)
    form = BookingForm(request.POST if request.method == "POST" else None, slot=slot, diners=diners)
    if request.method == "POST" and form.is_valid():
        diner = next((d for d in diners if d.pk == form.cleaned_data["diner"]), None)
        if diner is None:
            raise Http404
        # services.book ignores a walk-in claimed by anyone but canteen staff.
        channel = Booking.Channel.WALK_IN if request.POST.get("walk_in") else None
        try:
            booking = services.book(request.user, diner=diner, slot=slot, items=form.items(),
                                    mode=form.cleaned_data["mode"], notes=form.cleaned_data["notes"],
                                    channel=channel, via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Booked %(meal)s for %(name)s. To pay: ¥%(payable)s (subsidy ¥%(subsidy)s).")
                             % {"meal": slot, "name": diner.name, "payable": booking.payable,
                                "subsidy": booking.subsidy})
            if diner_id is not None and queries.is_canteen_staff(request.user):
                return redirect(f"{reverse('canteen:console')}?{urlencode({'q': diner.name})}")
            return redirect("canteen:my_bookings")
    return render(request, "canteen/book.html", {"slot": slot, "form": form, "diners": diners,
                                                  "is_canteen_staff": queries.is_canteen_staff(request.user)})


@login_required
def my_bookings(request):
    """The same list as ``GET /api/v3/canteen/bookings/`` (queries.my_bookings), from two weeks back."""
    today = timezone.localdate()
    bookings = list(queries.my_bookings(request.user, since=today - datetime.timedelta(days=14)))
    return render(request, "canteen/my_bookings.html", {
        # The next meal first (what a person acts on), then the past two weeks, latest first.
        "coming": sorted((b for b in bookings if b.slot.date >= today), key=queries.meal_sort_key),
        "earlier": [b for b in bookings if b.slot.date < today], "now": timezone.now(),
        "diners": queries.diners_for(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def change_booking(request, booking_id):
    """Change a booking: whoever may manage it (queries.may_manage_booking, as in the API), while
    ``Booking.can_change`` holds; a paid booking is refused with the service's reason (409)."""
    booking = queries.visible_booking(request.user, booking_id)
    if booking is None:
        raise Http404
    slot = queries.slots_with_items().select_related("canteen").get(pk=booking.slot_id)
    form = BookingForm(request.POST if request.method == "POST" else None, slot=slot,
                       diners=[booking.diner] if booking.diner_id else [], booking=booking)
    status = 200
    # Said before the form is filled in: a paid or closed booking would be refused anyway.
    refusal = booking.change_refusal(by_staff=queries.is_canteen_staff(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.change(request.user, booking, items=form.items(), mode=form.cleaned_data["mode"],
                            notes=form.cleaned_data["notes"], via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = exc.status
        else:
            messages.success(request, _("Your booking has been changed."))
            return redirect("canteen:my_bookings")
    return render(request, "canteen/book.html", {
        "slot": slot, "form": form, "booking": booking,
        "refusal": services.CanteenError(refusal).message if refusal and request.method == "GET" else None,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def cancel_booking(request, booking_id):
    """Cancelling asks first, on a page of its own (no JavaScript needed) that names the meal, the
    day and who eats: a bare "取消" is what phone dialogs use for "close". Only that page's button
    (``confirm=yes``) cancels; anything else shows the question again."""
    booking = queries.visible_booking(request.user, booking_id)
    if booking is None:
        raise Http404
    slot = booking.slot
    meal = f"{local_date(slot.date, 'DAY_FORMAT')} {slot.get_meal_display()}"
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        try:
            services.cancel(request.user, booking, via="page")
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The booking for %(meal)s (%(name)s) has been cancelled.")
                             % {"meal": meal, "name": booking.who})
        return redirect_back(request, "canteen:my_bookings")
    refusal = booking.cancel_refusal(by_staff=queries.is_canteen_staff(request.user))
    return render(request, "confirm.html", {
        "title": pgettext("canteen", "Cancel the booking"),
        "facts": [(_("Meal"), meal), (_("Canteen"), slot.canteen.name), (_("Who is eating"), booking.who),
                  (_("Dishes"), "，".join(f"{line.item.name} × {line.quantity}" for line in booking.lines.all()))],
        "question": _("Cancel this booking? The portions go back for others to book."),
        "button": pgettext("canteen", "Yes, cancel the booking"),
        "back": reverse("canteen:my_bookings"), "back_label": _("No, keep the booking"),
        "refusal": services.CanteenError(refusal).message if refusal else None,
        "action": request.path, "next": _safe_next(request),
    })


def _safe_next(request):
    """The ``next`` a list passed along (it returns there after cancelling), when it is on this site."""
    target = request.GET.get("next") or request.POST.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


@login_required
@require_http_methods(["GET", "POST"])
def feedback(request, dish_id):
    dish = get_object_or_404(Dish, pk=dish_id)
    # My own profile first: feedback is signed with it unless I choose a diner linked to me.
    diners = sorted(queries.diners_for(request.user), key=lambda d: (d.user_id != request.user.pk, d.name, d.pk))
    form = FeedbackForm(request.POST if request.method == "POST" else None, diners=diners)
    if request.method == "POST" and diners and form.is_valid():
        try:
            services.leave_feedback(request.user, diner=form.chosen_diner(), dish=dish, rating=form.cleaned_data["rating"],
                                    text=form.cleaned_data["text"], via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thank you. The kitchen reads every suggestion."))
            return redirect("canteen:my_bookings")
    return render(request, "canteen/feedback.html", {"dish": dish, "form": form, "has_diner": bool(diners)})


# --- staff ---------------------------------------------------------------------------------------

@staff_only
def console(request):
    """The phone console: find a diner in a few keystrokes, see their upcoming bookings, book."""
    form = ConsoleSearchForm(request.GET or None)
    diners = []
    if form.is_valid() and form.cleaned_data["q"]:
        diners = queries.console_diners(form.cleaned_data["q"])
    slots = queries.console_slots()
    for diner in diners:
        # A slot the diner already has is listed as booked (change it there), not offered again.
        booked = {b.slot_id for b in diner.upcoming}
        diner.offer = [slot for slot in slots if slot.pk not in booked]
    return render(request, "canteen/console.html", {"form": form, "diners": diners, "slots": slots,
                                                     "now": timezone.now()})


@staff_only
def slot_list(request):
    date = _date(request.GET.get("date")) or timezone.localdate()
    slots = queries.day_slots(date)
    return render(request, "canteen/slots.html", {"slots": slots, "date": date,
                                                   "previous": date - datetime.timedelta(days=1),
                                                   "next": date + datetime.timedelta(days=1)})


@staff_only
def production(request, slot_id):
    slot = get_object_or_404(MealSlot.objects.select_related("canteen"), pk=slot_id)
    return render(request, "canteen/production.html", {"sheet": reports.production_sheet(slot), "slot": slot})


@login_required
def deliveries(request, slot_id=None):
    """Staff see every drop of a slot; a volunteer sees only the drops assigned to them."""
    is_staff = queries.is_canteen_staff(request.user)
    queryset = queries.visible_deliveries(request.user)
    slot = None
    if slot_id is not None:
        slot = get_object_or_404(MealSlot.objects.select_related("canteen"), pk=slot_id)
        queryset = queryset.filter(booking__slot=slot)
    else:
        queryset = queryset.filter(booking__slot__date=timezone.localdate())
    groups = {}
    for delivery in queryset:
        groups.setdefault(delivery.booking.diner.building or _("(no building)"), []).append(delivery)
    return render(request, "canteen/deliveries.html", {"groups": sorted(groups.items()), "slot": slot,
                                                        "is_staff": is_staff, "today": timezone.localdate()})


@login_required
@require_POST
def record_delivery(request, delivery_id):
    delivery = get_object_or_404(Delivery, pk=delivery_id)
    if not queries.can_see_delivery(request.user, delivery):
        raise Http404
    status = request.POST.get("status")
    if status not in (Delivery.Status.DELIVERED, Delivery.Status.NO_ANSWER):
        # Anything but the two buttons records nothing: "no answer" alerts the family.
        messages.error(request, _("Choose “Delivered” or “No answer”."))
        return redirect_back(request, "canteen:deliveries")
    try:
        services.record_delivery(request.user, delivery, delivered=status == Delivery.Status.DELIVERED,
                                 note=request.POST.get("note", "")[:200], via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect_back(request, "canteen:deliveries")


@staff_only
def report(request):
    canteens = list(Canteen.objects.all())
    canteen = next((c for c in canteens if str(c.pk) == request.GET.get("canteen")), canteens[0] if canteens else None)
    month = _date((request.GET.get("month") or "") + "-01") or timezone.localdate().replace(day=1)
    kind = request.GET.get("report") if request.GET.get("report") in reports.REPORTS else "meals"
    rows, columns, totals = reports.run(kind, canteen, month) if canteen else ([], reports.REPORTS[kind][1], {})
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx") and canteen:
        return reports.export(rows, columns, fmt, f"canteen-{canteen.slug}-{kind}-{month:%Y-%m}", totals=totals,
                              title=reports.title(kind, canteen, month))
    return render(request, "canteen/report.html", {
        "canteens": canteens, "canteen": canteen, "month": month, "kind": kind, "rows": rows, "columns": columns,
        "table": [[row[key] for key, _label in columns] for row in rows],
        "total_row": reports.total_row(columns, totals) if rows else None,
        "title": reports.title(kind, canteen, month) if canteen else reports.TITLES[kind],
    })


@staff_only
def counter(request, slot_id):
    """The counter: every booking of a slot, payment and cancellation at a tap."""
    slot = get_object_or_404(MealSlot.objects.select_related("canteen", "capacity"), pk=slot_id)
    q = request.GET.get("q", "").strip()
    bookings = queries.counter_bookings(slot, q)
    return render(request, "canteen/counter.html", {"slot": slot, "bookings": bookings, "q": q,
                                                     "methods": Booking.PaymentMethod.choices})


@login_required
@require_POST
def record_payment(request, booking_id):
    booking = get_object_or_404(Booking, pk=booking_id)
    try:
        services.record_payment(request.user, booking, method=request.POST.get("method", ""), via="page")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Payment recorded."))
    return redirect_back(request, "canteen:index")


@staff_only
def feedback_report(request):
    """Staff: ratings and suggestions of a week, per dish (average, count, the words themselves)."""
    start = _week(request)
    end = start + datetime.timedelta(days=7)
    entries = queries.week_feedback(start)
    dishes = {}
    for entry in entries:
        row = dishes.setdefault(entry.dish_id, {"dish": entry.dish, "ratings": [], "entries": []})
        if entry.rating:
            row["ratings"].append(entry.rating)
        row["entries"].append(entry)
    for row in dishes.values():
        row["average"] = round(sum(row["ratings"]) / len(row["ratings"]), 1) if row["ratings"] else None
    rows = sorted(dishes.values(), key=lambda r: (r["average"] is None, r["average"] or 0))
    return render(request, "canteen/feedback_report.html", {
        "rows": rows, "week_start": start, "previous_week": start - datetime.timedelta(days=7),
        "next_week": end,
    })


@login_required
@require_http_methods(["GET", "POST"])
def diner_profile(request, diner_id):
    """The diner (or linked family) keeps address, diet and emergency contact up to date."""
    diner = queries.visible_diner(request.user, diner_id)
    if diner is None:
        raise Http404
    form = DinerSelfServiceForm(request.POST if request.method == "POST" else None, instance=Diner.objects.get(pk=diner.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_diner(request.user, diner, {f: form.cleaned_data[f] for f in form.fields}, via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("canteen:my_bookings")
    return render(request, "canteen/diner_profile.html", {"diner": diner, "form": form})


@staff_only
@require_POST
def assign_deliveries(request, slot_id):
    """Staff give a building's drops (or one drop) to a volunteer, found by phone or username."""
    from members.models import User

    who = request.POST.get("volunteer", "").strip()
    volunteer = User.objects.filter(Q(phone=who) | Q(username=who)).first() if who else None
    ids = [int(pk) for pk in request.POST.getlist("delivery") if pk.isdigit() and len(pk) < 12]
    ids = list(Delivery.objects.filter(pk__in=ids, booking__slot_id=slot_id).values_list("pk", flat=True))
    if who and volunteer is None:
        messages.error(request, _("No member with this phone number or user name."))
    elif not ids:
        messages.error(request, _("Choose at least one delivery."))
    else:
        count = services.assign_delivery(request.user, ids, volunteer, via="page")
        messages.success(request, _("%(n)s deliveries assigned.") % {"n": count})
    return redirect("canteen:slot_deliveries", slot_id=slot_id)


@login_required
def alerts(request, alert_id=None):
    """Open welfare alerts for canteen staff and the diner's community's grid workers; recording
    an outcome closes one."""
    error, status = "", 200
    if request.method == "POST" and alert_id is not None:
        alert = get_object_or_404(WelfareAlert.objects.select_related("delivery__booking__diner"), pk=alert_id)
        if not queries.can_follow_up_alert(request.user, alert):
            raise Http404
        try:
            services.record_alert_outcome(request.user, alert, outcome=request.POST.get("outcome", ""),
                                          note=request.POST.get("note", "")[:300], via="page")
        except DomainError as exc:
            error, status = exc.message, exc.status
        else:
            messages.success(request, _("Outcome recorded. The alert is closed."))
            return redirect("canteen:alerts")
    return render(request, "canteen/alerts.html", {
        "alerts": queries.open_alerts(request.user), "outcomes": WelfareAlert.Outcome.choices, "error": error,
    }, status=status)
