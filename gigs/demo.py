"""Demo content for the gig station: ``seed(stdout)``, called by ``manage.py seed_demo``. Idempotent.

A dozen enterprises around the street office (two still waiting for verification, one rejected)
and one individual employer; forty needs in every state; two hundred worker profiles (couriers,
riders, cleaners, cooks) with skills, evenings or days, distances and pay floors; applications at
every stage; the work records of day-paid hires, one of them disputed; guidance slots for the next
two weeks. Hires go through the services, so headcounts and hires agree. Dates follow the first run.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.models import Community
from gigs import creditcode, services
from gigs.models import (
    Application,
    Consultation,
    ConsultationSlot,
    Employer,
    JobNeed,
    WorkerProfile,
    WorkRecord,
)
from gigs.roles import OFFICERS
from members.demo import demo_user, staff_login
from members.models import OrganisationMembership, User

# (name, division code, status, community, address, contact)
ENTERPRISES = [
    ("青石同城配送有限公司", "330106", "verified", "hehua", "青石街道物流园 3 号仓", "马晓东"),
    ("荷花家政服务有限公司", "330106", "verified", "hehua", "荷花路 26 号底商", "林静"),
    ("青云小馆餐饮有限公司", "330106", "verified", "qingyun", "青云街 88 号", "周海涛"),
    ("新桥生鲜超市有限公司", "330105", "verified", "xinqiao", "新桥北路 132 号", "吴丽华"),
    ("东方快递青石网点", "330106", "verified", "dongfang", "东方大道 301 号负一层", "陈志远"),
    ("南苑物业管理有限公司", "330106", "verified", "nanyuan", "南苑路 9 号物业中心", "何建平"),
    ("柳树村农业合作社", "330106", "verified", "liushu", "柳树村村委会东侧", "徐永庆"),
    ("青石包装印刷有限公司", "330105", "verified", "xinqiao", "新桥工业园 7 幢", "高敏"),
    ("一品鲜中央厨房有限公司", "330106", "verified", "dongfang", "东方大道 280 号", "杨国栋"),
    ("快乐搬家服务部", "330106", "pending", "qingyun", "青云街 12 号", "赵德胜"),
    ("汇通人力资源有限公司", "330102", "pending", "nanyuan", "南苑路 41 号 3 楼", "孙立"),
    ("速达劳务派遣有限公司", "330102", "rejected", None, "不详", "钱某"),
]
REJECTION = "营业执照照片与填写的名称不一致，请核对后重新申请。"

# (title, category, skills, headcount, pay, unit, settlement, shift, days from today to start, length,
#  enterprise index, state, health cert, e-bike licence, description)
NEEDS = [
    ("双十一夜班分拣员", "sorting", ["分拣"], 6, "180", "day", "daily", ("18:00", "22:00"), 1, 10, 0, "open", False, False,
     "双十一前后包裹量是平时的三倍。晚上六点到十点在 3 号仓按片区分拣包裹，站着干活，有扫码枪，当天教会。日结，每晚十点半微信转账。"),
    ("白班装卸工", "loading", ["搬运"], 4, "200", "day", "daily", ("08:00", "17:00"), 2, 14, 0, "open", False, False,
     "装卸厢式货车，每件不超过 30 公斤，有手推车和升降台。午饭仓库食堂提供。"),
    ("电动车同城配送员", "delivery", ["送货", "骑行"], 5, "8", "piece", "weekly", ("09:00", "18:00"), 0, 30, 4, "open", False, True,
     "青石街道内生鲜和快件配送，每单 8 元，一天一般 40 单以上。需要自带电动车和电动车驾驶证，网点提供头盔和保温箱。"),
    ("周末保洁员", "cleaning", ["保洁"], 3, "30", "hour", "daily", ("09:00", "13:00"), 3, 21, 1, "open", False, False,
     "周六周日上午到居民家中做日常保洁，公司派单，两人一组，工具公司带。"),
    ("后厨帮工", "kitchen", ["切配", "洗碗"], 2, "160", "day", "daily", ("16:00", "21:30"), 1, 30, 2, "open", True, False,
     "晚市帮厨：洗菜、切配、收拾后厨。需要健康证，没有的可以先来，我们陪你去办。"),
    ("超市夜间理货员", "retail", ["理货"], 3, "170", "day", "weekly", ("21:00", "01:00"), 2, 20, 3, "open", False, False,
     "超市闭店后补货上架、整理堆头，凌晨一点前结束，有夜宵。"),
    ("小区绿化养护临时工", "other", ["绿化"], 4, "150", "day", "daily", ("07:00", "11:00"), 4, 10, 5, "open", False, False,
     "南苑小区草坪修剪、灌木修整和落叶清理，物业提供工具和手套。"),
    ("蔬菜采摘和装箱", "other", ["采摘", "搬运"], 8, "140", "day", "daily", ("06:00", "11:00"), 1, 7, 6, "open", False, False,
     "合作社大棚青菜采摘、分级、装箱，早上六点开始，十一点前结束，中午管一顿饭。"),
    ("包装车间计件工", "sorting", ["打包"], 6, "0.5", "piece", "weekly", ("08:30", "17:30"), 0, 25, 7, "open", False, False,
     "折纸盒、装袋、封箱，按件计酬，熟练的一天能做 400 件以上。"),
    ("中央厨房分餐员", "kitchen", ["分餐"], 4, "170", "day", "daily", ("09:30", "13:30"), 1, 30, 8, "open", True, False,
     "给社区食堂和老年助餐点分装午餐，需要健康证。"),
    ("夜班打包员", "sorting", ["打包", "分拣"], 4, "160", "day", "daily", ("19:00", "23:00"), 1, 12, 0, "open", False, False,
     "电商订单打包，按单拣货装箱贴单，晚上七点到十一点。"),
    ("家电清洗师傅助手", "cleaning", ["保洁", "家电清洗"], 2, "220", "day", "daily", ("09:00", "17:00"), 5, 20, 1, "open", False, False,
     "跟师傅上门清洗空调、油烟机，会用梯子，不恐高。"),
    ("午市传菜员", "kitchen", ["传菜"], 2, "25", "hour", "daily", ("11:00", "14:00"), 1, 30, 2, "open", False, False,
     "中午三小时传菜、收桌，适合送完早高峰的骑手。"),
    ("生鲜称重打包", "retail", ["打包"], 2, "150", "day", "weekly", ("07:00", "12:00"), 2, 15, 3, "open", False, False,
     "早上给线上订单称重、打包、贴标签。"),
    ("快递网点夜间卸车", "loading", ["搬运", "分拣"], 3, "190", "day", "daily", ("20:00", "00:00"), 1, 20, 4, "open", False, False,
     "干线车晚上八点到，卸车后按路区初分，十二点前结束。"),
    ("小区消杀作业员", "cleaning", ["消杀"], 2, "180", "day", "daily", ("13:00", "17:00"), 6, 5, 5, "open", False, False,
     "楼道和垃圾房消杀，物业培训半小时，提供防护用品。"),
    ("农产品直播助播", "retail", ["直播", "沟通"], 1, "3500", "month", "monthly", ("14:00", "20:00"), 7, 60, 6, "open", False, False,
     "协助主播介绍合作社的蔬菜和土鸡蛋，会说普通话，会用手机剪视频更好。"),
    ("印刷厂夜班辅助工", "sorting", ["搬运"], 3, "185", "day", "weekly", ("20:00", "04:00"), 3, 14, 7, "open", False, False,
     "印刷机旁收纸、码垛、上料，夜班，凌晨四点结束，有夜宵和休息室。"),
    ("团餐配送司机助理", "delivery", ["送货"], 2, "165", "day", "daily", ("10:00", "13:00"), 2, 30, 8, "open", False, True,
     "跟车把午餐送到各助餐点并搬进厨房，有电动车驾驶证的优先。"),
    ("搬家跟车工", "loading", ["搬运"], 4, "260", "day", "completion", ("08:00", "18:00"), 3, 10, 0, "open", False, False,
     "写字楼整层搬迁，打包、搬运、装车，完工当天结清。"),
    ("养老院陪护助理", "care", ["陪护"], 2, "200", "day", "weekly", ("08:00", "16:00"), 5, 30, 5, "open", True, False,
     "协助护理员给老人送餐、推轮椅散步，需要健康证，有照护经验优先。"),
    ("社区团购自提点值守", "retail", ["理货", "沟通"], 2, "20", "hour", "weekly", ("16:00", "20:00"), 1, 30, 3, "open", False, False,
     "傍晚值守自提点，核对取件码，整理货架。"),
    ("仓库盘点临时工", "sorting", ["盘点"], 5, "200", "day", "daily", ("09:00", "18:00"), 8, 2, 0, "open", False, False,
     "年中盘点两天，用手持终端扫码点数，需要认真细致。"),
    ("早餐店帮工", "kitchen", ["切配"], 1, "120", "day", "daily", ("05:30", "09:30"), 1, 30, 2, "open", True, False,
     "包包子、炸油条、收银，早上五点半开工。"),
    # Filled, waiting, draft, expired, closed.
    ("十一假期快递分拣", "sorting", ["分拣"], 3, "180", "day", "daily", ("18:00", "22:00"), 0, 5, 4, "filled", False, False,
     "节后快件高峰分拣。"),
    ("年会会场搭建工", "loading", ["搬运"], 2, "240", "day", "completion", ("08:00", "18:00"), 2, 1, 7, "filled", False, False,
     "酒店宴会厅搭建舞台和背景板。"),
    ("冬笋装箱工", "other", ["打包"], 2, "150", "day", "daily", ("07:00", "12:00"), 1, 4, 6, "filled", False, False,
     "冬笋分拣装箱。"),
    ("元旦促销导购", "retail", ["沟通"], 2, "180", "day", "daily", ("10:00", "20:00"), 20, 3, 3, "pending", False, False,
     "元旦三天促销，负责试吃台和导购。"),
    ("年货打包工", "sorting", ["打包"], 6, "170", "day", "daily", ("08:00", "17:00"), 25, 14, 7, "pending", False, False,
     "春节年货礼盒打包。"),
    ("钟点工（做饭）", "cleaning", ["做饭"], 1, "40", "hour", "weekly", ("17:00", "19:00"), 3, 60, None, "pending", True, False,
     "给家里老人做晚饭，两荤一素，清淡少盐。"),
    ("春节值班保安", "other", ["安保"], 2, "220", "day", "daily", ("08:00", "20:00"), 50, 7, 5, "draft", False, False,
     "春节期间小区门岗值班。"),
    ("搬家打包工", "loading", ["搬运", "打包"], 3, "230", "day", "completion", ("08:00", "17:00"), 10, 1, 9, "draft", False, False,
     "居民搬家打包和搬运。"),
    ("小区外墙清洗", "cleaning", ["高空作业"], 2, "350", "day", "completion", ("08:00", "16:00"), 15, 3, 5, "draft", False, False,
     "需要高空作业证。"),
    ("中秋月饼分装", "sorting", ["分拣", "打包"], 5, "160", "day", "daily", ("08:00", "17:00"), -80, 5, 8, "expired", True, False,
     "中秋礼盒分装。"),
    ("暑期水果采摘", "other", ["采摘"], 6, "130", "day", "daily", ("05:30", "10:30"), -120, 10, 6, "expired", False, False,
     "葡萄采摘。"),
    ("国庆餐厅帮厨", "kitchen", ["切配"], 2, "170", "day", "daily", ("10:00", "20:00"), -60, 7, 2, "expired", True, False,
     "国庆黄金周帮厨。"),
    ("夏季防汛沙袋搬运", "loading", ["搬运"], 10, "200", "day", "daily", ("08:00", "17:00"), -150, 3, 5, "expired", False, False,
     "防汛物资转运。"),
    ("618 仓库打包", "sorting", ["打包"], 8, "175", "day", "daily", ("18:00", "22:00"), -170, 10, 0, "closed", False, False,
     "618 大促打包。"),
    ("开业传单派发", "retail", ["沟通"], 3, "120", "day", "daily", ("10:00", "16:00"), -30, 2, 3, "closed", False, False,
     "新店开业派发传单。"),
    ("空调移机助手", "repair", ["家电清洗"], 1, "200", "day", "daily", ("09:00", "17:00"), -20, 5, 1, "closed", False, False,
     "跟师傅移机，搬运室外机。"),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["伟", "磊", "强", "军", "洋", "勇", "杰", "涛", "明", "超", "秀英", "桂英", "丽", "敏", "静", "芳", "海燕", "建华",
         "志强", "晓东", "春梅", "国庆", "小龙", "文斌", "红霞", "玉兰", "永刚", "俊杰", "雪梅", "德明"]
SKILL_SETS = [["分拣", "搬运"], ["送货", "骑行"], ["保洁"], ["切配", "洗碗"], ["打包", "分拣"], ["理货"], ["搬运"],
              ["传菜", "洗碗"], ["陪护"], ["采摘", "搬运"], ["送货", "分拣"], ["分餐", "切配"], ["盘点", "理货"],
              ["绿化"], ["沟通", "直播"], ["家电清洗", "保洁"]]
#: Availability patterns: evenings (riders between the lunch and dinner peaks, or after), mornings, days, weekends.
PATTERNS = [
    [(d, "18:00", "23:00") for d in range(7)],
    [(d, "14:00", "17:00") for d in range(7)],
    [(d, "06:00", "11:00") for d in range(7)],
    [(d, "08:00", "18:00") for d in range(5)],
    [(d, "09:00", "18:00") for d in (5, 6)],
    [(d, "20:00", "02:00") for d in range(6)],
]


def _credit_code(index, division):
    body = f"91{division}MA2{index:02d}H{index * 7 % 10}0"
    body = (body + "0000000000")[:17]
    return body + creditcode.check_character(body)


def _licence_photo(name, code):
    """A drawn stand-in for the photo of a business licence (name and code on a bordered card),
    so the verification queue has something to open; it lands in the private storage."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw, ImageFont

    from core.fonts import find_cjk_font

    image = Image.new("RGB", (900, 620), "#fbf7ee")
    draw = ImageDraw.Draw(image)
    draw.rectangle((18, 18, 881, 601), outline="#b3261e", width=6)
    found = find_cjk_font()
    big = ImageFont.truetype(found[0], 54, index=found[1]) if found else ImageFont.load_default(40)
    small = ImageFont.truetype(found[0], 30, index=found[1]) if found else ImageFont.load_default(26)
    if found:
        draw.text((450, 90), "营业执照", fill="#b3261e", font=big, anchor="mm")
        draw.text((80, 220), f"名称：{name}", fill="#222", font=small)
        draw.text((80, 290), f"统一社会信用代码：{code}", fill="#222", font=small)
    else:
        draw.text((80, 220), code, fill="#222", font=small)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"{code}.png")


def seed(stdout):
    if Employer.objects.filter(name=ENTERPRISES[0][0]).exists():
        stdout.write("gigs: demo content already there\n")
        return
    random.seed(12)  # noqa: S311 - demo data, the same every run
    communities = {c.code: c for c in Community.objects.all()}
    officer = staff_login("gigs", "林晓燕", OFFICERS)
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        employers = []
        for index, (name, division, status, community, address, contact) in enumerate(ENTERPRISES):
            # The members demo's enterprises (and their bosses' logins) apply as themselves.
            existing = OrganisationMembership.objects.filter(organisation__name=name, role="admin").select_related("user").first()
            boss = existing.user if existing else demo_user(
                f"gigboss{index + 1}", contact, User.Kind.ENTERPRISE, communities.get(community),
                phone=f"+86139057{index + 1:05d}", phone_verified=True)
            code = _credit_code(index, division)
            employer = services.apply_employer(
                boss, name=name, credit_code=code, contact_name=contact, licence=_licence_photo(name, code),
                contact_phone=f"139057{index + 1:05d}", address=address,
                community_id=communities[community].pk if community in communities else None, via="command")
            if status == "verified":
                services.decide_employer(officer, employer.pk, "verify", via="command")
            elif status == "rejected":
                services.decide_employer(officer, employer.pk, "reject", reason=REJECTION, via="command")
            employers.append(employer)
        family = demo_user("gigfamily", "郑秀英", User.Kind.RESIDENT, communities.get("nanyuan"),
                           phone="+8613905799001", phone_verified=True)
        individual = services.apply_employer(family, kind=Employer.Kind.INDIVIDUAL, name="郑秀英（家庭雇主）",
                                             contact_name="郑秀英", contact_phone="13905799001", via="command",
                                             community_id=communities["nanyuan"].pk if "nanyuan" in communities else None)
        services.decide_employer(officer, individual.pk, "verify", via="command")
        for employer in employers:
            employer.refresh_from_db()

        needs = []
        for (title, category, skills, headcount, pay, unit, settlement, (start, end), offset, length, who, state,
             health, ebike, description) in NEEDS:
            employer = individual if who is None else employers[who]
            boss = services.employer_staff(employer)[0]
            community = employer.community
            lat = Decimal(str(community.latitude)) + Decimal(random.randint(-40, 40)) / 10000 if community and community.latitude else None  # noqa: S311
            lng = Decimal(str(community.longitude)) + Decimal(random.randint(-40, 40)) / 10000 if community and community.longitude else None  # noqa: S311
            first = today + datetime.timedelta(days=offset)
            if state in ("open", "filled") and offset <= 1:
                # Already running for a few days, so its hires have days of work on record.
                first = today - datetime.timedelta(days=4)
            need = services.create_need(
                boss, employer, skills=skills, title=title, category=category, description=description,
                headcount=headcount, pay_amount=Decimal(pay), pay_unit=unit, settlement=settlement, start_date=first,
                end_date=first + datetime.timedelta(days=length - 1), shift_start=datetime.time.fromisoformat(start),
                shift_end=datetime.time.fromisoformat(end), address=employer.address or "青石街道",
                community_id=community.pk if community else None, latitude=lat, longitude=lng,
                requires_health_certificate=health, requires_ebike_licence=ebike, via="command")
            if state != "draft":
                services.submit_need(boss, need.pk, via="command")
            if state in ("open", "filled", "expired", "closed"):
                services.review_need(officer, need.pk, approve=True, via="command")
                # Posted some days ago, so freshness and time to fill look like a real board.
                JobNeed.objects.filter(pk=need.pk).update(published_at=now - datetime.timedelta(
                    days=max(0, -offset) + random.randint(0, 6), hours=random.randint(0, 20)))  # noqa: S311
            if state == "closed":
                services.close_need(boss, need.pk, via="command")
            needs.append((need, state))
        services.expire_needs(now)

        workers = _workers(communities, now)
        _pipelines(needs, workers, officer, today, now)
        _guidance(officer, now)
    stdout.write(f"gigs: {len(employers) + 1} employers, {len(needs)} needs, {len(workers)} worker profiles, "
                 f"{Application.objects.count()} applications, {WorkRecord.objects.count()} work records\n")
    stdout.write("gigs: officer login 'gigs' (林晓燕) verifies employers, reviews needs and flags, settles disputes\n")


def _workers(communities, now):
    """Two hundred workers: the members demo's riders first, then made-up ones (no password: the
    demo's own logins are worker1-6)."""
    codes = list(communities)
    existing = list(User.objects.filter(username__startswith="worker", kind=User.Kind.WORKER).order_by("username")[:6])
    new = []
    for i in range(200 - len(existing)):
        name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]
        user = User(username=f"gigworker{i + 1:03d}", display_name=name, kind=User.Kind.WORKER,
                    phone=f"+86137057{i + 1:05d}", community=communities[codes[i % len(codes)]] if codes else None)
        user.set_unusable_password()
        new.append(user)
    User.objects.bulk_create(new)
    members = existing + list(User.objects.filter(username__startswith="gigworker").order_by("username"))
    for i, member in enumerate(members):
        community = member.community
        pattern = PATTERNS[0] if i < 6 else PATTERNS[i % len(PATTERNS)]  # the demo riders work evenings
        base_lat = float(community.latitude) if community and community.latitude else 30.2741
        base_lng = float(community.longitude) if community and community.longitude else 120.1551
        services.save_profile(
            member, skills=SKILL_SETS[0] if i < 6 else SKILL_SETS[i % len(SKILL_SETS)], via="command",
            availability=[{"weekday": d, "start": s, "end": e} for d, s, e in pattern],
            latitude=Decimal(f"{base_lat + random.uniform(-0.01, 0.01):.6f}"),  # noqa: S311
            longitude=Decimal(f"{base_lng + random.uniform(-0.01, 0.01):.6f}"),  # noqa: S311
            max_distance_km=Decimal(random.choice([3, 5, 8, 10, 15])),  # noqa: S311
            min_pay_amount=Decimal(random.choice([120, 140, 150, 160, 180])), min_pay_unit="day",  # noqa: S311
            has_health_certificate=i % 4 == 0, has_ebike_licence=i % 3 == 0,
            birth_year=1970 + i % 35, searchable=i % 10 != 9, subscribed=i % 5 == 0)
    return members


def _pipelines(needs, workers, officer, today, now):
    """Applications at every stage, hires with their work records, one disputed day."""
    pool = iter(workers[6:])
    disputed = False
    for need, state in needs:
        if state not in ("open", "filled"):
            continue
        need.refresh_from_db()
        to_hire = need.headcount if state == "filled" else min(need.headcount - 1, random.randint(0, 2))  # noqa: S311
        extra = random.randint(1, 4) if state == "open" else 0  # noqa: S311
        boss = services.employer_staff(need.employer)[0]
        for n in range(to_hire + extra):
            member = next(pool, None)
            if member is None:
                pool = iter(workers[6:])
                member = next(pool)
            try:
                application = services.apply(member, need.pk, via="command")
            except services.GigError:
                continue
            if n < to_hire:
                application = services.move(boss, application.pk, "hired", via="command")
                Application.objects.filter(pk=application.pk).update(hired_at=need.published_at + datetime.timedelta(hours=6 + n))
                for day_offset in range(3):
                    day = today - datetime.timedelta(days=day_offset + 1)
                    if not need.start_date <= day <= need.end_date:
                        continue
                    record = services.record_work(member, application.pk, date=day,
                                                  hours=Decimal("4") if need.pay_unit != "piece" else None,
                                                  pieces=None if need.pay_unit != "piece" else 40 + day_offset * 5,
                                                  via="command")
                    if not disputed:
                        services.dispute_work(boss, record.pk, via="command",
                                              reason="那天九点就走了，只做了三个小时，不是四个小时。")
                        disputed = True
                    elif day_offset < 2:
                        services.confirm_work(boss, record.pk, via="command")
            else:
                stage = ["applied", "shortlisted", "interview", "offered", "declined", "withdrawn"][n % 6]
                if stage == "withdrawn":
                    services.withdraw(member, application.pk, via="command")
                elif stage != "applied":
                    for step in {"shortlisted": ["shortlisted"], "interview": ["shortlisted", "interview"],
                                 "offered": ["shortlisted", "offered"], "declined": ["declined"]}[stage]:
                        services.move(boss, application.pk, step, via="command")
        if state == "filled":
            # Filled one to four days after opening, so the days to fill have a middle to find.
            JobNeed.objects.filter(pk=need.pk).update(
                filled_at=need.published_at + datetime.timedelta(days=1 + need.pk % 4, hours=3))
    # One finished hire with ratings both ways, for the reliability figures.
    hired = Application.objects.filter(status="hired").select_related("need__employer").first()
    if hired is not None:
        boss = services.employer_staff(hired.need.employer)[0]
        services.move(boss, hired.pk, "completed", via="command")
        services.rate(hired.worker, hired.pk, stars=5, comment="老板人好，按时结账。", via="command")
        services.rate(boss, hired.pk, stars=4, comment="干活麻利。", via="command")


def _guidance(officer, now):
    topics = ["guidance", "training", "rights", "guidance", "training", "rights"]
    for i, topic in enumerate(topics):
        day = timezone.localtime(now).replace(hour=14 if i % 2 else 9, minute=30, second=0, microsecond=0)
        start = day + datetime.timedelta(days=1 + i * 2)
        ConsultationSlot.objects.create(topic=topic, start=start, end=start + datetime.timedelta(hours=1),
                                        place="青石街道零工驿站（荷花路 18 号一楼）", officer=officer, places=3)
    # Last week's sessions, held: their outcomes recorded by the officer (booked at the time, so
    # the rows are written as they stand now; a past slot can no longer be booked).
    people = list(User.objects.filter(username__startswith="gigworker").order_by("username")[:4])
    for i, topic in enumerate(("guidance", "rights")):
        start = timezone.localtime(now).replace(hour=9, minute=30, second=0, microsecond=0) - datetime.timedelta(days=7 + i)
        slot = ConsultationSlot.objects.create(topic=topic, start=start, end=start + datetime.timedelta(hours=1),
                                               place="青石街道零工驿站（荷花路 18 号一楼）", officer=officer, places=3)
        for member in people[i * 2:i * 2 + 2]:
            booking = Consultation.objects.create(slot=slot, member=member, question="想找晚上能做的活")
            services.record_outcome(officer, booking.pk, via="command",
                                    outcome="介绍了物流园夜班分拣和超市理货两个岗位，建议先办健康证。")
    WorkerProfile.objects.filter(member__username="worker1").update(subscribed=True, subscribe_min_score=70)
