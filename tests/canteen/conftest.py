import datetime
from contextlib import contextmanager
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from canteen import services
from canteen.roles import CANTEEN_STAFF
from core.roles import GRID_WORKERS
from tests.canteen.factories import (
    TODAY,
    CanteenFactory,
    DinerFactory,
    DinerLinkFactory,
    DishFactory,
    MealSlotFactory,
    MenuFactory,
    SetMealFactory,
    add_standard_tiers,
)
from tests.factories import CommunityFactory, UserFactory, staff_user


def make_canteen(community=None, name="荷花社区长者食堂", slug="hehua", **kwargs):
    """A canteen delivering to its community, with the usual age and group subsidies."""
    community = community or CommunityFactory(name="荷花社区", code="hehua")
    canteen = CanteenFactory(name=name, slug=slug, community=community, **kwargs)
    add_standard_tiers(canteen)
    return canteen


def make_slot(canteen, date=TODAY + datetime.timedelta(days=1), portions=50, cutoff=None, meal="lunch"):
    """A meal with a set meal (¥15) and two dishes (¥6, ¥4), cut-off five hours from now."""
    fish = DishFactory(name="清蒸鲈鱼", dietary_tags=["low_salt"], allergens=["fish"])
    egg = DishFactory(name="番茄炒蛋", dietary_tags=["soft"], allergens=["egg"])
    greens = DishFactory(name="清炒时蔬", dietary_tags=["vegetarian", "low_salt"])
    set_meal = SetMealFactory(name="一荤两素套餐", dishes=[fish, greens])
    return MealSlotFactory(
        menu=MenuFactory(canteen=canteen, week_start=services.week_start(date)), date=date, meal=meal,
        portions=portions, cutoff_at=cutoff or timezone.now() + datetime.timedelta(hours=5),
        items=[(set_meal, Decimal("15.00")), (egg, Decimal("6.00")), (greens, Decimal("4.00"))],
    )


@contextmanager
def on_meal_day(slot, hour=12, *, days_after=0):
    """Noon (Asia/Shanghai) on the day of ``slot`` (or ``days_after`` it, when its meal has been
    served and goes into the subsidy claim): deliveries are recorded then, not before.
    Log clients in again inside: sessions made in the present have expired by then."""
    moment = datetime.datetime.combine(slot.date + datetime.timedelta(days=days_after), datetime.time(hour),
                                       tzinfo=ZoneInfo(settings.TIME_ZONE))
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
    return DinerFactory(
        user=resident, name="张桂英", phone="13900001111", birth_year=TODAY.year - 82, lives_alone=True,
        needs_delivery=True, community=canteen.community, building="3栋", address="荷花小区3栋2单元401",
        emergency_contact_name="李红", emergency_contact_phone="13800002222", dietary_needs=["low_salt"],
    )


@pytest.fixture
def daughter(diner):
    return DinerLinkFactory(diner=diner, user=UserFactory(kind="resident", display_name="李红"),
                            relation="女儿").user


@pytest.fixture
def canteen_staff(db):
    return staff_user(CANTEEN_STAFF)


@pytest.fixture
def grid_worker(canteen):
    """李强, the grid worker assigned to the canteen's community (core.Community.grid_workers)."""
    worker = staff_user(GRID_WORKERS, community=canteen.community)
    canteen.community.grid_workers.add(worker)
    return worker


@pytest.fixture
def volunteer(canteen):
    """A delivery rider who takes the canteen's drops (no staff role: only the drops given to him)."""
    return UserFactory(kind="worker", display_name="刘师傅", community=canteen.community)


# --- a logged-in client per role: each its own, so a test can hold several at once --------------

def logged_in(user):
    """A test client with ``user`` logged in; ``client.user`` is who it is."""
    client = Client()
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def staff_client(canteen_staff):
    """Canteen staff: the console, the counter, every booking and drop."""
    return logged_in(canteen_staff)


@pytest.fixture
def diner_client(diner):
    """The member who eats at the canteen (张桂英, 82, lives alone)."""
    return logged_in(diner.user)


@pytest.fixture
def family_client(daughter):
    """Her daughter, linked to her diner profile: books and changes for her mother."""
    return logged_in(daughter)


@pytest.fixture
def volunteer_client(volunteer):
    """The delivery volunteer: sees the drops assigned to him, records them and takes payment."""
    return logged_in(volunteer)
