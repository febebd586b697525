"""Demo content for the canteen: two canteens, four weeks of menus, diners of every price tier,
bookings (through the real services), deliveries, payments and feedback. Safe to run again.

Past meals are booked through ``services.book`` like any other: the slot's cut-off is opened for
the moment of booking and then set back to the canteen's usual time.
"""

import datetime
import io
import zlib
from decimal import Decimal

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model

from canteen import services
from canteen.models import (
    Booking,
    Canteen,
    Diner,
    DinerLink,
    Dish,
    Feedback,
    MealSlot,
    Menu,
    PriceTier,
    SetMeal,
)
from canteen.roles import CANTEEN_STAFF
from members.demo import staff_login

OPERATORS = [
    ("青石颐膳餐饮管理有限公司", "hehua", "青石街道荷花路 20 号", "0571-8650 3101"),
    ("禾润社区餐饮服务有限公司", "nanyuan", "青石街道南苑路 11 号", "0571-8650 3207"),
]

CANTEENS = [
    {
        "slug": "hehua", "name": "荷花社区长者食堂", "community": "hehua", "operator": 0,
        "address": "青石街道荷花路 18 号社区服务中心一楼", "hours": "午餐 11:00–12:30，晚餐 17:00–18:00",
        "hotline": "0571-8650 3102", "delivery": ["hehua", "qingyun"], "buildings": "", "portions": 120,
        "intro": "荷花社区长者食堂由街道和社区共同建设、委托专业公司运营，每天现做少盐少油的家常菜。"
                 "六十岁以上老人凭身份证登记后按年龄享受助餐补贴；行动不便、独居的老人可以申请送餐上门，"
                 "送餐员每天敲门时也会看看老人是否安好。",
        "dinner": True,
    },
    {
        "slug": "nanyuan", "name": "南苑邻里食堂", "community": "nanyuan", "operator": 1,
        "address": "青石街道南苑路 9 号邻里中心二楼", "hours": "午餐 10:50–12:30",
        "hotline": "0571-8650 3208", "delivery": ["nanyuan", "liushu", "dongfang"], "buildings": "",
        "portions": 90,
        "intro": "南苑邻里食堂只做午餐，菜单每周一更新。柳树村和东方社区的独居老人由志愿者骑电动车送餐，"
                 "请在当天上午九点半前电话或在手机上预订。",
        "dinner": False,
    },
]

# name, min_age, max_age, special group, kind, value, all portions
TIERS = [
    ("60–69 岁", 60, 69, "", "discount", "10", False),
    ("70–79 岁", 70, 79, "", "fixed", "3", False),
    ("80–89 岁", 80, 89, "", "fixed", "5", False),
    ("90 岁及以上", 90, None, "", "fixed", "8", False),
    ("低保老人", None, None, "low_income", "fixed", "8", False),
    ("特困供养", None, None, "hardship", "discount", "100", False),
    ("残疾人", None, None, "disabled", "fixed", "4", False),
    ("托管班学生", None, None, "daycare", "discount", "20", True),
]

# name, description, dietary tags, allergens, colour for the photo
DISHES = [
    ("清蒸鲈鱼", "鲈鱼肉嫩刺少，姜丝清蒸，淋少量生抽。", ["low_salt", "low_fat"], ["fish", "soy"], (222, 232, 238)),
    ("番茄炒蛋", "番茄去皮炒软，鸡蛋嫩滑，适合牙口不好的老人。", ["soft"], ["egg"], (231, 92, 64)),
    ("冬瓜排骨汤", "排骨先焯水去油，冬瓜炖得软烂。", ["low_salt", "soft"], [], (236, 226, 200)),
    ("清炒时蔬", "当天采购的青菜，少油快炒。", ["vegetarian", "low_salt", "low_fat"], [], (80, 150, 70)),
    ("肉末蒸蛋", "肉末剁得很细，蒸蛋不放味精。", ["soft", "low_salt"], ["egg"], (240, 200, 90)),
    ("红烧狮子头", "猪肉加荸荠做的大肉丸，小火慢炖，口感松软。", ["soft"], ["soy", "wheat"], (150, 80, 45)),
    ("香菇青菜", "香菇提鲜，不另加鸡精。", ["vegetarian", "low_salt"], ["soy"], (95, 140, 70)),
    ("山药炒木耳", "铁棍山药配黑木耳，清淡爽口。", ["vegetarian", "low_sugar", "low_fat"], [], (210, 205, 190)),
    ("土豆烧鸡块", "鸡腿肉去皮，土豆炖到一抿就化。", ["soft"], ["soy"], (200, 150, 70)),
    ("清炖牛肉萝卜", "牛腩切小块，白萝卜炖软，不放辣。", ["low_salt", "soft"], [], (170, 110, 80)),
    ("虾仁豆腐", "嫩豆腐配鲜虾仁，少芡汁。", ["soft", "low_fat"], ["shellfish", "soy"], (240, 225, 205)),
    ("南瓜小米粥", "老南瓜和小米熬成，不额外加糖。", ["vegetarian", "soft", "low_sugar"], [], (240, 170, 50)),
    ("杂粮饭", "大米加糙米、燕麦，控糖老人可选。", ["vegetarian", "low_sugar"], ["wheat"], (190, 160, 120)),
    ("白米饭", "东北大米，蒸得偏软。", ["vegetarian", "soft"], [], (248, 246, 240)),
    ("芹菜香干", "芹菜切细丁，香干少盐。", ["vegetarian", "low_salt"], ["soy"], (120, 170, 90)),
    ("西兰花炒虾仁", "西兰花焯水后快炒，虾仁去虾线。", ["low_fat"], ["shellfish"], (60, 130, 60)),
    ("芋头蒸排骨", "荔浦芋头垫底，排骨蒸得软烂。", ["soft"], ["soy"], (175, 150, 160)),
    ("紫菜蛋花汤", "每份盐量不超过一克。", ["low_salt", "soft"], ["egg", "shellfish"], (90, 100, 80)),
]

# name, description, dishes
SET_MEALS = [
    ("荷花 A 套餐（一荤两素）", "一荤两素一汤，配白米饭。", ["红烧狮子头", "清炒时蔬", "香菇青菜", "紫菜蛋花汤", "白米饭"]),
    ("软食套餐", "全软烂，适合装假牙或刚出院的老人。", ["肉末蒸蛋", "冬瓜排骨汤", "南瓜小米粥"]),
    ("控糖套餐", "杂粮饭配清淡菜，糖尿病老人可选。", ["清蒸鲈鱼", "山药炒木耳", "杂粮饭"]),
    ("素食套餐", "全素，初一十五和吃素的老人可选。", ["香菇青菜", "山药炒木耳", "芹菜香干", "白米饭"]),
]

# Rotating dishes à la carte, by weekday: (dish, price)
DAILY = [
    [("番茄炒蛋", "6.00"), ("清蒸鲈鱼", "12.00"), ("冬瓜排骨汤", "5.00")],
    [("土豆烧鸡块", "10.00"), ("虾仁豆腐", "9.00"), ("紫菜蛋花汤", "2.00")],
    [("清炖牛肉萝卜", "13.00"), ("芹菜香干", "5.00"), ("南瓜小米粥", "3.00")],
    [("芋头蒸排骨", "11.00"), ("西兰花炒虾仁", "12.00"), ("冬瓜排骨汤", "5.00")],
    [("红烧狮子头", "10.00"), ("肉末蒸蛋", "5.00"), ("南瓜小米粥", "3.00")],
    [("清蒸鲈鱼", "12.00"), ("山药炒木耳", "6.00"), ("紫菜蛋花汤", "2.00")],
]

# name, years old, special group, community, building, lives alone, needs delivery, dietary needs,
# allergies, notes, emergency contact, account username (or "")
DINERS = [
    ("郑秀英", 84, "", "hehua", "3 幢", True, True, ["low_salt", "soft"], [], "装全口假牙，菜要剁碎",
     ("郑丽", "13905710101"), "resident1"),
    ("吴玉兰", 91, "", "hehua", "5 幢", True, True, ["soft"], ["shellfish"], "", ("吴建军", "13905710202"),
     "resident2"),
    ("冯德明", 76, "", "qingyun", "12 幢", False, False, ["low_sugar"], [], "糖尿病，米饭减半",
     ("冯小燕", "13905710303"), "resident3"),
    ("何淑珍", 67, "", "nanyuan", "2 幢", False, False, [], [], "", ("何强", "13905710404"), "resident4"),
    ("许国华", 72, "low_income", "nanyuan", "7 幢", True, True, ["low_salt"], [], "高血压，忌咸",
     ("许敏", "13905710505"), "resident5"),
    ("曹凤英", 88, "hardship", "liushu", "柳树村 4 组", True, True, ["soft"], ["peanut"], "耳背，敲门要用力",
     ("村委会 曹主任", "13905710606"), "resident6"),
    ("邓建平", 63, "disabled", "dongfang", "1 幢", False, True, [], [], "轮椅出行", ("邓娟", "13905710707"),
     "resident7"),
    ("彭丽娟", 58, "", "hehua", "8 幢", False, False, ["vegetarian"], [], "吃素", ("", ""), "resident8"),
    ("张桂英", 86, "", "hehua", "3 幢", True, True, ["low_salt", "soft"], ["egg"], "对鸡蛋过敏",
     ("李红", "13905719901"), ""),
    ("王根宝", 93, "", "qingyun", "6 幢", True, True, ["soft"], [], "中午十一点半前送到", ("王卫东", "13905719902"),
     ""),
    ("陈阿毛", 79, "", "nanyuan", "10 幢", True, False, ["low_salt"], [], "", ("陈志刚", "13905719903"), ""),
    ("林美华", 69, "", "liushu", "柳树村 2 组", False, True, ["low_sugar"], [], "", ("林涛", "13905719904"), ""),
]

# family member username -> diner name, relation
LINKS = [("worker1", "张桂英", "女儿"), ("worker3", "王根宝", "孙子"), ("resident8", "郑秀英", "邻居（受托）")]

FEEDBACK = [
    ("郑秀英", "红烧狮子头", 5, "狮子头很软，跟自己家里做的一样。"),
    ("冯德明", "杂粮饭", 4, "杂粮饭好，希望一周多安排几次控糖套餐。"),
    ("吴玉兰", "清蒸鲈鱼", 3, "鱼有点刺，老人吃要小心，能不能换成龙利鱼？"),
    ("何淑珍", "清炒时蔬", 4, "青菜新鲜，就是油稍微多了一点。"),
    ("许国华", "冬瓜排骨汤", 5, "汤淡淡的，正合适。"),
    ("张桂英", "番茄炒蛋", 2, "我对鸡蛋过敏，希望菜单上写清楚哪些菜有鸡蛋。"),
]


def seed(stdout):
    from core.models import Community
    from members.models import Organisation

    communities = {c.code: c for c in Community.objects.all()}
    if "hehua" not in communities:
        stdout.write("  canteen: communities are missing (run seed_demo), skipped")
        return
    staff = staff_login("canteen", "孙桂兰", CANTEEN_STAFF)
    today = timezone.localdate()
    with transaction.atomic():
        dishes = _dishes()
        set_meals = _set_meals(dishes)
        canteens = []
        for spec in CANTEENS:
            name, code, address, phone = OPERATORS[spec["operator"]]
            operator, _ = Organisation.objects.get_or_create(name=name, defaults={
                "kind": Organisation.Kind.CANTEEN_OPERATOR, "status": Organisation.Status.VERIFIED,
                "community": communities[code], "address": address, "contact_phone": phone.replace(" ", "").replace(
                    "-", ""),
            })
            canteen, _ = Canteen.objects.update_or_create(slug=spec["slug"], defaults={
                "name": spec["name"], "community": communities[spec["community"]], "address": spec["address"],
                "hours": spec["hours"], "hotline": spec["hotline"], "operator": operator, "intro": spec["intro"],
                "delivery_buildings": spec["buildings"], "default_portions": spec["portions"],
            })
            canteen.delivery_communities.set([communities[c] for c in spec["delivery"]])
            for tier in TIERS:
                PriceTier.objects.update_or_create(canteen=canteen, name=tier[0], defaults={
                    "min_age": tier[1], "max_age": tier[2], "special_group": tier[3], "kind": tier[4],
                    "value": Decimal(tier[5]), "all_portions": tier[6],
                })
            canteens.append((canteen, spec))
        diners = _diners(communities, today)
    # Four weeks: the last one (for reports), this one and the next two.
    monday = services.week_start(today)
    slots = []
    for canteen, spec in canteens:
        for week in range(-1, 3):
            start = monday + datetime.timedelta(days=7 * week)
            menu, _ = Menu.objects.get_or_create(canteen=canteen, week_start=start, defaults={
                "note": "本周菜品少盐少油；有过敏或忌口请在预订时说明。"})
            for day in range(6):
                date = start + datetime.timedelta(days=day)
                meals = ["lunch", "dinner"] if spec["dinner"] and day < 5 else ["lunch"]
                for meal in meals:
                    slots.append(_slot(menu, date, meal, day, set_meals, dishes))
    bookings = _bookings(staff, diners, slots, today)
    _group_booking(staff, canteens[0][0], set_meals, today)
    _deliveries(staff, today)
    _feedback(diners, dishes)
    stdout.write(f"  canteen: {len(canteens)} canteens, {len(slots)} meal slots, {len(diners)} diners, "
                 f"{bookings} new bookings")


def _photo(name, colour):
    Image = get_image_model()
    image = Image.objects.filter(title=name).first()
    if image:
        return image
    from PIL import Image as PILImage
    from PIL import ImageDraw, ImageFont

    canvas = PILImage.new("RGB", (640, 427), (246, 241, 232))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((120, 40, 520, 400), fill=(255, 255, 255), outline=(200, 190, 175), width=6)
    draw.ellipse((175, 95, 465, 345), fill=colour)
    try:
        font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 40)
        draw.text((320, 214), name, fill=(30, 30, 30), font=font, anchor="mm", stroke_width=3,
                  stroke_fill=(255, 255, 255))
    except OSError:
        pass  # no CJK font: the plate alone
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=82)
    return Image.objects.create(title=name, description=f"一盘{name}",
                                file=ImageFile(buffer, name=f"canteen-dish-{zlib.crc32(name.encode()):08x}.jpg"))


def _dishes():
    result = {}
    for name, description, tags, allergens, colour in DISHES:
        dish, _ = Dish.objects.get_or_create(name=name, defaults={
            "description": description, "dietary_tags": tags, "allergens": allergens})
        if dish.photo_id is None:
            dish.photo = _photo(name, colour)
            dish.save(update_fields=["photo"])
        result[name] = dish
    return result


def _set_meals(dishes):
    result = {}
    for name, description, members in SET_MEALS:
        set_meal, created = SetMeal.objects.get_or_create(name=name, defaults={"description": description})
        if created:
            set_meal.dishes.set([dishes[d] for d in members])
        result[name] = set_meal
    return result


def _diners(communities, today):
    from members.models import User

    result = {}
    for (name, age, group, community, building, alone, delivery, needs, allergies, notes, contact,
         username) in DINERS:
        user = User.objects.filter(username=username).first() if username else None
        diner = Diner.objects.filter(name=name).first() or Diner(name=name)
        diner.user = user
        diner.phone = diner.phone or (user.phone if user and user.phone else f"1590571{len(result):04d}")
        diner.birth_year = today.year - age
        diner.special_group = group
        diner.community = communities[community]
        diner.building = building
        diner.address = f"{communities[community].name}{building}{'' if '组' in building else ' 2 单元 301 室'}"
        diner.lives_alone, diner.needs_delivery = alone, delivery
        diner.dietary_needs, diner.allergies, diner.dietary_notes = needs, allergies, notes
        diner.delivery_notes = "门口放保温箱，敲门后稍等" if delivery else ""
        diner.emergency_contact_name, diner.emergency_contact_phone = contact
        diner.save()
        result[name] = diner
    for username, diner_name, relation in LINKS:
        user = User.objects.filter(username=username).first()
        if user:
            DinerLink.objects.get_or_create(diner=result[diner_name], user=user, defaults={"relation": relation})
    return result


def _slot(menu, date, meal, day, set_meals, dishes):
    names = list(set_meals)
    items = [(set_meals[names[0]], Decimal("15.00")), (set_meals[names[1]], Decimal("12.00"))]
    if day % 2 == 0:
        items.append((set_meals[names[2]], Decimal("14.00")))
    else:
        items.append((set_meals[names[3]], Decimal("10.00")))
    if meal == "lunch":
        items += [(dishes[d], Decimal(p)) for d, p in DAILY[day]]
    else:
        items += [(dishes["南瓜小米粥"], Decimal("3.00")), (dishes["番茄炒蛋"], Decimal("6.00"))]
    portions = menu.canteen.default_portions if meal == "lunch" else 40
    return services.create_slot(menu, date, meal, portions=portions, items=items)


def _bookings(staff, diners, slots, today):
    """Lunch most days for every diner of the canteen that serves their community."""
    created = 0
    for slot in slots:
        if slot.meal != "lunch" or slot.date > today + datetime.timedelta(days=6):
            continue
        for n, diner in enumerate(diners.values()):
            if not slot.canteen.delivery_communities.filter(pk=diner.community_id).exists():
                continue
            if (n + slot.date.toordinal()) % 4 == 0:  # not every diner eats every day
                continue
            if Booking.objects.filter(slot=slot, diner=diner).exists():
                continue
            actor = diner.user or staff
            if actor is None:
                continue
            link = diner.links.first()
            if link and slot.date.toordinal() % 3 == 0:
                actor = link.user  # the daughter books this time
            items = list(slot.items.all())
            choice = [(items[(n + slot.date.weekday()) % 3].pk, 1)]
            if n % 5 == 0:
                choice.append((items[3].pk, 1))
            mode = Booking.Mode.DELIVERY if diner.needs_delivery else (
                Booking.Mode.PICK_UP if n % 3 == 0 else Booking.Mode.DINE_IN)
            booking = _book_any_day(actor, diner, slot, choice, mode)
            if booking is not None:
                created += 1
                if slot.date < today and staff is not None and mode != Booking.Mode.DELIVERY:
                    services.record_payment(staff, booking, method="cash" if n % 2 else "meal_card", via="command")
    return created


def _book_any_day(actor, diner, slot, items, mode):
    """Book through the service; a past slot's cut-off is opened for the moment and put back."""
    usual = slot.canteen.cutoff_for(slot.date, slot.meal)
    reopen = timezone.now() >= slot.cutoff_at
    if reopen:
        MealSlot.objects.filter(pk=slot.pk).update(cutoff_at=timezone.now() + datetime.timedelta(hours=1))
    try:
        return services.book(actor, diner=diner, slot=slot, items=items, mode=mode, via="command",
                             notes="少放盐" if "low_salt" in diner.dietary_needs else "")
    except services.CanteenError:
        return None
    finally:
        if reopen:
            MealSlot.objects.filter(pk=slot.pk).update(cutoff_at=usual)


def _group_booking(staff, canteen, set_meals, today):
    if staff is None:
        return
    saturday = services.week_start(today) + datetime.timedelta(days=12)
    slot = MealSlot.objects.filter(canteen=canteen, date=saturday, meal="lunch").first()
    if slot is None or Booking.objects.filter(slot=slot, group_name="青苗托管班").exists():
        return
    item = slot.items.filter(set_meal=set_meals["软食套餐"]).first() or slot.items.first()
    services.group_booking(staff, slot=slot, group_name="青苗托管班", items=[(item.pk, 20)],
                           special_group="daycare", notes="孩子们十一点四十到，请分装二十份", via="command")


def _deliveries(staff, today):
    from canteen.models import Delivery
    from members.models import User

    volunteers = list(User.objects.filter(username__in=["worker2", "worker4"]).order_by("username"))
    if staff is None or not volunteers:
        return
    pending = Delivery.objects.filter(volunteer__isnull=True).select_related("booking__diner", "booking__slot")
    by_volunteer = {}
    for delivery in pending:
        volunteer = volunteers[0] if delivery.booking.diner.community.code in ("hehua", "qingyun") else volunteers[-1]
        by_volunteer.setdefault(volunteer, []).append(delivery.pk)
    for volunteer, ids in by_volunteer.items():
        services.assign_delivery(staff, ids, volunteer, via="command")
    past = Delivery.objects.filter(status="pending", booking__slot__date__lt=today).select_related(
        "booking__diner", "volunteer").order_by("booking__slot__date", "id")
    for n, delivery in enumerate(past):
        # One "no answer" in the history: 曹凤英 did not open the door (she had gone to the clinic).
        no_answer = delivery.booking.diner.name == "曹凤英" and n % 7 == 3
        services.record_delivery(delivery.volunteer or staff, delivery, delivered=not no_answer,
                                 note="老人去卫生室打针了，村委会已联系上" if no_answer else "", via="command")
        if not no_answer:
            services.record_payment(delivery.volunteer or staff, delivery.booking, method="cash", via="command")


def _feedback(diners, dishes):
    from members.models import User

    for diner_name, dish_name, rating, text in FEEDBACK:
        diner = diners[diner_name]
        if Feedback.objects.filter(diner=diner, dish=dishes[dish_name]).exists():
            continue
        actor = diner.user or (diner.links.first().user if diner.links.exists() else None)
        if actor is None:
            actor = User.objects.filter(username="canteen").first()
        canteen = Canteen.objects.filter(delivery_communities=diner.community_id).first()
        services.leave_feedback(actor, diner=diner, dish=dishes[dish_name], canteen=canteen, rating=rating,
                                text=text, via="command")
