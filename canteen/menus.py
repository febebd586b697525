"""Serialised menus for the API, cached per meal slot.

A slot's items (names, prices, dishes, tags, allergens, photo URL) change rarely; its remaining
portions change with every booking. So the items are kept in core's cache per slot under the
"canteen.menus" namespace (``core.cache.cached_values``; CanteenConfig declares which models make
it stale), and the portions are always live. A change is seen by every process on its next
request.
"""

from django.utils import timezone
from wagtail.images import get_image_model

from canteen.models import MealSlot, MenuItem, SetMeal
from core import cache, images
from core.text import local_iso, money

PHOTO_SPEC = "fill-480x320"
TIMEOUT = 24 * 3600
NAMESPACE = "canteen.menus"


def _build_items(slot_ids):
    items = list(MenuItem.objects.filter(slot_id__in=slot_ids).select_related("dish", "set_meal")
                 .order_by("slot_id", "sort_order", "id"))
    set_meal_ids = {i.set_meal_id for i in items if i.set_meal_id}
    set_dishes = {}
    if set_meal_ids:
        rows = SetMeal.dishes.through.objects.filter(setmeal_id__in=set_meal_ids).select_related("dish").order_by(
            "dish__name")
        for row in rows:
            set_dishes.setdefault(row.setmeal_id, []).append(row.dish)
    dishes = [i.dish for i in items if i.dish_id] + [d for ds in set_dishes.values() for d in ds]
    photos = {}
    photo_ids = {d.photo_id for d in dishes if d.photo_id}
    if photo_ids:
        Image = get_image_model()
        for image in Image.objects.filter(pk__in=photo_ids).prefetch_renditions(PHOTO_SPEC):
            photos[image.pk] = images.rendition_url(image, PHOTO_SPEC)  # None when the file is missing
    result = {slot_id: [] for slot_id in slot_ids}
    for item in items:
        members = set_dishes.get(item.set_meal_id, []) if item.set_meal_id else [item.dish]
        tags = [set(d.dietary_tags) for d in members]
        photo_dish = next((d for d in members if d.photo_id), None)
        result[item.slot_id].append({
            "id": item.pk,
            "kind": item.kind,
            "name": item.name,
            "price": money(item.price),
            "description": (item.set_meal or item.dish).description,
            "dishes": [d.name for d in members],
            # A set meal carries a tag only when every dish in it does; allergens add up.
            "dietary_tags": sorted(set.intersection(*tags)) if tags else [],
            "allergens": sorted({a for d in members for a in d.allergens}),
            "photo": photos.get(photo_dish.photo_id) if photo_dish else None,
        })
    return result


def slot_items(slots):
    """{slot id: [item dicts]} for ``slots``: one cache round trip, the missing ones built."""
    return cache.cached_values((NAMESPACE,), [slot.pk for slot in slots], _build_items, TIMEOUT)


def serialise_slots(slots):
    """Slots (with ``capacity`` selected) as API dicts: cached items, live portions."""
    slots = list(slots)
    items = slot_items(slots)
    now = timezone.now()
    return [{
        "id": slot.pk, "canteen": slot.canteen_id, "date": slot.date, "meal": slot.meal, "status": slot.status,
        "cutoff_at": local_iso(slot.cutoff_at),
        "bookable": slot.status == MealSlot.Status.OPEN and now < slot.cutoff_at and slot.capacity.remaining > 0,
        "portions": slot.capacity.total, "remaining": slot.capacity.remaining, "note": slot.note,
        "items": items[slot.pk],
    } for slot in slots]
