"""Demo newsroom: sections, authors, 13 stories and 6 photo briefs with locally drawn images.

``seed(stdout)`` is idempotent: it creates what is missing (matched by slug or name) and leaves
everything else alone.
"""

import io
import random
from datetime import date, datetime, time
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

SECTIONS = [
    ("party", "党建引领", "基层党组织带动社区治理的做法和故事", 1),
    ("community", "社区故事", "邻里之间的人和事", 2),
    ("care", "暖心服务", "为老、助残、关爱新就业群体", 3),
    ("classes", "公益课堂", "家门口的免费课程", 4),
    ("briefs", "图片简讯", "一张照片，一句话", 5),
]

AUTHORS = [
    ("周晓岚", "reporter", "青石街道融媒体中心", "街道融媒体中心记者，跑社区线八年。"),
    ("陈立", "photographer", "青石街道融媒体中心", "摄影记者，喜欢拍清晨的菜市场。"),
    ("林慧", "correspondent", "荷花社区通讯员", "荷花社区网格员，兼任社区通讯员。"),
    ("马建国", "correspondent", "柳树村通讯员", "退休教师，柳树村志愿者队伍的老队员。"),
    ("吴婷婷", "reporter", "青石街道融媒体中心", "关注新就业群体和公益课堂。"),
]

COMMUNITIES = {
    "hehua": "荷花社区", "qingyun": "青云社区", "nanyuan": "南苑社区",
    "xinqiao": "新桥社区", "liushu": "柳树村", "dongfang": "东方社区",
}

# name -> (background colours, caption text, alt text)
IMAGES = {
    "gig-station": ((32, 96, 160), (120, 180, 220), "零工驿站", "零工驿站门口，几位骑手停好电动车在屋檐下休息"),
    "canteen": ((200, 110, 40), (250, 210, 140), "社区食堂", "社区食堂窗口前，老人端着餐盘排队打饭"),
    "class": ((40, 120, 80), (170, 220, 170), "公益课堂", "教室里志愿者俯身教一位老人使用智能手机"),
    "party": ((150, 20, 20), (240, 150, 120), "党群服务", "党群服务中心里，党员志愿者围坐在长桌边开会"),
    "volunteers": ((90, 60, 150), (200, 180, 240), "志愿服务", "穿红马甲的志愿者在小区门口摆桌为居民服务"),
    "street": ((60, 60, 60), (190, 190, 170), "街巷", "雨后的老街巷，两侧是翻新过的楼道和绿化带"),
    "festival": ((180, 40, 90), (250, 190, 200), "节日", "居民和孩子们围在桌边包粽子、贴窗花"),
    "village": ((70, 110, 40), (210, 230, 150), "柳树村", "柳树村村口的大柳树下，村民在晒场上聊天"),
    "health": ((20, 120, 140), (160, 220, 230), "义诊", "社区卫生服务站的医生为老人量血压"),
    "safety": ((200, 150, 0), (255, 230, 140), "安全", "网格员和物业人员一起检查楼道里的电动车充电线"),
}


def _font(size):
    from PIL import ImageFont

    for path in ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                 "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return None


def draw_image(key, size=(1600, 1000)):
    """A simple illustration: sky gradient, ground, a few houses and figures, and a label."""
    from PIL import Image as PILImage
    from PIL import ImageDraw

    top, bottom, label, _ = IMAGES[key]
    rng = random.Random(key)  # noqa: S311 decoration only
    width, height = size
    img = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(img)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(top[i] * (1 - t) + bottom[i] * t) for i in range(3)))
    ground = int(height * 0.72)
    draw.rectangle([0, ground, width, height], fill=(90, 90, 80))
    draw.ellipse([width - 320, 80, width - 160, 240], fill=(255, 236, 170))
    for _i in range(5):
        x = rng.randint(0, width - 300)
        w, h = rng.randint(180, 300), rng.randint(160, 340)
        draw.rectangle([x, ground - h, x + w, ground], fill=tuple(max(0, c - 40) for c in top))
        for wx in range(x + 20, x + w - 30, 50):
            for wy in range(ground - h + 20, ground - 40, 60):
                draw.rectangle([wx, wy, wx + 24, wy + 30], fill=(255, 240, 200))
    for _i in range(7):
        x = rng.randint(60, width - 60)
        draw.ellipse([x - 22, ground - 150, x + 22, ground - 106], fill=(40, 30, 30))
        draw.rectangle([x - 28, ground - 104, x + 28, ground - 10], fill=rng.choice([(200, 30, 30), (30, 60, 140), (240, 240, 240)]))
    font = _font(96)
    if font:
        draw.text((80, 80), label, fill=(255, 255, 255), font=font, stroke_width=4, stroke_fill=(0, 0, 0))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf


def get_image(key):
    from wagtail.images.models import Image

    title = f"新闻配图：{IMAGES[key][2]}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image.objects.create(title=title, description=IMAGES[key][3],
                                     file=ImageFile(draw_image(key), name=f"news-demo-{key}.jpg"))
    return image


def p(*paras):
    return ("paragraph", "".join(f"<p>{x}</p>" for x in paras))


def quote(text, speaker, role=""):
    return ("pull_quote", {"quote": text, "speaker": speaker, "speaker_role": role})


def figures(title, *pairs):
    return ("key_figures", {"title": title, "figures": [{"value": v, "label": lab} for v, lab in pairs]})


def img(key, caption, credit="陈立"):
    return ("image", {"image": get_image(key), "alt": "", "caption": caption, "credit": credit})


def gallery(title, *items):
    return ("gallery", {"title": title, "images": [
        {"image": get_image(k), "alt": "", "caption": c, "credit": "陈立"} for k, c in items]})


def stories():
    """(slug, fields, bylines, tags, body) for every demo story."""
    return [
        ("gig-station-opens", {
            "title": "青石街道零工驿站正式启用，骑手有了歇脚找活的地方", "kicker": "新就业群体",
            "standfirst": "驿站提供热水、充电、休息座椅，还能现场对接附近企业的零工岗位。",
            "section": "care", "community": "hehua", "date": date(2026, 11, 20), "image": "gig-station",
            "caption": "零工驿站启用当天，骑手在门口休息", "credit": "陈立"},
         [("周晓岚", "reporter"), ("陈立", "photographer")], ["零工驿站", "外卖骑手", "就业服务"],
         [p("11月20日上午，位于荷花社区党群服务中心一楼的青石街道零工驿站正式启用。驿站面积约八十平方米，分为休息区、求职对接区和充电区。",
            "“以前下雨只能躲在商场门口，现在有个能坐下喝口热水的地方。”外卖骑手王师傅说。"),
          quote("我们希望驿站不只是歇脚的地方，还能帮大家找到更稳定的活。", "刘敏", "青石街道社会事务办主任"),
          p("驿站每天上午八点到晚上九点开放。工作日下午，街道劳动保障所的工作人员在求职对接区值班，帮助求职者登记意向、推荐附近商超、物流企业的短期和长期岗位。"),
          figures("驿站开门第一周", ("300+", "人次进站休息"), ("46", "人登记求职"), ("12", "家企业发布岗位")),
          p("街道表示，下一步将在青云社区、新桥社区增设两个驿站点位，并和社区食堂合作，为骑手提供优惠工作餐。")]),
        ("elderly-meal-set", {
            "title": "荷花社区食堂推出老年助餐套餐，八十岁以上老人每餐优惠五元", "kicker": "社区食堂",
            "standfirst": "一荤两素一汤，少盐少油，行动不便的老人还可以请志愿者送餐上门。",
            "section": "care", "community": "hehua", "date": date(2026, 11, 12), "image": "canteen",
            "caption": "中午十一点，老人们在社区食堂排队打饭", "credit": "陈立"},
         [("林慧", "correspondent")], ["社区食堂", "助餐", "敬老"],
         [p("“菜做得软，咸淡正好。”84岁的张秀英奶奶每天中午都会拄着拐杖来社区食堂吃饭。",
            "荷花社区食堂自11月起推出老年助餐套餐，六十岁以上老人凭身份证登记后即可享受优惠，八十岁以上老人每餐再减五元。"),
          img("canteen", "食堂每周公布下周菜单，老人可以提前预订"),
          p("对于独居、行动不便的老人，社区组织了十二名志愿者每天中午送餐上门。家属也可以通过社区的小程序或者拨打食堂电话替老人预订。"),
          quote("有人送饭，也有人每天来看看我，心里踏实。", "李大爷", "独居老人")]),
        ("phone-class", {
            "title": "公益课堂开进社区：志愿者手把手教老人用智能手机", "kicker": "银龄数字课堂",
            "standfirst": "扫码挂号、视频通话、识别诈骗电话，一期六节课，报名的老人坐满了教室。",
            "section": "classes", "community": "qingyun", "date": date(2026, 10, 28), "image": "class",
            "caption": "志愿者为老人讲解手机挂号的步骤", "credit": "陈立"},
         [("吴婷婷", "reporter")], ["公益课堂", "智能手机", "敬老"],
         [p("青云社区的“银龄数字课堂”每周二、周四下午开课，授课的是附近大学的学生志愿者。",
            "第一课讲的是怎样用手机给孙子打视频电话。七十岁的赵阿姨学会后当场拨了过去：“看见了，看见了！”"),
          gallery("课堂现场", ("class", "一对一辅导"), ("volunteers", "大学生志愿者在课前备课")),
          p("课程还专门安排了一节防诈骗课，讲解冒充公检法、保健品推销等常见骗局。下一期课程将于12月开班，居民可以到社区服务站或通过小程序报名。")]),
        ("party-members-on-duty", {
            "title": "党员亮身份进网格，南苑社区老旧小区改造“问需于民”", "kicker": "在职党员进社区",
            "standfirst": "三十六名在职党员回社区报到，挨家挨户收集居民对加装电梯、楼道改造的意见。",
            "section": "party", "community": "nanyuan", "date": date(2026, 10, 15), "image": "party",
            "caption": "党员志愿者在党群服务中心讨论改造方案", "credit": "陈立"},
         [("周晓岚", "reporter")], ["党建", "老旧小区改造", "网格"],
         [p("南苑社区有二十多栋上世纪九十年代建成的住宅楼，加装电梯、改造楼道是居民反映最多的问题。",
            "今年秋天，社区党委组织在职党员回社区报到，每人联系一个楼栋，先听居民怎么说，再一起商量怎么改。"),
          figures("一个月里", ("36", "名党员进网格"), ("600+", "户居民走访"), ("82", "条意见建议")),
          p("收集到的意见汇总后，社区召开了三场居民议事会。三号楼、七号楼已有超过三分之二的住户同意加装电梯，方案正在设计中。")]),
        ("needs-meeting", {
            "title": "暖新问需会：快递小哥和外卖骑手说出自己的“急难愁盼”", "kicker": "新就业群体",
            "standfirst": "充电难、吃饭难、孩子放学没人接，街道把问题一条条记下来，明确责任单位和时限。",
            "section": "care", "community": "xinqiao", "date": date(2026, 9, 26), "image": "gig-station",
            "caption": "暖新问需会现场", "credit": "陈立"},
         [("吴婷婷", "reporter"), ("陈立", "photographer")], ["暖新问需会", "外卖骑手", "快递小哥", "零工驿站"],
         [p("9月25日晚上，新桥社区党群服务中心坐满了刚下班的快递员和外卖骑手。这场暖新问需会由街道总工会和社区党委共同组织。"),
          quote("晚上九点以后找不到地方给电瓶充电，这是我们最头疼的事。", "小刘", "快递员"),
          p("会上收集到的二十三条意见，街道当场认领了十五条。其中，在零工驿站和两个小区增设智能充电柜的事项，已经排进了年底前的计划。")]),
        ("village-volunteers", {
            "title": "柳树村志愿服务队十年：从三个人到一百二十人", "kicker": "红马甲",
            "standfirst": "修路灯、陪老人、巡河道，村里的老教师带出了一支“红马甲”队伍。",
            "section": "community", "community": "liushu", "date": date(2026, 9, 18), "image": "village",
            "caption": "柳树村村口的大柳树下", "credit": "马建国"},
         [("马建国", "correspondent")], ["志愿服务", "乡村", "敬老"],
         [p("2016年，退休教师郑老师和两位老邻居自发在村口摆了一张桌子，帮村民修收音机、量血压。十年过去了，柳树村志愿服务队已经有一百二十名队员。"),
          figures("十年里", ("120", "名志愿者"), ("4800+", "小时志愿时长"), ("300+", "次入户探访")),
          p("如今，服务队分成了助老、护河、文化三个小组。每周六上午，队员们会到独居老人家中打扫卫生、聊聊天。")]),
        ("free-clinic", {
            "title": "家门口的义诊：东方社区卫生服务站为两百多位老人体检", "kicker": "健康",
            "standfirst": "测血压、查血糖、看眼睛，医生还为慢性病老人建立了随访档案。",
            "section": "care", "community": "dongfang", "date": date(2026, 10, 9), "image": "health",
            "caption": "医生为老人量血压", "credit": "陈立"},
         [("周晓岚", "reporter")], ["义诊", "敬老", "健康"],
         [p("10月8日，东方社区卫生服务站联合区医院在社区广场开展义诊，两百多位老人排队参加了体检。"),
          p("对查出血压、血糖偏高的老人，家庭医生当场建立随访档案，约定每月上门一次。")]),
        ("ebike-safety", {
            "title": "电动车进楼充电隐患多，网格员和物业挨栋排查", "kicker": "平安社区",
            "standfirst": "两周排查一千二百户，清理楼道堆物四十多处，新装充电桩一百个。",
            "section": "community", "community": "qingyun", "date": date(2026, 11, 3), "image": "safety",
            "caption": "网格员检查楼道里的电线", "credit": "陈立"},
         [("林慧", "correspondent")], ["网格", "安全", "电动车"],
         [p("入秋以来，青云社区网格员和物业人员组成联合检查组，对辖区内的楼道、地下室逐栋排查电动车违规充电。"),
          figures("两周成果", ("1200", "户排查"), ("43", "处堆物清理"), ("100", "个新充电桩")),
          p("居民发现安全隐患，可以通过社区小程序上报线索，网格员会在二十四小时内上门处理。")]),
        ("calligraphy-class", {
            "title": "书法课、葫芦丝课上新，新桥社区公益课堂秋季班开课", "kicker": "秋季班",
            "standfirst": "八门课程免费报名，既有老人喜欢的书法、乐器，也有面向青年的职业技能课。",
            "section": "classes", "community": "xinqiao", "date": date(2026, 9, 10), "image": "class",
            "caption": "书法课上，老师在示范运笔", "credit": "陈立"},
         [("吴婷婷", "reporter")], ["公益课堂", "文化"],
         [p("新桥社区公益课堂秋季班开课，本期共开设书法、葫芦丝、太极拳、摄影、电商直播、育婴等八门课程。"),
          p("电商直播课和育婴课面向社区里的青年和灵活就业人员，结业后可以参加职业技能评价。")]),
        ("branch-on-the-street", {
            "title": "“支部建在街巷上”：东方社区把议事桌搬到了楼道口", "kicker": "街巷议事",
            "standfirst": "楼道议事会每月一次，停车、绿化、垃圾分类，居民的事居民商量着办。",
            "section": "party", "community": "dongfang", "date": date(2026, 11, 25), "image": "street",
            "caption": "楼道口的居民议事会", "credit": "陈立"},
         [("周晓岚", "reporter"), ("陈立", "photographer")], ["党建", "居民议事", "网格"],
         [p("东方社区把党支部建在了街巷上，每条街巷由一名党员担任“巷长”。"),
          quote("大家的事摆到桌面上说，吵归吵，最后总能商量出个办法。", "孙阿姨", "居民代表"),
          p("今年以来，街巷议事会已经解决了停车位划线、楼道灯维修等三十多件小事。")]),
        ("dragon-boat", {
            "title": "邻里一家亲：荷花社区的“百家宴”", "kicker": "邻里节",
            "standfirst": "每家带一道拿手菜，四十多张桌子从广场一直摆到楼下。",
            "section": "community", "community": "hehua", "date": date(2026, 10, 2), "image": "festival",
            "caption": "百家宴上居民互相夹菜", "credit": "林慧"},
         [("林慧", "correspondent")], ["邻里", "节日"],
         [p("国庆假期第一天，荷花社区广场上摆起了百家宴。居民们带来了红烧肉、糖醋排骨、手擀面，还有新疆来的邻居做的大盘鸡。"),
          gallery("百家宴", ("festival", "孩子们在表演节目"), ("volunteers", "志愿者在维持秩序"))]),
        ("rest-station-summer", {
            "title": "爱心驿站夏季送清凉，环卫工人和骑手都能来歇脚", "kicker": "送清凉",
            "standfirst": "全街道十八个爱心驿站备足绿豆汤和防暑药品，开放时间延长到晚上十点。",
            "section": "care", "community": "nanyuan", "date": date(2026, 9, 2), "image": "gig-station",
            "caption": "爱心驿站里的饮水机和药箱", "credit": "陈立"},
         [("马建国", "correspondent"), ("陈立", "photographer")], ["爱心驿站", "外卖骑手", "环卫工人"],
         [p("夏末天气依然炎热，青石街道的十八个爱心驿站继续提供防暑服务。驿站里备有饮用水、绿豆汤、藿香正气水和急救箱。")]),
        ("grid-worker-day", {
            "title": "跟着网格员走一天：八小时、两万步、四十七件事", "kicker": "身边人",
            "standfirst": "从早上七点半的菜市场到晚上的楼道巡查，一位网格员的普通一天。",
            "section": "community", "community": "qingyun", "date": date(2026, 11, 17), "image": "street",
            "caption": "网格员在巷子里走访", "credit": "陈立"},
         [("周晓岚", "reporter")], ["网格", "社区工作者"],
         [p("早上七点半，网格员小黄已经在菜市场门口了。她负责的网格有一千一百户居民，其中独居老人三十二位。"),
          figures("小黄的一天", ("8", "小时"), ("20000+", "步"), ("47", "件事")),
          p("下午，她上门看望了两位独居老人，帮一户居民联系了水管维修，还处理了一条居民通过小程序上报的楼道堆物线索。")]),
    ]


def briefs():
    return [
        ("brief-zongzi", {"title": "3日，荷花社区举办包粽子活动", "standfirst": "居民和志愿者一起包了三百多个粽子，送给社区里的独居老人。",
                              "community": "hehua", "date": date(2026, 11, 3), "image": "festival", "caption": "包粽子", "credit": "林慧"},
         [("林慧", "photographer")], ["邻里", "敬老"]),
        ("brief-clinic", {"title": "8日，东方社区开展义诊", "standfirst": "区医院医生为社区老人测量血压血糖，提供用药咨询。",
                              "community": "dongfang", "date": date(2026, 10, 8), "image": "health", "caption": "义诊现场", "credit": "陈立"},
         [("陈立", "photographer")], ["义诊", "健康"]),
        ("brief-river", {"title": "柳树村志愿者清理河道垃圾", "standfirst": "二十多名村民志愿者沿河清理垃圾，捡拾塑料袋、饮料瓶两百余公斤。",
                             "community": "liushu", "date": date(2026, 10, 19), "image": "village", "caption": "志愿者在河边清理", "credit": "马建国"},
         [("马建国", "photographer")], ["志愿服务", "环保"]),
        ("brief-charging", {"title": "青云社区新装一百个电动车充电桩", "standfirst": "充电桩分布在六个小区，扫码即可充电。",
                                "community": "qingyun", "date": date(2026, 11, 6), "image": "safety", "caption": "新装的充电桩", "credit": "陈立"},
         [("陈立", "photographer")], ["电动车", "安全"]),
        ("brief-class-graduation", {"title": "新桥社区电商直播班结业", "standfirst": "二十六名学员完成课程，其中九人已在附近企业找到工作。",
                                        "community": "xinqiao", "date": date(2026, 11, 22), "image": "class", "caption": "结业合影", "credit": "吴婷婷"},
         [("吴婷婷", "photographer")], ["公益课堂", "就业服务"]),
        ("brief-party-day", {"title": "南苑社区党员开展主题党日活动", "standfirst": "党员们清扫小区公共区域，并为楼道更换了二十盏声控灯。",
                                 "community": "nanyuan", "date": date(2026, 11, 28), "image": "party", "caption": "主题党日", "credit": "陈立"},
         [("陈立", "photographer")], ["党建", "志愿服务"]),
    ]


@transaction.atomic
def seed(stdout):
    from core.models import Community
    from news.models import Author, BriefPage, Byline, NewsIndexPage, Section, StoryPage
    from news.services import ensure_newsroom

    index = ensure_newsroom() or NewsIndexPage.objects.order_by("path").first()
    if index is None:
        stdout.write("news: no home page, skipped")
        return
    sections = {}
    for slug, name, description, order in SECTIONS:
        sections[slug] = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "sort_order": order})[0]
    authors = {}
    for name, role, affiliation, bio in AUTHORS:
        authors[name] = Author.objects.get_or_create(
            name=name, defaults={"default_role": role, "affiliation": affiliation, "bio": bio})[0]
    communities = {}
    for code, name in COMMUNITIES.items():
        communities[code] = (Community.objects.filter(code=code).first()
                             or Community.objects.get_or_create(name=name, defaults={"code": code})[0])

    existing = set(StoryPage.objects.child_of(index).values_list("slug", flat=True))
    created = 0
    items = [(slug, fields, bylines, tags, body, False) for slug, fields, bylines, tags, body in stories()]
    items += [(slug, fields, bylines, tags, [], True) for slug, fields, bylines, tags in briefs()]
    for slug, fields, bylines, tags, body, is_brief in items:
        if slug in existing:
            continue
        fields = dict(fields)
        image_key = fields.pop("image")
        caption, credit = fields.pop("caption"), fields.pop("credit")
        section = sections["briefs"] if is_brief else sections[fields.pop("section")]
        community = communities.get(fields.pop("community"))
        page = (BriefPage if is_brief else StoryPage)(
            slug=slug, section=section, community=community, lead_image=get_image(image_key),
            lead_image_caption=caption, lead_image_credit=credit, **fields)
        if body:
            page.body = body
        for i, (name, role) in enumerate(bylines):
            page.bylines.add(Byline(author=authors[name], role=role, sort_order=i))
        page.tags.add(*tags)
        index.add_child(instance=page)
        page.save_revision().publish()
        # Demo stories were "published" on their own dates, not all today.
        published = timezone.make_aware(datetime.combine(page.date, time(9, 30)))
        StoryPage.objects.filter(pk=page.pk).update(first_published_at=published, last_published_at=published)
        created += 1
    stdout.write(f"news: {created} stories and briefs created ({len(items)} in the demo)")
