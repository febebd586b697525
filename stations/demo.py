"""Demo content: the station index, twenty stations across the street office's communities with
their hours, a holiday closure, live status and rider confirmations, and a small party registry
(organisations in local enterprises, members, one mobile member's report-in). Safe to run again."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from core.models import Community
from members.models import Organisation, User
from stations.apps import PARTY_WORK_STAFF, STATION_STAFF
from stations.models import (
    Confirmation,
    LiveStatus,
    OpeningException,
    OpeningHours,
    PartyMember,
    PartyOrganisation,
    ReportIn,
    StationIndexPage,
    StationPage,
    month_of,
)

T = datetime.time
OFFICE = [(d, T(8, 30), T(17, 30)) for d in range(5)]
DAYTIME = [(d, T(7, 0), T(21, 0)) for d in range(7)]
LATE = [(d, T(10, 0), T(23, 0)) for d in range(7)]
ALL_DAY = [(d, T(0, 0), T(0, 0)) for d in range(7)]
MEALS = [(d, T(10, 30), T(13, 30)) for d in range(6)] + [(d, T(16, 30), T(19, 0)) for d in range(6)]
READING = [(d, T(9, 0), T(20, 30)) for d in range(1, 7)]

A = ["seats", "drinking_water", "hot_water", "phone_charging"]

# (slug, title, kind, community, address, lat, lng, amenities, hours, follows calendar, holiday hours, summary)
STATIONS = [
    ("hehua-xiaofeng", "荷花路小蜂驿站", "rest_stop", "hehua", "荷花路 26 号沿街商铺", 30.27452, 120.15631,
     A + ["microwave", "battery_charging", "toilet", "first_aid", "umbrellas", "wifi", "air_conditioning"], LATE,
     False, [], "骑手歇脚首选：微波炉、电瓶车换电，夏天有空调和凉茶。"),
    ("hehua-dangqun", "荷花社区党群服务中心", "party_centre", "hehua", "荷花路 18 号一楼", 30.27418, 120.15507,
     A + ["toilet", "reading", "wifi", "air_conditioning", "first_aid"], OFFICE, True, [],
     "工作日开放，可办理流动党员报到、组织关系咨询。"),
    ("hehua-shitang", "荷花社区长者食堂", "canteen", "hehua", "荷花路 18 号二楼", 30.27431, 120.15522,
     ["seats", "drinking_water", "hot_water", "microwave", "toilet"], MEALS, False, [],
     "饭点向骑手开放堂食，凭工作证可享爱心价。"),
    ("qingyun-nuanfeng", "青云街暖蜂驿站", "rest_stop", "qingyun", "青云街 88 号（便利店内）", 30.27962, 120.16288,
     A + ["microwave", "toilet", "umbrellas", "wifi"], ALL_DAY, False, [], "24 小时便利店内的爱心角，夜里也能歇脚。"),
    ("qingyun-linggong", "青云零工驿站", "gig_station", "qingyun", "青云街 66 号西侧", 30.27922, 120.16110,
     ["seats", "drinking_water", "phone_charging", "wifi", "air_conditioning", "toilet"], OFFICE, True, [],
     "发布零工岗位、技能培训报名，工作日有人值守。"),
    ("qingyun-yuedu", "青云书房阅读角", "reading_corner", "qingyun", "青云街 120 号社区书房", 30.28034, 120.16375,
     ["seats", "drinking_water", "reading", "wifi", "air_conditioning", "phone_charging"], READING, False,
     [(T(9, 0), T(17, 0))], "周一闭馆；节假日缩短开放时间。"),
    ("nanyuan-kuaidi", "南苑快递小哥之家", "rest_stop", "nanyuan", "南苑路 15 号菜场北门", 30.26688, 120.15211,
     A + ["microwave", "battery_charging", "toilet", "first_aid"], DAYTIME, False, [], "菜场旁，早七点开门，可热饭、换电。"),
    ("nanyuan-dangqun", "南苑社区党群服务站", "party_centre", "nanyuan", "南苑路 9 号", 30.26652, 120.15098,
     ["seats", "drinking_water", "hot_water", "toilet", "reading"], OFFICE, True, [], "流动党员报到点，工作日开放。"),
    ("nanyuan-yeban", "南苑夜班驿站", "rest_stop", "nanyuan", "南苑路 60 号加油站旁", 30.26395, 120.14962,
     A + ["toilet", "battery_charging"], [(d, T(18, 0), T(6, 0)) for d in range(7)], False, [],
     "夜班骑手专用，傍晚六点至次日清晨六点。"),
    ("xinqiao-peisong", "新桥配送站休息区", "rest_stop", "xinqiao", "新桥北路 88 号同城配送园区", 30.28618, 120.17104,
     A + ["microwave", "battery_charging", "toilet", "wifi", "air_conditioning"], LATE, False, [],
     "配送园区内，换电柜 12 格。"),
    ("xinqiao-linggong", "新桥零工市场", "gig_station", "xinqiao", "新桥北路 120 号", 30.28577, 120.17033,
     ["seats", "drinking_water", "hot_water", "toilet", "wifi"], [(d, T(6, 30), T(11, 30)) for d in range(7)], False,
     [], "清晨零工对接，早上六点半开门。"),
    ("xinqiao-shitang", "新桥职工食堂", "canteen", "xinqiao", "新桥北路 96 号园区食堂", 30.28664, 120.17151,
     ["seats", "drinking_water", "hot_water", "microwave", "phone_charging"], MEALS, False, [], "园区食堂午晚餐对外开放。"),
    ("liushu-cunkou", "柳树村口驿站", "rest_stop", "liushu", "柳树村村委会东侧", 30.25931, 120.17905,
     ["seats", "drinking_water", "hot_water", "toilet", "umbrellas"], DAYTIME, False, [], "村口公交站旁，备有雨伞借用。"),
    ("liushu-dangqun", "柳树村党群服务中心", "party_centre", "liushu", "柳树村村委会", 30.25904, 120.17861,
     ["seats", "drinking_water", "hot_water", "toilet", "reading", "first_aid"], OFFICE, True, [], "村党总支所在地。"),
    ("liushu-nongjia", "柳树农家书屋", "reading_corner", "liushu", "柳树村文化礼堂", 30.25862, 120.17788,
     ["seats", "reading", "drinking_water"], [(d, T(13, 0), T(20, 0)) for d in range(7)], False, [],
     "下午开放，可借书。"),
    ("dongfang-dadao", "东方大道爱心驿站", "rest_stop", "dongfang", "东方大道 301 号商场西门", 30.27221, 120.18473,
     A + ["microwave", "battery_charging", "toilet", "wifi", "air_conditioning", "first_aid"], LATE, False, [],
     "商场西门地下一层，电梯直达。"),
    ("dongfang-huanbao", "东方环卫工人休息站", "rest_stop", "dongfang", "东方大道 355 号环卫所", 30.27105, 120.18691,
     ["seats", "drinking_water", "hot_water", "microwave", "toilet"], [(d, T(5, 0), T(19, 0)) for d in range(7)],
     False, [], "环卫工人和骑手共用，清晨五点开门。"),
    ("dongfang-dangqun", "东方社区新就业群体党建驿站", "party_centre", "dongfang", "东方大道 288 号", 30.27188, 120.18355,
     A + ["toilet", "reading", "wifi", "air_conditioning", "battery_charging"], DAYTIME, False,
     [(T(9, 0), T(18, 0))], "面向快递员、外卖骑手、网约车司机，节假日照常开放。"),
    ("dongfang-yuedu", "东方城市书房", "reading_corner", "dongfang", "东方大道 260 号", 30.27302, 120.18247,
     ["seats", "reading", "wifi", "air_conditioning", "drinking_water", "phone_charging"], READING, False, [],
     "周一闭馆。"),
    ("hehua-jiedao", "青石街道便民服务驿站", "gig_station", "hehua", "青石路 200 号街道办一楼", 30.27655, 120.15880,
     ["seats", "drinking_water", "hot_water", "toilet", "wifi", "air_conditioning", "phone_charging"], OFFICE, True, [],
     "街道办一楼，社保、就业、维权咨询。"),
]

ORGANISATIONS = [
    ("青石同城配送有限公司党支部", "branch", "single", ["xinqiao"], ["青石同城配送有限公司"], "马晓东"),
    ("青石街道快递物流行业联合党支部", "joint_branch", "industry", ["hehua", "nanyuan", "qingyun"], [], "周建华"),
    ("东方商圈新业态党总支", "general_branch", "area", ["dongfang"], ["荷花家政服务有限公司"], "沈慧敏"),
    ("柳树村党总支", "general_branch", "mass_organisation", ["liushu"], [], "徐根发"),
]


def _index():
    from wagtail.models import Page

    from home.models import HomePage

    index = StationIndexPage.objects.first()
    if index:
        return index
    home = HomePage.objects.first() or Page.objects.filter(depth=1).first()
    index = StationIndexPage(title="骑手驿站", slug="stations")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def seed(stdout):
    with transaction.atomic():
        index = _index()
        communities = {c.code: c for c in Community.objects.all()}
        stations = {}
        today = timezone.localdate()
        for (slug, title, kind, code, address, lat, lng, amenities, weekly, follows, holiday, summary) in STATIONS:
            station = StationPage.objects.filter(slug=slug).first()
            if station is None:
                station = StationPage(slug=slug, title=title, kind=kind, community=communities.get(code),
                                      address=address, latitude=lat, longitude=lng, amenities=amenities,
                                      follows_office_calendar=follows, summary=summary,
                                      contact_phone="0571-8650 " + f"{2400 + len(stations):04d}")
                for weekday, opens, closes in weekly:
                    station.hours.add(OpeningHours(weekday=weekday, opens=opens, closes=closes))
                for opens, closes in holiday:
                    station.hours.add(OpeningHours(weekday=7, opens=opens, closes=closes))
                index.add_child(instance=station)
                station.save_revision().publish()
            stations[slug] = station
        # A holiday closure: the late-hours stop on 荷花路 closes over the New Year (its
        # volunteers are away); the party-service centres close on every public holiday by the
        # office calendar (follows_office_calendar).
        festive = stations["hehua-xiaofeng"]
        for day in (datetime.date(2027, 1, 1), datetime.date(2027, 1, 2), datetime.date(2027, 1, 3)):
            OpeningException.objects.get_or_create(page=festive, date=day, defaults={
                "closed": True, "reason": "元旦假期志愿者休息，暂停开放"})
        keeper = _user("stationkeeper", "钱卫东", STATION_STAFF)
        LiveStatus.objects.update_or_create(station=stations["dongfang-dadao"], defaults={
            "seats_free": 6, "chargers_free": 4, "batteries_free": 3, "updated_by": keeper})
        LiveStatus.objects.update_or_create(station=stations["xinqiao-peisong"], defaults={
            "seats_free": 10, "chargers_free": 8, "batteries_free": 0, "updated_by": keeper})
        LiveStatus.objects.update_or_create(station=stations["nanyuan-kuaidi"], defaults={
            "closed_on": today, "closed_reason": "水管检修，明天恢复", "updated_by": keeper})
        rider = User.objects.filter(username="worker1").first()
        if rider and not Confirmation.objects.filter(member=rider).exists():
            Confirmation.objects.create(station=stations["hehua-xiaofeng"], member=rider, item="drinking_water",
                                        state="yes")
            Confirmation.objects.create(station=stations["xinqiao-peisong"], member=rider, item="battery_charging",
                                        state="no", note="换电柜满了")
        _registry(communities, stations)
    stdout.write(f"  {len(stations)} stations, {PartyOrganisation.objects.count()} party organisations; "
                 "logins: stationkeeper (station staff), partywork (party-work staff)")


def _user(username, name, group):
    from core.management.commands.seed_demo import DEMO_PASSWORD

    user, created = User.objects.get_or_create(username=username, defaults={
        "display_name": name, "kind": User.Kind.STAFF, "is_staff": True, "email": f"{username}@qingshi.example.cn"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


def _registry(communities, stations):
    _user("partywork", "韩丽萍", PARTY_WORK_STAFF)
    orgs = {}
    for name, kind, setup, codes, enterprises, secretary in ORGANISATIONS:
        org, created = PartyOrganisation.objects.get_or_create(name=name, defaults={
            "kind": kind, "setup": setup, "secretary": secretary, "set_up_on": datetime.date(2023, 7, 1)})
        if created:
            org.communities.set([communities[c] for c in codes if c in communities])
            org.enterprises.set(Organisation.objects.filter(name__in=enterprises))
        orgs[name] = org
    members = [("worker2", orgs["青石同城配送有限公司党支部"], False, ""),
               ("worker3", None, True, "河南省周口市郸城县宁平镇党委某村党支部"),
               ("worker4", None, True, "安徽省阜阳市临泉县城关街道某社区党支部"),
               ("boss1", orgs["青石同城配送有限公司党支部"], False, "")]
    for username, org, mobile, home in members:
        user = User.objects.filter(username=username).first()
        if user:
            PartyMember.objects.get_or_create(user=user, defaults={
                "organisation": org, "is_mobile": mobile, "home_organisation": home})
    mobile = User.objects.filter(username="worker3").first()
    branch = orgs["青石街道快递物流行业联合党支部"]
    if mobile:
        ReportIn.objects.get_or_create(member=mobile, organisation=branch, month=month_of(timezone.now()),
                                       defaults={"station": stations["hehua-xiaofeng"]})
