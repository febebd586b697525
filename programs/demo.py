"""Demo content for programs: ``seed(stdout)``, called by ``manage.py seed_demo``. Idempotent.

Twelve programs over the coming month, co-hosted by the traffic police brigade, the fire brigade,
a bank, the maternity and child health hospital and local enterprises; one class already full
with a waiting list; past sessions with check-ins (and a finished course with certificates).
Dates are set relative to the first run and are not moved by later runs.
"""

import io
import zlib
from datetime import datetime, time, timedelta

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from core import capacity
from members.demo import staff_login
from members.models import Organisation, User
from programs import services
from programs.models import Attendance, ProgramIndexPage, ProgramPage, Registration, Session
from programs.roles import PROGRAM_STAFF

PARTNERS = [
    ("traffic", "青石区公安分局交通警察大队", "青石路 12 号", "道路交通安全宣传与执法"),
    ("fire", "青石区消防救援大队", "新桥北路 45 号", "火灾预防、应急疏散与消防宣传"),
    ("bank", "青石农商银行青石支行", "青云街 88 号", "金融知识普及与反诈宣传"),
    ("mch", "青石区妇幼保健院", "南苑路 160 号", "孕产妇与儿童保健"),
    ("clinic", "青石街道社区卫生服务中心", "荷花路 30 号", "基本医疗、职业健康检查与慢病管理"),
    ("law", "明理律师事务所", "东方大道 210 号", "劳动争议与公益法律服务"),
]

# (slug, title, kind, audience, summary, partner keys, organiser key, community code, address,
#  enrolment, sessions [(day offset, start "HH:MM", minutes, places)], options, description paragraphs, colour)
PROGRAMS = [
    ("rider-traffic-safety", "骑手交通安全公益课", "class", "workers",
     "交警讲解电动车通行规则和常见事故案例，现场体验头盔防护，结业送反光背心。",
     ["traffic"], "traffic", "hehua", "青石街道党群服务中心二楼多功能厅", "session",
     [(-6, "19:30", 90, 30), (4, "19:30", 90, 30), (11, "19:30", 90, 30)], {"eligible_kinds": ["worker"]},
     ["送餐路上抢时间，最容易在路口出事。这堂课由交警大队的民警主讲，用辖区里真实发生的事故视频，讲清楚"
      "闯红灯、逆行、占用机动车道到底有多危险。",
      "课后可以现场试戴不同规格的头盔，民警会帮大家调好下巴带的松紧。每场课约一个半小时，下班后来得及。"],
     (32, 94, 160)),
    ("ebike-fire-safety", "电动自行车消防安全与火灾逃生", "class", "everyone",
     "楼道充电有多危险？消防员带你看实验、学灭火器、走一遍逃生路线。",
     ["fire"], "fire", "qingyun", "青云社区文化家园一楼", "session",
     [(6, "14:30", 90, 12)], {},
     ["电动自行车起火后，三分钟内就可能封住整个楼道。消防救援大队将现场演示电池热失控实验，"
      "并手把手教大家使用干粉灭火器。",
      "名额有限，报满后可以排队候补，有人取消会自动递补并短信通知。"],
     (196, 60, 40)),
    ("first-aid-course", "应急救护培训：心肺复苏与AED", "class", "everyone",
     "三次课学会心肺复苏、AED 使用和海姆立克急救法，全部参加可领取结业证书。",
     ["clinic"], None, "nanyuan", "南苑社区卫生服务站培训室", "series",
     [(3, "19:00", 120, 20), (10, "19:00", 120, 20), (17, "19:00", 120, 20)],
     {"eligible_kinds": ["worker", "resident"], "per_member_limit": 0},
     ["课程分三次：第一次学心肺复苏，第二次学 AED 和气道异物梗阻，第三次综合演练和考核。",
      "一次报名包含三次课，请尽量全部参加。三次都签到的学员可以在“我的报名”里下载结业证书。"],
     (20, 120, 80)),
    ("anti-fraud-talk", "守好养老钱：防范电信网络诈骗讲座", "class", "elderly",
     "银行工作人员用真实案例讲解冒充客服、保健品、养老投资等骗局，教您三招识破。",
     ["bank"], "bank", "dongfang", "东方社区老年活动室", "session",
     [(2, "09:30", 60, 40), (9, "09:30", 60, 40)], {},
     ["“您的医保卡被冻结了”“投资养老公寓月月返利”……这些话一听到就要警惕。",
      "讲座结束后银行工作人员留在现场，可以帮您检查手机里有没有可疑的转账软件。子女可以陪同参加。"],
     (150, 110, 30)),
    ("maternal-child-consult", "孕产期与婴幼儿健康咨询日", "consultation", "children",
     "妇幼保健院医生驻点咨询：孕期营养、产后恢复、婴幼儿喂养与疫苗接种。",
     ["mch"], "mch", "xinqiao", "新桥社区党群服务中心健康小屋", "session",
     [(5, "09:00", 180, 15), (19, "09:00", 180, 15)], {"approval_required": True},
     ["每场咨询日由妇幼保健院的产科、儿保科医生各一名坐诊，每位家庭约二十分钟。",
      "为保证咨询质量，报名后由工作人员电话确认时间段，请保持手机畅通。"],
     (214, 90, 120)),
    ("rider-health-check", "新就业群体职业健康体检", "health", "workers",
     "免费体检：血压、血糖、颈腰椎评估和听力筛查，医生现场解读报告。",
     ["clinic"], "clinic", "hehua", "青石街道社区卫生服务中心体检科", "session",
     [(1, "14:00", 180, 25), (8, "14:00", 180, 25), (15, "14:00", 180, 25), (22, "14:00", 180, 25)],
     {"per_member_limit": 1, "eligible_kinds": ["worker"]},
     ["长时间骑行、久坐、饮食不规律，颈腰椎和血压问题在骑手和快递员里很常见。",
      "体检免费，每人限约一场。请空腹前来，带上身份证。"],
     (40, 130, 110)),
    ("stress-and-sleep", "心理疏导小组：压力与睡眠", "consultation", "workers",
     "心理咨询师带领的小组分享，八人一组，聊聊差评、跑单压力和睡不好的事。",
     [], None, "qingyun", "青云社区“暖新驿站”会客室", "session",
     [(7, "20:00", 90, 8), (21, "20:00", 90, 8)], {},
     ["不讲大道理，只听你说。小组内容保密，可以不说真名。",
      "每组最多八人，结束后可以预约一对一的免费咨询。"],
     (90, 70, 150)),
    ("winter-rider-care-day", "冬日暖心驿站·骑手关爱日", "care", "workers",
     "热姜茶、暖手宝、护膝手套礼包，外加免费理发和电动车安全检测。",
     ["traffic"], None, "xinqiao", "新桥社区户外广场（新桥北路 120 号）", "session",
     [(12, "11:00", 240, 150)], {},
     ["天冷了，跑单辛苦。街道联合辖区企业在新桥社区广场摆开暖心驿站，"
      "准备了一百五十份冬季暖心礼包，报名后凭签到码领取。",
      "现场还有交警免费检测电动车刹车和灯光，社区志愿者提供理发服务。"],
     (200, 40, 50)),
    ("labour-law-clinic", "劳动法律咨询进社区", "consultation", "workers",
     "律师现场答疑：工资拖欠、工伤认定、平台用工关系和劳动合同。",
     ["law"], "law", "liushu", "柳树村村民服务中心调解室", "session",
     [(4, "15:00", 120, 10), (18, "15:00", 120, 10)], {},
     ["带上合同、工资流水或聊天记录，律师一对一帮你理清思路。",
      "需要走仲裁或诉讼的，现场可以申请法律援助。"],
     (60, 60, 60)),
    ("smartphone-for-seniors", "老年人智能手机课堂", "class", "elderly",
     "四次课从打视频电话学到网上挂号、扫码乘车，大字讲义，慢慢教。",
     ["bank"], None, "dongfang", "东方社区老年活动室", "series",
     [(2, "14:30", 90, 16), (9, "14:30", 90, 16), (16, "14:30", 90, 16), (23, "14:30", 90, 16)], {},
     ["每次课都有大学生志愿者一对一陪练。请带上自己的手机和充电器。",
      "第四次课专门讲如何识别诈骗短信和陌生链接。"],
     (240, 160, 40)),
    ("home-care-skills", "家政服务职业技能培训", "class", "residents",
     "面向有就业意愿的居民：收纳整理、老人照护基础、家电清洁，结业推荐上岗。",
     [], None, "xinqiao", "零工驿站培训教室", "series",
     [(13, "09:00", 180, 24), (14, "09:00", 180, 24)], {"eligible_kinds": ["resident", "worker"]},
     ["两天集中培训，由家政企业的资深培训师授课。",
      "全部参加并通过实操考核的学员，零工驿站将优先推荐到合作企业上岗。"],
     (120, 90, 70)),
    ("winter-gas-safety", "冬季用气安全与防一氧化碳中毒", "class", "residents",
     "上周已经结束的两次课：燃气泄漏怎么办、热水器怎么装、煤炉取暖的风险。",
     ["fire"], "fire", "liushu", "柳树村文化礼堂", "series",
     [(-9, "19:00", 90, 30), (-2, "19:00", 90, 30)], {},
     ["天冷以后，用气和取暖引发的事故明显增多。消防员带大家认识燃气报警器、检查软管老化。",
      "两次课都参加的居民可以下载结业证书。"],
     (130, 40, 40)),
]


def seed(stdout):
    with transaction.atomic():
        index = _index_page()
        if index is None:
            stdout.write("  programs: no home page, skipped")
            return
        partners = _partners()
        now = timezone.now()
        created = 0
        for spec in PROGRAMS:
            page, is_new = _program(index, spec, partners, now)
            created += is_new
    with transaction.atomic():
        counts = _registrations()
    stdout.write(f"  programs: {ProgramPage.objects.count()} programs ({created} new), "
                 f"{counts} new registrations")


def _index_page():
    existing = ProgramIndexPage.objects.first()
    if existing:
        return existing
    home = Page.objects.filter(depth=2).first()
    if home is None:
        return None
    index = ProgramIndexPage(
        title="公益课堂与关爱活动", slug="programs",
        intro="<p>街道联合交警、消防、银行、医院和辖区企业，为快递员、外卖骑手和居民开设免费课程、"
              "健康服务和关爱活动。手机上报名，到场出示签到码即可。</p>",
    )
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def _partners():
    result = {}
    for key, name, address, description in PARTNERS:
        result[key], _ = Organisation.objects.get_or_create(name=name, defaults={
            "kind": Organisation.Kind.PARTNER, "status": Organisation.Status.VERIFIED, "address": f"青石街道{address}",
            "description": description,
        })
    return result


def _cover(title, colour):
    Image = get_image_model()
    image = Image.objects.filter(title=f"{title}（封面）").first()
    if image:
        return image
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    width, height = 1200, 675
    canvas = PILImage.new("RGB", (width, height), colour)
    draw = ImageDraw.Draw(canvas)
    light = tuple(min(255, c + 60) for c in colour)
    for i in range(6):  # soft diagonal bands
        draw.polygon([(i * 260 - 200, height), (i * 260, 0), (i * 260 + 110, 0), (i * 260 - 90, height)], fill=light)
    draw.rounded_rectangle((60, 380, width - 60, 600), radius=24, fill=(255, 255, 255))
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 64)
        draw.text((width // 2, 490), title, fill=colour, font=font, anchor="mm")
    except OSError:
        pass  # no CJK font: the picture without its caption
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    return Image.objects.create(
        title=f"{title}（封面）", description=f"“{title}”活动封面图",
        file=ImageFile(buffer, name=f"program-{zlib.crc32(title.encode()):08x}.jpg"),
    )


def _at(now, day_offset, hhmm):
    hour, minute = (int(x) for x in hhmm.split(":"))
    day = timezone.localdate(now) + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _program(index, spec, partners, now):
    (slug, title, kind, audience, summary, partner_keys, organiser_key, community_code, address, enrolment,
     sessions, options, paragraphs, colour) = spec
    existing = ProgramPage.objects.filter(slug=slug).first()
    if existing:
        return existing, False
    from core.models import Community

    description = [("heading", "活动介绍")] + [("paragraph", f"<p>{text}</p>") for text in paragraphs]
    page = ProgramPage(
        title=title, slug=slug, kind=kind, audience=audience, summary=summary, enrolment=enrolment,
        organiser=partners.get(organiser_key), community=Community.objects.filter(code=community_code).first(),
        location_address=address, cover_image=_cover(title, colour), description=description,
        registration_opens=now - timedelta(days=20), **options,
    )
    index.add_child(instance=page)
    page.partners.set([partners[k] for k in partner_keys])
    for i, (offset, start, minutes, places) in enumerate(sessions):
        begin = _at(now, offset, start)
        page.sessions.add(Session(start=begin, end=begin + timedelta(minutes=minutes), places=places,
                                  title=f"第{i + 1}次课" if enrolment == "series" else ""))
    page.save_revision().publish()
    return ProgramPage.objects.get(pk=page.pk), True


def _member(username):
    return User.objects.filter(username=username).first()


def _registrations():
    """Registrations through the services; past ones (which the services rightly refuse) are
    recorded as history with the seat claimed through core.capacity all the same."""
    staff = staff_login("programs", "刘芳", PROGRAM_STAFF)
    workers = [u for u in (_member(f"worker{i}") for i in range(1, 7)) if u]
    residents = [u for u in (_member(f"resident{i}") for i in range(1, 9)) if u]
    if staff is None or not workers or not residents:
        return 0
    programs = {p.slug: p for p in ProgramPage.objects.filter(slug__in=[s[0] for s in PROGRAMS])}
    count = 0

    def fresh(program):
        return not Registration.objects.filter(program=program).exists()

    # The fire-safety class: full, with a waiting list.
    fire = programs.get("ebike-fire-safety")
    if fire and fresh(fire):
        session = fire.session_list[0]
        people = residents + workers  # 14 people for 12 places
        for person in people:
            _safe(services.register, person, fire, session, channel=Registration.Channel.WEB, via="command")
            count += 1
        extra = _phone_caller(staff, "13957100001", "钱阿婆")
        _safe(services.register_on_behalf, staff, extra, fire, session, channel=Registration.Channel.PHONE,
              via="command")
        count += 1

    # Traffic safety: last week's session with attendance, upcoming ones filling up.
    traffic = programs.get("rider-traffic-safety")
    if traffic and fresh(traffic):
        past, upcoming, later = traffic.session_list
        count += _history(traffic, past, workers, attended=workers[:5], staff=staff)
        for worker in workers[:4]:
            _safe(services.register, worker, traffic, upcoming, channel=Registration.Channel.APP, via="command")
            count += 1

    # First aid series and the smartphone class: a few enrolments each.
    for slug, people in (("first-aid-course", workers[:3] + residents[:3]),
                         ("smartphone-for-seniors", residents[:6]),
                         ("anti-fraud-talk", residents[2:8]),
                         ("winter-rider-care-day", workers),
                         ("rider-health-check", workers[:3])):
        program = programs.get(slug)
        if program and fresh(program):
            session = None if program.is_series else program.upcoming_sessions()[0]
            for person in people:
                _safe(services.register, person, program, session, channel=Registration.Channel.APP, via="command")
                count += 1

    # Maternal and child consultation: approval required, so some wait for staff.
    mch = programs.get("maternal-child-consult")
    if mch and fresh(mch):
        session = mch.session_list[0]
        for person in residents[3:6]:
            _safe(services.register, person, mch, session, channel=Registration.Channel.WEB, via="command")
            count += 1
        first = Registration.objects.filter(program=mch, status=Registration.Status.PENDING).order_by("pk").first()
        if first:
            services.approve(staff, first.pk, via="command")

    # The finished gas-safety course: two sessions, most attended both (certificates).
    gas = programs.get("winter-gas-safety")
    if gas and fresh(gas):
        first, second = gas.session_list
        count += _history(gas, None, residents[:6] + workers[:1], attended=residents[:6] + workers[:1], staff=staff,
                          sessions_attended={first.pk: residents[:6] + workers[:1], second.pk: residents[:4] + workers[:1]})
    return count


def _safe(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except services.ProgramError:
        return None


def _phone_caller(staff, phone, name):
    return services.find_or_create_member(staff, phone=phone, display_name=name, kind=User.Kind.RESIDENT)


def _history(program, session, people, *, attended, staff, sessions_attended=None):
    """Record registrations and check-ins for sessions that are already over."""
    sessions = [session] if session is not None else program.session_list
    slot = Registration.slot_for(session)
    created = 0
    for person in people:
        for s in sessions:
            capacity.claim(s.capacity_key, 1)
        registration = Registration.objects.create(
            program=program, session=session, slot=slot, member=person, channel=Registration.Channel.APP,
            status=Registration.Status.CONFIRMED, confirmed_at=sessions[0].start - timedelta(days=3),
        )
        created += 1
        for s in sessions:
            present = (sessions_attended or {}).get(s.pk, attended)
            if person in present:
                Attendance.objects.create(registration=registration, session=s, checked_in_by=staff,
                                          checked_in_at=s.start + timedelta(minutes=5))
        if registration.attendances.exists():
            Registration.objects.filter(pk=registration.pk).update(status=Registration.Status.ATTENDED)
    return created
