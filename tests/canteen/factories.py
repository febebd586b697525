"""Factories for every canteen model.

Rows that hold portions or money are made through ``canteen.services`` (a slot defines its
``core.capacity`` row, a booking claims portions and is priced), so a factory-made booking is
exactly what the console or the API would have made, never a row the capacity does not know.
"""

import datetime
from decimal import Decimal

import factory

from canteen import services
from canteen.models import (
    Booking,
    Canteen,
    Delivery,
    Diner,
    DinerLink,
    Dish,
    Feedback,
    MealSlot,
    Menu,
    MenuItem,
    PriceTier,
    SetMeal,
)
from tests.factories import CommunityFactory, OrganisationFactory, UserFactory

#: A Monday far enough ahead that every cut-off of its week is still to come.
TODAY = datetime.date(2030, 6, 3)


class CanteenFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Canteen
        django_get_or_create = ("slug",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}社区长者食堂")
    slug = factory.Sequence(lambda n: f"canteen-{n}")
    community = factory.SubFactory(CommunityFactory)
    address = "荷花路12号"
    hours = "11:00-13:00, 17:00-18:30"
    hotline = "028-85551234"
    operator = factory.SubFactory(OrganisationFactory, name=factory.LazyAttribute(
        lambda o: f"{o.factory_parent.name}运营公司"), kind="canteen_operator")

    @factory.post_generation
    def delivers_to_own_community(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            obj.delivery_communities.add(obj.community)


class PriceTierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceTier

    canteen = factory.SubFactory(CanteenFactory)
    name = "80-89岁"
    min_age = 80
    max_age = 89
    kind = PriceTier.Kind.FIXED
    value = Decimal("5")


def add_standard_tiers(canteen):
    """The sub-district's usual subsidies: four age bands, 低保, and the day-care class."""
    for name, low, high, kind, value in [
        ("60-69岁", 60, 69, "discount", "10"), ("70-79岁", 70, 79, "fixed", "3"),
        ("80-89岁", 80, 89, "fixed", "5"), ("90岁以上", 90, None, "discount", "100"),
    ]:
        PriceTierFactory(canteen=canteen, name=name, min_age=low, max_age=high, kind=kind, value=Decimal(value))
    PriceTierFactory(canteen=canteen, name="低保", special_group="low_income", min_age=None, max_age=None,
                     value=Decimal("8"))
    PriceTierFactory(canteen=canteen, name="托管班", special_group="daycare", min_age=None, max_age=None,
                     kind="discount", value=Decimal("20"), all_portions=True)


class DishFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dish
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"家常菜{n}")
    description = "少盐少油"
    dietary_tags = factory.LazyFunction(lambda: ["low_salt"])
    allergens = factory.LazyFunction(list)


class SetMealFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SetMeal
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"一荤两素套餐{n}")

    @factory.post_generation
    def dishes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.dishes.add(*extracted)


class MenuFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Menu
        django_get_or_create = ("canteen", "week_start")

    canteen = factory.SubFactory(CanteenFactory)
    week_start = TODAY


class MealSlotFactory(factory.django.DjangoModelFactory):
    """A meal made by ``services.create_slot`` (its portions are a core.capacity row). ``items``:
    [(dish or set meal, price)]; ``portions`` defaults to the canteen's."""

    class Meta:
        model = MealSlot

    menu = factory.SubFactory(MenuFactory, week_start=factory.LazyAttribute(
        lambda o: services.week_start(o.factory_parent.date)))
    date = TODAY + datetime.timedelta(days=1)
    meal = "lunch"

    @classmethod
    def _create(cls, model_class, *, menu, date, meal, portions=None, items=(), cutoff_at=None, **kwargs):
        slot = services.create_slot(menu, date, meal, portions=portions, items=items, cutoff_at=cutoff_at)
        if kwargs:
            MealSlot.objects.filter(pk=slot.pk).update(**kwargs)
            slot.refresh_from_db()
        return slot


class MenuItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MenuItem

    slot = factory.SubFactory(MealSlotFactory)
    dish = factory.SubFactory(DishFactory)
    price = Decimal("6.00")


class DinerFactory(factory.django.DjangoModelFactory):
    """A resident with a member account who eats at the canteen (``user=None``: a diner the
    canteen keeps for someone without a phone of their own)."""

    class Meta:
        model = Diner

    user = factory.SubFactory(UserFactory, kind="resident", community=factory.SelfAttribute("..community"),
                              display_name=factory.SelfAttribute("..name"))
    name = factory.Sequence(lambda n: f"王秀兰{n}")
    phone = factory.Sequence(lambda n: f"1390000{n:04d}")
    birth_year = TODAY.year - 82
    community = factory.SubFactory(CommunityFactory)
    building = "3栋"
    address = factory.Sequence(lambda n: f"荷花小区3栋2单元{n + 101}")
    emergency_contact_name = "李红"
    emergency_contact_phone = "13800002222"


class DinerLinkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DinerLink

    diner = factory.SubFactory(DinerFactory)
    user = factory.SubFactory(UserFactory, kind="resident")
    relation = "女儿"


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking made by ``services.book`` (portions claimed, priced, audited). ``items``:
    [(menu item, quantity)], by default one of the slot's first item; ``by`` books it (default:
    the diner themselves)."""

    class Meta:
        model = Booking

    slot = factory.SubFactory(MealSlotFactory)
    diner = factory.SubFactory(DinerFactory)
    mode = Booking.Mode.DINE_IN

    @classmethod
    def _create(cls, model_class, *, slot, diner, mode, items=None, by=None, notes="", **kwargs):
        items = items or [(slot.items.order_by("sort_order", "id").first(), 1)]
        booking = services.book(by or diner.user, diner=diner, slot=slot, items=[(i.pk, q) for i, q in items],
                                mode=mode, notes=notes, via="system")
        if kwargs:
            Booking.objects.filter(pk=booking.pk).update(**kwargs)
            booking.refresh_from_db()
        return booking


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A home delivery: the booking of a diner in the canteen's delivery area, made for delivery."""

    class Meta:
        model = Delivery

    booking = factory.SubFactory(BookingFactory, mode=Booking.Mode.DELIVERY)
    volunteer = None

    @classmethod
    def _create(cls, model_class, *, booking, volunteer=None, **kwargs):
        delivery = booking.delivery
        if volunteer is not None or kwargs:
            Delivery.objects.filter(pk=delivery.pk).update(volunteer=volunteer, **kwargs)
            delivery.refresh_from_db()
        return delivery


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    diner = factory.SubFactory(DinerFactory)
    dish = factory.SubFactory(DishFactory)
    rating = 4
    text = "鱼很新鲜，就是米饭有点硬。"
