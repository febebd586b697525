import datetime
from zoneinfo import ZoneInfo

import pytest

from tests.stations.factories import make_station

SHANGHAI = ZoneInfo("Asia/Shanghai")
T = datetime.time
#: The rider: 荷花路, 青石街道 (WGS-84).
P = (30.2740, 120.1550)
NATIONAL_DAY_2140 = datetime.datetime(2026, 10, 1, 21, 40, tzinfo=SHANGHAI)


def north(metres):
    """A latitude ``metres`` due north of the rider."""
    return P[0] + metres / 111_195.0


@pytest.fixture
def holiday_evening(db, time_machine):
    """Stations around the rider on National Day (a public holiday) at 21:40 Beijing time."""
    time_machine.move_to(NATIONAL_DAY_2140, tick=False)
    battery = ("seats", "battery_charging", "drinking_water")
    late = [(d, T(8, 0), T(23, 0)) for d in range(7)]
    s = {
        "a": make_station(north(300), P[1], hours=late, amenities=battery, title="甲站"),
        "b": make_station(north(800), P[1], hours=[(d, T(18, 0), T(6, 0)) for d in range(7)], amenities=battery,
                          title="乙站（夜班）"),
        "c": make_station(north(1_200), P[1], hours=[(d, T(0, 0), T(0, 0)) for d in range(7)], amenities=battery,
                          title="丙站（24 小时）"),
        "office": make_station(north(500), P[1], hours=late, amenities=battery, follows_office_calendar=True,
                               title="节假日闭馆站"),
        "closed_for_holiday": make_station(north(200), P[1], hours=late, amenities=battery, title="国庆闭站",
                                           exceptions=[(datetime.date(2026, 10, 1), True)]),
        "no_battery": make_station(north(100), P[1], hours=late, amenities=("seats",), title="无充电站"),
        "early": make_station(north(2_500), P[1], hours=[(d, T(8, 0), T(21, 0)) for d in range(7)],
                              amenities=battery, title="早关站"),
    }
    return s
