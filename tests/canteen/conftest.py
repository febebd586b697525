import datetime
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from canteen import services
from canteen.models import Canteen, Diner, DinerLink, Dish, Menu, PriceTier, SetMeal
from members.roles import CANTEEN_STAFF, GRID_WORKERS
from tests.factories import CommunityFactory, OrganisationFactory, UserFactory, staff_user

TODAY = datetime.date(2030, 6, 3)  # a Monday


def make_canteen(community=None, name="荷花社区长者食堂", slug="hehua", **kwargs):
    community = community or CommunityFactory(name="荷花社区", code="hehua")
    operator = OrganisationFactory(name=f"{name}运营公司", kind="canteen_operator")
    canteen = Canteen.objects.create(
        name=name, slug=slug, community=community, address="荷花路12号", hours="11:00-13:00",
        hotline="028-85551234", operator=operator, delivery_buildings="", **kwargs,
    )
    canteen.delivery_communities.add(community)
    for tier_name, low, high, kind, value in [
        ("60-69岁", 60, 69, "discount", "10"), ("70-79岁", 70, 79, "fixed", "3"),
        ("80-89岁", 80, 89, "fixed", "5"), ("90岁以上", 90, None, "discount", "100"),
    ]:
        PriceTier.objects.create(canteen=canteen, name=tier_name, min_age=low, max_age=high, kind=kind,
                                 value=Decimal(value))
    PriceTier.objects.create(canteen=canteen, name="低保", special_group="low_income", kind="fixed",
                             value=Decimal("8"))
    PriceTier.objects.create(canteen=canteen, name="托管班", special_group="daycare", kind="discount",
                             value=Decimal("20"), all_portions=True)
    return canteen


def make_slot(canteen, date=TODAY + datetime.timedelta(days=1), portions=50, cutoff=None, meal="lunch"):
    menu, _ = Menu.objects.get_or_create(canteen=canteen, week_start=services.week_start(date))
    dish1, _ = Dish.objects.get_or_create(name="清蒸鲈鱼", defaults={"dietary_tags": ["low_salt"], "allergens": ["fish"]})
    dish2, _ = Dish.objects.get_or_create(name="番茄炒蛋", defaults={"dietary_tags": ["soft"], "allergens": ["egg"]})
    dish3, _ = Dish.objects.get_or_create(name="清炒时蔬", defaults={"dietary_tags": ["vegetarian", "low_salt"]})
    set_meal, created = SetMeal.objects.get_or_create(name="一荤两素套餐")
    if created:
        set_meal.dishes.add(dish1, dish3)
    cutoff = cutoff or timezone.now() + datetime.timedelta(hours=5)
    return services.create_slot(menu, date, meal, portions=portions, cutoff_at=cutoff,
                                items=[(set_meal, Decimal("15.00")), (dish2, Decimal("6.00")),
                                       (dish3, Decimal("4.00"))])


@contextmanager
def on_meal_day(slot, hour=12):
    """Noon (Asia/Shanghai) on the day of ``slot``: deliveries are recorded then, not before.
    Log clients in again inside: sessions made in the present have expired by then."""
    moment = datetime.datetime.combine(slot.date, datetime.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
    with time_machine.travel(moment, tick=True):
        yield


@pytest.fixture
def canteen(db):
    return make_canteen()


@pytest.fixture
def slot(canteen):
    return make_slot(canteen)


@pytest.fixture
def items(slot):
    return {item.name: item for item in slot.items.all()}


@pytest.fixture
def resident(canteen):
    return UserFactory(kind="resident", community=canteen.community, display_name="张桂英")


@pytest.fixture
def diner(resident, canteen):
    return Diner.objects.create(
        user=resident, name="张桂英", phone="13900001111", birth_year=TODAY.year - 82, lives_alone=True,
        needs_delivery=True, community=canteen.community, building="3栋", address="荷花小区3栋2单元401",
        emergency_contact_name="李红", emergency_contact_phone="13800002222", dietary_needs=["low_salt"],
    )


@pytest.fixture
def daughter(diner):
    user = UserFactory(kind="resident", display_name="李红")
    DinerLink.objects.create(diner=diner, user=user, relation="女儿")
    return user


@pytest.fixture
def canteen_staff(db):
    return staff_user(CANTEEN_STAFF)


@pytest.fixture
def grid_worker(canteen):
    return staff_user(GRID_WORKERS, community=canteen.community)
