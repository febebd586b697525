"""Demo content: the nine categories with their questions, a command-centre login and a second
grid worker, a month of reports across the communities in every state (one escalated to the
command centre, one to its community), riders saying "me too", an Open311 key, and two
needs-gathering meetings with their items (the first one's six suggestions all answered).
Written directly as rows with their timeline, dated over the past month; safe to run again."""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from core import calendar
from core.models import Community
from members.demo import staff_login
from members.models import User
from reports.models import (
    Category,
    Channel,
    Escalation,
    Meeting,
    Open311Key,
    Question,
    Report,
    ReportUpdate,
    Status,
    Supporter,
)
from reports.roles import COMMAND_CENTRE

YES_NO = "yes|是\nno|否\nunknown|不清楚"

# (code, name, description, group, department, days, photo, anonymous, public, questions)
CATEGORIES = [
    ("rubbish", "乱堆乱倒垃圾", "小巷、河边、空地上的建筑垃圾和生活垃圾", "市容环境", "城管中队", 3, True, True, True,
     [("kind", "是什么垃圾", "singlevaluelist", True, "building|建筑垃圾\nhousehold|生活垃圾\nbulky|大件家具"),
      ("size", "大约有多少", "string", False, "")]),
    ("parking", "占用消防通道停车", "小区、沿街消防通道被车辆堵住", "安全隐患", "派出所 / 物业", 1, True, True, True,
     [("plate", "车牌号（看得清就填）", "string", False, ""), ("blocking", "是否完全堵死", "singlevaluelist", True, YES_NO)]),
    ("ground-lock", "私装地锁占车位", "公共车位上被私自装了地锁", "市容环境", "城管中队", 5, True, True, True,
     [("count", "有几个地锁", "number", True, ""), ("locked", "地锁现在是否锁着", "singlevaluelist", False, YES_NO)]),
    ("flying-wire", "飞线充电", "从窗户、楼道拉电线给电动车电瓶充电", "安全隐患", "社区 / 消防", 1, True, True, True,
     [("floor", "大约在几楼", "string", False, ""), ("charging", "正在充电吗", "singlevaluelist", True, YES_NO)]),
    ("fire-hazard", "消防隐患", "堆放易燃物、灭火器过期、安全出口被锁", "安全隐患", "消防救援站", 2, True, True, True,
     [("place", "具体位置（楼道、商铺、地下室）", "string", True, "")]),
    ("facility", "设施损坏", "路灯不亮、井盖松动、护栏倒了", "公共设施", "城建办", 5, True, True, True,
     [("what", "哪种设施", "singlevaluelist", True, "light|路灯\ncover|井盖\nrail|护栏\nother|其他")]),
    ("need", "困难诉求", "自己或身边人遇到的困难，希望街道帮忙", "诉求建议", "党群服务中心", 10, False, False, False, []),
    ("suggestion", "意见建议", "对街道、社区和驿站服务的建议", "诉求建议", "党群服务中心", 10, False, True, True, []),
    ("other", "其他问题", "不属于以上分类的问题", "其他", "指挥中心", 5, False, True, True, []),
]

# (category, community, address, offset north m, offset east m, description)
REPORTS = [
    ("ground-lock", "hehua", "荷花路 26 号门口公共车位", 20, 10, "沿街公共车位上装了两个地锁，白天也锁着，送餐没地方停车。"),
    ("ground-lock", "qingyun", "青云街 70 号对面", 0, 40, "路边新划的车位被装了地锁，上面还贴着“私人车位”。"),
    ("parking", "qingyun", "青云小区 3 幢消防通道", 30, -20, "两辆私家车停在消防通道上，晚上一直不挪。"),
    ("parking", "nanyuan", "南苑新村东门消防通道", -40, 30, "面包车长期停在消防通道口，救护车进不去。"),
    ("flying-wire", "nanyuan", "南苑新村 12 幢", -30, -10, "三楼窗户拉下一根电线到楼下给电瓶车充电，晚上一直插着。"),
    ("flying-wire", "xinqiao", "新桥北路 131 号出租房", 20, 50, "出租房门口插线板串联好几个电瓶在充电。"),
    ("rubbish", "liushu", "柳树村村口河边", 10, 10, "河边倒了一堆装修垃圾，已经堆了好几天。"),
    ("rubbish", "dongfang", "东方大道 300 号后面小巷", -20, 20, "小巷里有人倒了旧沙发和床垫，挡住了电动车通道。"),
    ("fire-hazard", "xinqiao", "新桥农贸市场二楼", 0, 0, "安全出口被商户的货物堆满，门还上了锁。"),
    ("facility", "hehua", "荷花路与青石路交叉口", 60, 60, "路口两盏路灯坏了一个多星期，晚上送单很黑。"),
    ("facility", "dongfang", "东方大道 301 号人行道", 10, -30, "人行道上的井盖松了，踩上去会翘起来。"),
    ("suggestion", "hehua", "荷花路小蜂驿站", 5, 5, "驿站能不能多装两个电瓶车充电柜，晚上排队太久。"),
    ("other", "qingyun", "青云街 88 号", 0, 0, "便利店门口的共享单车堆成一团，骑手推车过不去。"),
]

MEETINGS = [
    ("2026 年第四季度暖新问需会（外卖骑手专场）", "hehua", "外卖骑手", "美团青石站点、饿了么荷花站点、荷花社区党群服务中心", 23, [
        ("suggestion", "希望驿站夜里开到 12 点，晚班骑手也有地方喝口热水。", "荷花路小蜂驿站已于 11 月起延长至 23:00，夜间可到青云街暖蜂驿站（24 小时）。"),
        ("suggestion", "新小区不让电动车进，门口送餐要走很远。", "已与三个小区物业商定，在东门设骑手临时停车点，11 月底前完成划线。"),
        ("suggestion", "希望有人讲讲交通事故后的理赔和工伤怎么办。", "12 月 10 日公益课堂开设“骑手权益与工伤保险”专题课，已开放报名。"),
        ("suggestion", "电瓶充电太贵，希望驿站有便宜的换电。", "已引入换电柜两处（荷花路、南苑路），骑手凭工作证首月半价。"),
        ("suggestion", "孩子放寒假没人带，希望社区有托管。", "寒假“小候鸟”托管班开放骑手子女优先报名，每天 8:00–17:30。"),
        ("suggestion", "下雨天驿站门口太滑，希望铺防滑垫。", "已在四个驿站门口铺设防滑垫并加装雨棚。"),
    ]),
    ("2026 年第四季度暖新问需会（快递员专场）", "qingyun", "快递员", "青云零工驿站、三家快递网点", 15, [
        ("suggestion", "快递柜太少，写字楼不让进，只能堆在门口。", ""),
        ("need", "老家父亲生病，想了解临时救助怎么申请。", "社区社工已上门对接，协助准备临时救助申请材料。"),
        ("suggestion", "希望零工驿站周末也开门。", ""),
    ]),
]


def _photo_free_point(community, north_m, east_m):
    lat = float(community.latitude) + north_m / 111_195.0
    lng = float(community.longitude) + east_m / 96_000.0
    return round(lat, 6), round(lng, 6)


def _categories():
    for order, (code, name, description, group, department, days, photo, anon, public, questions) in enumerate(CATEGORIES):
        category, created = Category.objects.get_or_create(code=code, defaults={
            "name": name, "description": description, "group": group, "department": department,
            "deadline_working_days": days, "photo_required": photo, "allow_anonymous": anon, "is_public": public,
            "sort_order": order})
        if created:
            for i, (q_code, label, datatype, required, choices) in enumerate(questions):
                Question.objects.create(category=category, code=q_code, label=label, datatype=datatype,
                                        required=required, choices=choices, sort_order=i)
    return {c.code: c for c in Category.objects.all()}


def _report(category, community, *, when, status, description, address, point, reporter, channel, assignee,
            escalation=Escalation.NONE, note="", meeting=None):
    deadline = calendar.add_working_days(timezone.localdate(when), category.deadline_working_days)
    report = Report.objects.create(
        category=category, community=community, community_source="point" if point[0] else "chosen",
        description=description, address=address, latitude=point[0], longitude=point[1], reporter=reporter,
        channel=channel, filed_by=reporter, submitted_at=when, deadline=deadline, status=Status.SUBMITTED,
        meeting=meeting, escalation=escalation)
    steps = [(Status.SUBMITTED, when, "")]
    order = [Status.ACCEPTED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    fields = {"accepted_at": Status.ACCEPTED, "dispatched_at": Status.DISPATCHED, "started_at": Status.IN_PROGRESS,
              "resolved_at": Status.RESOLVED, "closed_at": Status.CLOSED}
    if status in order:
        moment = when
        for step in order[:order.index(status) + 1]:
            moment = moment + datetime.timedelta(hours=random.randint(2, 20))  # noqa: S311 - demo data
            moment = min(moment, timezone.now())
            steps.append((step, moment, note if step == Status.RESOLVED else ""))
            setattr(report, next(k for k, v in fields.items() if v == step), moment)
        report.assignee = assignee
    elif status == Status.REJECTED:
        steps.append((Status.REJECTED, when + datetime.timedelta(hours=5), note))
        report.closed_at, report.reject_reason = when + datetime.timedelta(hours=5), note
    report.status = status
    if status in (Status.RESOLVED, Status.CLOSED, Status.REJECTED):
        report.public_note = note
        report.credited = status != Status.REJECTED and reporter is not None
    if escalation:
        report.escalated_at = timezone.now()
    report.save()
    ReportUpdate.objects.bulk_create([ReportUpdate(report=report, status=s, note=n, created_at=at,
                                                   is_public=True) for s, at, n in steps])
    return report


ANSWERS = {
    "ground-lock": "城管中队已拆除地锁两个，车位恢复公共使用。",
    "parking": "已联系车主挪车，物业在通道口加装了禁停标志。",
    "flying-wire": "网格员上门劝导，电线已拆除，住户改到小区集中充电棚充电。",
    "rubbish": "城管中队已清运，并在河边加装了监控提示牌。",
    "fire-hazard": "消防救援站已责令商户清理货物，安全出口恢复畅通。",
    "facility": "城建办已更换灯泡、加固井盖。",
    "suggestion": "已转驿站运营方研究，下月起试行。",
    "other": "已联系运营公司清理并增加调度。",
}


@transaction.atomic
def seed(stdout):
    categories = _categories()
    command = staff_login("command", "赵敏", COMMAND_CENTRE)
    communities = {c.code: c for c in Community.objects.exclude(latitude=None)}
    grid = User.objects.filter(username="grid").first()
    second = staff_login("grid2", "孙丽", "Grid workers")
    if "qingyun" in communities:
        communities["qingyun"].grid_workers.add(second)
    Open311Key.objects.get_or_create(name="青石街道随手拍小程序", defaults={"key": "demo-open311-key-qingshi"})
    if Report.objects.exists():
        stdout.write(f"  reports: {Report.objects.count()} reports already there")
        return
    if not communities:
        stdout.write("  reports: no communities with a centre, skipped")
        return
    riders = list(User.objects.filter(username__startswith="worker").order_by("username"))
    rng = random.Random(14)  # noqa: S311 - demo data
    random.seed(14)
    now = timezone.now()
    states = [Status.CLOSED, Status.RESOLVED, Status.IN_PROGRESS, Status.DISPATCHED, Status.ACCEPTED,
              Status.SUBMITTED, Status.REJECTED]
    made = []
    # A month of reports: each template a few times, on different days, in every state.
    for round_no in range(4):
        for i, (code, community_code, address, north, east, description) in enumerate(REPORTS):
            community = communities.get(community_code) or next(iter(communities.values()))
            days_ago = 29 - (round_no * len(REPORTS) + i) * 29 // (4 * len(REPORTS))
            when = now - datetime.timedelta(days=days_ago, hours=rng.randint(0, 9))
            # The older a report, the further along it is.
            status = states[min(len(states) - 2, days_ago // 6)] if days_ago < 30 else Status.CLOSED
            if (round_no + i) % 11 == 5:
                status = Status.REJECTED
            if days_ago < 2:
                status = Status.SUBMITTED
            reporter = riders[(i + round_no) % len(riders)] if riders else None
            assignee = second if community_code == "qingyun" else grid
            note = ANSWERS.get(code, "已处理。") if status != Status.REJECTED else "现场核实未发现所述问题。"
            made.append(_report(categories[code], community, when=when, status=status, description=description,
                                address=address, point=_photo_free_point(community, north + round_no * 7, east),
                                reporter=reporter, channel=Channel.APP if i % 3 else Channel.PAGE,
                                assignee=assignee, note=note))
    # Past the deadline and escalated: one to the command centre, one to its community.
    late = [r for r in made if r.status in (Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS)]
    if late:
        Report.objects.filter(pk=late[0].pk).update(escalation=Escalation.COMMAND_CENTRE, escalated_at=now,
                                                    deadline=calendar.add_working_days(timezone.localdate(now), -4))
    if len(late) > 1:
        Report.objects.filter(pk=late[1].pk).update(escalation=Escalation.COMMUNITY, escalated_at=now,
                                                    deadline=calendar.add_working_days(timezone.localdate(now), -1))
    # Riders saying "me too" to open public reports.
    for report in [r for r in made if r.is_open and r.category.is_public][:8]:
        for rider in riders[:3]:
            if rider.pk != report.reporter_id:
                Supporter.objects.get_or_create(report=report, member=rider)
        Report.objects.filter(pk=report.pk).update(supporter_count=Supporter.objects.filter(report=report).count())
    for days_ago, (title, community_code, sector, organisations, attendees, items) in zip((20, 9), MEETINGS, strict=True):
        community = communities.get(community_code) or next(iter(communities.values()))
        date = timezone.localdate(now) - datetime.timedelta(days=days_ago)
        meeting = Meeting.objects.create(title=title, date=date, community=community, sector=sector,
                                         organisations=organisations, attendees=attendees,
                                         summary="会上大家提出的困难和建议逐条登记，由指挥中心派单跟进，结果在此公开。")
        when = timezone.make_aware(datetime.datetime.combine(date, datetime.time(15, 0)))
        for code, description, answer in items:
            _report(categories[code], community, when=when, status=Status.CLOSED if answer else Status.DISPATCHED,
                    description=description, address=community.address, point=(None, None), reporter=None,
                    channel=Channel.MEETING, assignee=grid, note=answer, meeting=meeting)
    stdout.write(f"  reports: {len(categories)} categories, {Report.objects.count()} reports, "
                 f"{Meeting.objects.count()} meetings; command centre login 'command' ({command.display_name}), "
                 "second grid worker 'grid2'; Open311 key 'demo-open311-key-qingshi'")
