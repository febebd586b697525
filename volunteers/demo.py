"""Demo content for volunteers: ``seed(stdout)``, called by ``manage.py seed_demo``. Idempotent.

Ten opportunities over the coming month in six communities, some with shifts last week whose
hours are on record (approved), pending self-reports, a full shift with a waiting list, a team of
riders signed up together, and an issued certificate. Dates are relative to the first run.
"""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from core import capacity
from core.models import Community
from members.demo import staff_login
from members.models import Organisation, User
from volunteers import services
from volunteers.models import (
    Certificate,
    HoursEntry,
    HoursOutput,
    OpportunityIndexPage,
    OpportunityOutput,
    OpportunityPage,
    Shift,
    SignUp,
    Team,
)
from volunteers.roles import COORDINATORS

# (slug, title, community, place, organiser name or None, summary, description, outputs [(label, unit)],
#  skills, shifts [(day offset, "HH:MM", minutes, places)], withdraw cut-off hours)
OPPORTUNITIES = [
    ("waste-sorting-watch", "垃圾分类桶边督导", "hehua", "荷花小区北门垃圾分类亭", None,
     "早晚投放高峰站桶，提醒居民破袋投放、分类投放。",
     "荷花小区推行定时定点投放三个月了，早上 7 点到 9 点、晚上 6 点到 8 点是高峰。志愿者站在分类亭旁，"
     "提醒居民把厨余垃圾破袋倒进绿桶，塑料袋投进其他垃圾桶。不用和人争执，态度好、多说一句就够了。"
     "街道提供马甲、手套和夹子。", [("劝导居民", "人次")], ["沟通"],
     [(-7, "07:00", 120, 4), (-3, "18:00", 120, 4), (2, "07:00", 120, 4), (9, "18:00", 120, 4)], 12),
    ("parking-order", "小区停车秩序劝导", "qingyun", "青云社区青云街沿线", None,
     "劝导乱停的电动车、共享单车归位，保持消防通道畅通。",
     "青云街两侧人行道常被电动车和共享单车占满，消防通道也时常被堵。志愿者两人一组沿街巡走，"
     "把倒地的单车扶起归位，给乱停的电动车贴温馨提示卡。", [("劝导车辆", "辆")], ["沟通", "体力"],
     [(3, "16:30", 90, 6), (10, "16:30", 90, 6)], 12),
    ("anti-fraud-leaflets", "反诈宣传进小区", "dongfang", "东方社区文化广场", "青石农商银行青石支行",
     "和银行工作人员一起摆摊、发放反诈宣传单，帮老人检查手机。",
     "近期辖区冒充客服退款、刷单返利的诈骗多发，受害者里老人和年轻租户都有。志愿者在广场发放宣传单，"
     "邀请居民下载国家反诈中心 App，银行工作人员现场答疑。", [("发放传单", "份"), ("协助下载反诈App", "人")],
     ["沟通"], [(-5, "09:00", 180, 8), (4, "09:00", 180, 8), (18, "09:00", 180, 3)], 24),
    ("fire-safety-walk", "冬季消防安全巡查", "nanyuan", "南苑社区各老旧楼栋", "青石区消防救援大队",
     "跟随消防员巡查楼道堆物、飞线充电，登记隐患。",
     "入冬后取暖用电多，老旧楼栋的楼道堆物和飞线充电是最大隐患。志愿者跟随消防员逐栋巡查，"
     "拍照登记隐患，向住户发放整改提醒。需要爬楼梯，请穿方便走路的鞋。",
     [("巡查楼栋", "栋"), ("发现隐患", "处")], ["消防知识", "体力"], [(5, "14:00", 180, 3), (12, "14:00", 180, 6)], 24),
    ("meals-for-elders", "独居老人送餐陪伴", "hehua", "荷花社区长者食堂", None,
     "午餐时段把饭菜送到独居老人家里，陪老人说说话，留意身体情况。",
     "长者食堂每天中午为二十多位独居老人送餐上门。志愿者取餐后按名单送达，顺便看看老人气色、"
     "家里有没有异常，有情况及时告诉社区。送餐时长会自动记入你的志愿服务时长。", [("探访老人", "户")],
     ["耐心"], [(1, "11:00", 90, 5), (8, "11:00", 90, 5), (15, "11:00", 90, 5)], 12),
    ("class-assistant", "公益课堂助教", "xinqiao", "新桥社区党群服务中心", None,
     "协助公益课签到、分发材料、维持秩序，照顾带孩子来的家长。",
     "每周的公益课堂需要两三名助教：课前布置教室、帮学员扫码签到，课中递话筒、分发材料，"
     "课后整理场地。适合第一次参加志愿服务的朋友。", [], ["组织协调"], [(6, "18:30", 150, 3), (13, "18:30", 150, 3)], 12),
    ("riverside-cleanup", "柳树村河道沿线清洁", "liushu", "柳树村村委会门口集合", None,
     "沿河捡拾垃圾、清理漂浮物，守护村里的小河。",
     "柳树村的小河连着青石湿地，周末游客多，岸边塑料瓶和食品袋不少。志愿者分段捡拾垃圾，"
     "村里提供长柄夹、垃圾袋和手套，结束后统一称重。", [("垃圾", "袋")], ["体力"],
     [(7, "08:30", 180, 15), (21, "08:30", 180, 15)], 24),
    ("rider-traffic-persuasion", "骑手文明交通劝导", "xinqiao", "新桥北路与东方大道路口", "青石区公安分局交通警察大队",
     "骑手劝骑手：晚高峰在路口提醒同行戴头盔、不闯红灯。",
     "由骑手志愿者在晚高峰站路口，用骑手自己的话提醒同行戴好头盔、不逆行、不闯红灯。"
     "交警在旁保障安全。站点的骑手可以组队报名。", [("劝导人次", "人次")], ["沟通"],
     [(3, "17:30", 120, 10), (17, "17:30", 120, 10)], 6),
    ("health-fair-guide", "社区义诊引导", "nanyuan", "南苑社区卫生服务站门前", "青石街道社区卫生服务中心",
     "义诊当天帮居民排队取号、填表，引导到各科桌位。",
     "卫生服务中心每月在社区办一次义诊，来的大多是老人。志愿者负责取号排队、协助填写健康登记表、"
     "引导到量血压、测血糖、中医问诊等桌位。", [("引导居民", "人次")], ["耐心", "普通话"],
     [(11, "08:30", 210, 6)], 24),
    ("winter-dumplings", "冬至包饺子送温暖", "dongfang", "东方社区老年活动室", None,
     "冬至一起包饺子，给高龄和独居老人送上门。",
     "冬至前一天下午，大家在老年活动室一起和面、包饺子，煮好后分装，由志愿者两人一组送到高龄、独居老人家里。"
     "会包不会包都欢迎。", [("送出饺子", "份")], ["厨艺"], [(20, "14:00", 210, 12)], 24),
]

TEAM = ("城西站点骑手志愿队", ["worker1", "worker2", "worker3", "worker4"])


def seed(stdout):
    coordinator = staff_login("coordinator", "王海燕", COORDINATORS)
    with transaction.atomic():
        index = _index_page()
        if index is None:
            stdout.write("  volunteers: no home page, skipped")
            return
        now = timezone.now()
        created = sum(_opportunity(index, spec, now)[1] for spec in OPPORTUNITIES)
    workers = [u for u in (User.objects.filter(username=f"worker{i}").first() for i in range(1, 7)) if u]
    residents = [u for u in (User.objects.filter(username=f"resident{i}").first() for i in range(1, 9)) if u]
    if len(workers) < 6 or len(residents) < 8:
        stdout.write(f"  volunteers: {OpportunityPage.objects.count()} opportunities ({created} new); no demo people, no sign-ups")
        return
    if SignUp.objects.exists():
        stdout.write(f"  volunteers: {OpportunityPage.objects.count()} opportunities, sign-ups already there")
        return
    with transaction.atomic():
        _profiles(workers, residents)
        team = _team(workers)
        _history(coordinator, workers + residents[:4])
        _upcoming(workers, residents, team)
        _self_reports(workers, residents)
        certificate = _certificate(coordinator, workers[0])
    stdout.write(f"  volunteers: {OpportunityPage.objects.count()} opportunities ({created} new), "
                 f"{SignUp.objects.count()} sign-ups, {HoursEntry.objects.count()} hours entries, "
                 f"certificate {certificate.number if certificate else '-'}")


def _index_page():
    existing = OpportunityIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.filter(depth=2).first()
    if home is None:
        return None
    index = OpportunityIndexPage(title="志愿服务", slug="volunteer",
                                 intro="<p>垃圾分类、停车劝导、反诈宣传、消防巡查、给独居老人送餐……"
                                       "报个名，到现场扫码签到，服务时长自动记录，随时可以下载志愿服务记录证明。</p>")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _at(now, day_offset, hhmm):
    hour, minute = (int(x) for x in hhmm.split(":"))
    day = timezone.localdate(now) + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _opportunity(index, spec, now):
    slug, title, community, place, organiser, summary, description, outputs, skills, shifts, cutoff = spec
    existing = OpportunityPage.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    page = OpportunityPage(
        title=title, slug=slug, summary=summary, description=f"<p>{description}</p>", place=place,
        community=Community.objects.filter(code=community).first(), withdraw_cutoff_hours=cutoff,
        organiser=Organisation.objects.filter(name=organiser).first() if organiser else None)
    for label, unit in outputs:
        page.outputs.add(OpportunityOutput(label=label, unit=unit))
    for offset, start, minutes, places in shifts:
        begin = _at(now, offset, start)
        page.shifts.add(Shift(start=begin, end=begin + timedelta(minutes=minutes), places=places))
    index.add_child(instance=page)
    page.skills_wanted.add(*skills)
    page.save_revision().publish()  # publishing gives the shifts their places (signals -> services)
    return OpportunityPage.objects.get(pk=page.pk), True


def _profiles(workers, residents):
    numbers = {"worker1": ("刘建军", "ZJ330106202400117"), "worker2": ("陈小龙", ""), "resident1": ("王桂兰", "ZJ330106201900452")}
    for member in workers + residents:
        name, number = numbers.get(member.username, ("", ""))
        services.update_profile(member, member, via="system", real_name=name or str(member), volunteer_number=number,
                                leaderboard_consent=member.username in ("worker1", "worker2", "resident1", "resident3"),
                                availability=[{"weekday": 5, "start": "08:00", "end": "12:00"}])
    services.update_profile(workers[0], workers[0], via="system", id_number="330106199203154517",
                            emergency_contact_name="刘芳", emergency_contact_phone="13905710099", skills=["急救", "驾驶"])


def _team(workers):
    name, usernames = TEAM
    leader = workers[0]
    team, _ = Team.objects.get_or_create(name=name, defaults={"leader": leader,
                                                               "community": Community.objects.filter(code="xinqiao").first()})
    team.members.set([w for w in workers if w.username in usernames])
    return team


def _history(coordinator, people):
    """Last week's shifts, as they happened: recorded directly (the services rightly refuse to sign
    anyone up for a shift that has started), places claimed through core.capacity, hours approved
    through the service."""
    approved = []
    for shift in Shift.objects.filter(end__lt=timezone.now()).select_related("opportunity").order_by("start"):
        outputs = list(shift.opportunity.outputs.all())
        for i, member in enumerate(people[:shift.places]):
            capacity.claim(shift.capacity_key)
            arrived = shift.start + timedelta(minutes=5 * (i % 3))
            left = shift.end - timedelta(minutes=10 * (i % 2))
            signup = SignUp.objects.create(shift=shift, member=member, status=SignUp.Status.COMPLETED,
                                           checked_in_at=arrived, checked_out_at=left)
            entry = HoursEntry.objects.create(
                member=member, activity=shift.opportunity.title, opportunity=shift.opportunity, shift=shift,
                signup=signup, community=shift.opportunity.community, start=arrived, end=left,
                minutes=int((left - arrived).total_seconds() // 60), source=HoursEntry.Source.SHIFT,
                source_key=f"volunteers.signup.{signup.pk}")
            for output in outputs[:1]:
                HoursOutput.objects.create(entry=entry, label=output.label, unit=output.unit, quantity=30 + 15 * i)
            approved.append(entry.pk)
        shift.closed_at = shift.end
        shift.save(update_fields=["closed_at"])
    services.approve(coordinator, approved, via="system")


def _upcoming(workers, residents, team):
    upcoming = list(Shift.objects.filter(start__gt=timezone.now()).select_related("opportunity").order_by("start"))
    last = {s.opportunity.slug: s for s in upcoming}  # each opportunity's last upcoming shift
    first = {s.opportunity.slug: s for s in reversed(upcoming)}  # and its first
    # A full shift with a waiting list: the last anti-fraud morning has three places.
    full = last["anti-fraud-leaflets"]
    for member in (residents[0], residents[1], residents[2], workers[4], workers[5]):
        services.sign_up(member, full, via="system")
    # The riders' team at the evening crossing, signed up together by its leader.
    services.team_sign_up(team.leader, team, last["rider-traffic-persuasion"], [m.pk for m in team.members.all()], via="system")
    for member, slug in ((residents[3], "meals-for-elders"), (residents[4], "meals-for-elders"),
                         (workers[1], "waste-sorting-watch"), (residents[5], "class-assistant"),
                         (workers[2], "riverside-cleanup"), (residents[6], "winter-dumplings")):
        services.sign_up(member, first[slug], via="system")


def _self_reports(workers, residents):
    now = timezone.now()
    for member, days, start, minutes, activity in (
        (residents[7], 2, "15:00", 90, "帮 3 栋独居的刘奶奶取药、打扫卫生"),
        (workers[3], 3, "21:00", 60, "夜班路上劝导两名骑手佩戴头盔并送回失物"),
        (residents[2], 4, "09:00", 120, "协助社区整理防汛物资仓库"),
    ):
        begin = _at(now, -days, start)
        services.self_report(member, activity=activity, start=begin, end=begin + timedelta(minutes=minutes),
                             note="社区网格员可作证", via="system")


def _certificate(coordinator, member):
    if Certificate.objects.exists():
        return Certificate.objects.first()
    today = timezone.localdate()
    return services.issue_certificate(coordinator, member, period_start=today.replace(day=1) - timedelta(days=31),
                                      period_end=today, via="system")
