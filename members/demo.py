"""Members' demo content: the demo admin, staff logins for the site's own roles, members of every
kind and two verified enterprises. A plugin's demo makes the login of its own staff role with
:func:`staff_login`."""

from django.contrib.auth.models import Group

from core.demo import COMMUNITIES, DEMO_PASSWORD
from core.models import Community
from core.roles import EDITORS, GRID_WORKERS, MODERATORS, OFFICE_STAFF
from members.models import Organisation, OrganisationMembership, User

#: Logins for core's roles; each plugin adds its own (programs, canteen, ...).
STAFF = [
    ("editor", "周晓雯", EDITORS),
    ("moderator", "陈建国", MODERATORS),
    ("grid", "李强", GRID_WORKERS),
    ("office", "赵敏", OFFICE_STAFF),
]
WORKERS = ["张伟", "王磊", "李明辉", "陈浩", "杨帆", "黄志强"]
RESIDENTS = ["郑秀英", "吴玉兰", "冯德明", "何淑珍", "许国华", "曹凤英", "邓建平", "彭丽娟"]
BOSSES = [("boss1", "马晓东", "青石同城配送有限公司"), ("boss2", "林静", "荷花家政服务有限公司")]
HOME_COMMUNITY = "hehua"


def demo_user(username, display_name, kind, community=None, **extra):
    user, created = User.objects.get_or_create(username=username, defaults={
        "display_name": display_name, "kind": kind, "community": community,
        "email": f"{username}@qingshi.example.cn", **extra,
    })
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def staff_login(username, display_name, role_name):
    """The demo login of a staff role (idempotent): a staff user of the office's home community
    in the role's group, which core created after migrate."""
    community = Community.objects.filter(code=HOME_COMMUNITY).first()
    user = demo_user(username, display_name, User.Kind.STAFF, community, is_staff=True)
    user.groups.add(Group.objects.get(name=role_name))
    return user


def seed(stdout):
    communities = {c.code: c for c in Community.objects.all()}
    admin = demo_user("admin", "系统管理员", User.Kind.STAFF, is_staff=True, is_superuser=True)
    if not admin.is_superuser:
        admin.is_superuser = admin.is_staff = True
        admin.save()
    for username, name, role in STAFF:
        user = staff_login(username, name, role)
        if username == "grid":
            # 李强 walks every community of the demo: a welfare alert anywhere reaches him.
            for community in communities.values():
                community.grid_workers.add(user)
    codes = [code for code, *_rest in COMMUNITIES if code in communities]
    for i, name in enumerate(WORKERS, start=1):
        demo_user(f"worker{i}", name, User.Kind.WORKER, communities[codes[i % len(codes)]],
                  phone=f"+861380571{i:04d}", phone_verified=True)
    for i, name in enumerate(RESIDENTS, start=1):
        demo_user(f"resident{i}", name, User.Kind.RESIDENT, communities[codes[i % len(codes)]],
                  phone=f"+861390571{i:04d}", phone_verified=True)
    for username, name, company in BOSSES:
        boss = demo_user(username, name, User.Kind.ENTERPRISE, communities.get("xinqiao"))
        org, _ = Organisation.objects.get_or_create(name=company, defaults={
            "kind": Organisation.Kind.ENTERPRISE, "community": communities.get("xinqiao"),
            "address": "青石街道新桥北路 88 号", "status": Organisation.Status.VERIFIED,
            "verified_by": admin,
        })
        OrganisationMembership.objects.get_or_create(organisation=org, user=boss, defaults={"role": "admin"})
    stdout.write("  Members (same password): worker1..worker6, resident1..resident8, boss1, boss2")
