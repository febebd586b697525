"""Kitchen and office figures: the production sheet of a slot, and the monthly reports
(meals per day and tier, the subsidy claim of served meals per diner, deliveries and no-answers) with CSV and Excel export.

Everything is aggregated in the database: a slot with 2,000 bookings is a handful of queries.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from canteen.models import (
    Allergen,
    Booking,
    BookingLine,
    Delivery,
    DietaryTag,
    MealSlot,
    SetMeal,
    label_list,
)
from canteen.queries import served_bookings


def production_sheet(slot: MealSlot) -> dict:
    """Portions per dish (set meals expanded into their dishes), by mode, and the dietary notes
    of the diners booked on this slot."""
    confirmed = Booking.objects.filter(slot=slot, status=Booking.Status.CONFIRMED)
    totals = confirmed.aggregate(bookings=Count("id"), portions=Sum("portions"))
    by_mode = dict(confirmed.values_list("mode").annotate(n=Sum("portions")).order_by("mode"))
    per_item = dict(
        BookingLine.objects.filter(booking__in=confirmed).values_list("item_id").annotate(n=Sum("quantity"))
        .order_by("item_id")
    )
    dishes = {}
    items = list(slot.items.select_related("dish"))  # one query however long the menu
    set_meal_dishes = defaultdict(list)
    set_meal_ids = [i.set_meal_id for i in items if i.set_meal_id]
    if set_meal_ids:
        through = SetMeal.dishes.through.objects.filter(setmeal_id__in=set_meal_ids).select_related("dish")
        for row in through:
            set_meal_dishes[row.setmeal_id].append(row.dish)
    for item in items:
        count = per_item.get(item.pk, 0)
        for dish in set_meal_dishes[item.set_meal_id] if item.set_meal_id else [item.dish]:
            row = dishes.setdefault(dish.pk, {
                "dish": dish.name, "portions": 0,
                "dietary_tags": label_list(dish.dietary_tags, DietaryTag.choices),
                "allergens": label_list(dish.allergens, Allergen.choices),
            })
            row["portions"] += count
    notes = []
    with_needs = (
        confirmed.filter(diner__isnull=False)
        .exclude(Q(diner__dietary_needs=[]) & Q(diner__allergies=[]) & Q(diner__dietary_notes="") & Q(notes=""))
        .order_by("diner__name", "pk")
        .values_list("pk", "notes", "mode", "portions", "diner__name", "diner__dietary_needs", "diner__allergies",
                     "diner__dietary_notes")
    )
    diet, allergen = dict(DietaryTag.choices), dict(Allergen.choices)  # once, not per row
    for pk, booking_notes, mode, portions, name, needs, allergies, diner_notes in with_needs:
        notes.append({
            "booking": pk, "diner": name, "mode": mode, "portions": portions,
            "needs": [str(diet.get(code, code)) for code in needs or []],
            "allergies": [str(allergen.get(code, code)) for code in allergies or []],
            "notes": "；".join(x for x in (diner_notes, booking_notes) if x),
        })
    return {
        "slot": slot, "bookings": totals["bookings"] or 0, "portions": totals["portions"] or 0,
        "dishes": sorted(dishes.values(), key=lambda r: (-r["portions"], r["dish"])),
        "by_mode": by_mode, "dietary_notes": notes,
    }


# --- monthly reports -----------------------------------------------------------------------------

def _month_range(month: datetime.date):
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def meals_per_day_and_tier(canteen, month):
    start, end = _month_range(month)
    rows = (
        Booking.objects.filter(slot__canteen=canteen, status=Booking.Status.CONFIRMED,
                               slot__date__gte=start, slot__date__lt=end)
        .values("slot__date", "tier").annotate(meals=Sum("portions"), bookings=Count("id"))
        .order_by("slot__date", "tier")
    )
    return [{"date": r["slot__date"], "tier": r["tier"] or _("No subsidy"), "bookings": r["bookings"],
             "meals": r["meals"]} for r in rows]


def subsidy_claim(canteen, month):
    """The month's subsidy claim, one row per diner (or group) and price tier: served meals only
    (``queries.served_bookings``), with list price, subsidy, payable and paid; the subsidy
    column's total is the claim."""
    start, end = _month_range(month)
    rows = (
        served_bookings(canteen, start, end)
        .values("diner_id", "diner__name", "group_name", "tier")
        .annotate(meals=Sum("portions"), days=Count("slot__date", distinct=True), list_price=Sum("list_price"),
                  subsidy=Sum("subsidy"), payable=Sum("payable"), paid=Sum("paid_amount"))
        .order_by("diner__name", "group_name", "diner_id", "tier")
    )
    return [{"diner": r["group_name"] or r["diner__name"], "tier": r["tier"] or _("No subsidy"),
             "days": r["days"], "meals": r["meals"], "list_price": cents(r["list_price"]),
             "subsidy": cents(r["subsidy"]), "payable": cents(r["payable"]), "paid": cents(r["paid"])}
            for r in rows]


def cents(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def delivery_summary(canteen, month):
    start, end = _month_range(month)
    rows = (
        Delivery.objects.filter(booking__slot__canteen=canteen, booking__slot__date__gte=start,
                                booking__slot__date__lt=end)
        .exclude(status=Delivery.Status.CANCELLED)
        .values("booking__slot__date")
        .annotate(total=Count("id"), delivered=Count("id", filter=Q(status=Delivery.Status.DELIVERED)),
                  no_answer=Count("id", filter=Q(status=Delivery.Status.NO_ANSWER)),
                  pending=Count("id", filter=Q(status=Delivery.Status.PENDING)))
        .order_by("booking__slot__date")
    )
    return [{"date": r["booking__slot__date"], "total": r["total"], "delivered": r["delivered"],
             "no_answer": r["no_answer"], "pending": r["pending"]} for r in rows]


REPORTS = {
    "meals": (meals_per_day_and_tier, [("date", gettext_lazy("Date")), ("tier", gettext_lazy("Price tier")), ("bookings", gettext_lazy("Bookings")),
                                       ("meals", gettext_lazy("Meals"))]),
    "subsidy": (subsidy_claim, [("diner", gettext_lazy("Diner")), ("tier", gettext_lazy("Price tier")),
                                ("days", gettext_lazy("Days")), ("meals", gettext_lazy("Meals")),
                                 ("list_price", gettext_lazy("List price")), ("subsidy", gettext_lazy("Subsidy")), ("payable", gettext_lazy("Payable")),
                                 ("paid", gettext_lazy("Paid"))]),
    "deliveries": (delivery_summary, [("date", gettext_lazy("Date")), ("total", gettext_lazy("Deliveries")), ("delivered", gettext_lazy("Delivered")),
                                      ("no_answer", gettext_lazy("No answer")), ("pending", gettext_lazy("Not recorded"))]),
}


#: The columns each report's total row adds up (for the subsidy report: the month's claim).
TOTALLED = {
    "meals": ("bookings", "meals"),
    "subsidy": ("days", "meals", "list_price", "subsidy", "payable", "paid"),
    "deliveries": ("total", "delivered", "no_answer", "pending"),
}


#: What each report is called, as the title of its page and its Excel sheet.
TITLES = {
    "meals": gettext_lazy("Meals per day and tier"),
    "subsidy": gettext_lazy("Meal subsidy claim (served meals)"),
    "deliveries": gettext_lazy("Deliveries and no-answers"),
}

#: Columns holding money: formatted as yuan in Excel.
MONEY_COLUMNS = {"list_price", "subsidy", "payable", "paid"}


def run(kind, canteen, month: datetime.date):
    """Report ``kind`` of ``canteen`` for ``month``: ``(rows, columns, totals)``, the same for the
    staff page, its exports and the API."""
    function, columns = REPORTS[kind]
    rows = function(canteen, month)
    totals = {key: sum((row[key] for row in rows), 0) for key in TOTALLED[kind]}
    return rows, columns, totals


def total_row(columns, totals):
    """The totals under a report's columns: the label in the first, blanks where nothing adds up."""
    return [_("Total") if index == 0 else totals.get(key, "") for index, (key, _label) in enumerate(columns)]


def title(kind, canteen, month: datetime.date) -> str:
    """"荷花社区长者食堂 · 2026年11月 · 助餐补贴申报（已供餐）": the month in the reader's language."""
    return f"{canteen.name} · {date_format(month, 'YEAR_MONTH_FORMAT')} · {TITLES[kind]}"


def export(rows, columns, fmt, filename, totals=None, *, title=None):
    """Rows (and a total row) as CSV or Excel, through core's safe table writer: in Excel under
    a title, money as yuan with two decimals, the total row in bold."""
    from core.exports import MONEY_FORMAT, table_response

    values = [[row[key] for key, _label in columns] for row in rows]
    return table_response(
        fmt, filename, [label for _key, label in columns], values, title=title,
        number_formats={index: MONEY_FORMAT for index, (key, _label) in enumerate(columns) if key in MONEY_COLUMNS},
        total_row=total_row(columns, totals) if totals and rows else None,
        widths=[24 if index == 0 else 14 for index in range(len(columns))],
    )
