"""Demo content for a fresh installation: ``manage.py seed_demo``. Safe to run again.

Creates the street office's communities, staff for every role, members of every kind, a demo
admin, the office settings, then calls each enabled plugin's ``demo`` hook.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string
from wagtail.models import Site

from core.models import Community
from core.plugins import plugins
from home.models import HomePage, OfficeSettings
from members import roles
from members.models import Organisation, OrganisationMembership, User

DEMO_PASSWORD = "Fengchao-2026!"  # noqa: S105 -- printed for the demo, documented in the README

COMMUNITIES = [
    ("hehua", "荷花社区", "community", "青石街道荷花路 18 号", "30.274180", "120.155070"),
    ("qingyun", "青云社区", "community", "青石街道青云街 66 号", "30.279310", "120.161420"),
    ("nanyuan", "南苑社区", "community", "青石街道南苑路 9 号", "30.266520", "120.150980"),
    ("xinqiao", "新桥社区", "community", "青石街道新桥北路 120 号", "30.285770", "120.170330"),
    ("liushu", "柳树村", "village", "青石街道柳树村村委会", "30.259040", "120.178610"),
    ("dongfang", "东方社区", "community", "青石街道东方大道 301 号", "30.271960", "120.184210"),
]

STAFF = [
    ("editor", "周晓雯", roles.EDITORS),
    ("moderator", "陈建国", roles.MODERATORS),
    ("programs", "刘芳", roles.PROGRAM_STAFF),
    ("coordinator", "王海燕", roles.VOLUNTEER_COORDINATORS),
    ("gigofficer", "赵磊", roles.GIG_STATION_OFFICERS),
    ("canteen", "孙桂兰", roles.CANTEEN_STAFF),
    ("grid", "李强", roles.GRID_WORKERS),
]

WORKERS = ["张伟", "王磊", "李明辉", "陈浩", "杨帆", "黄志强"]
RESIDENTS = ["郑秀英", "吴玉兰", "冯德明", "何淑珍", "许国华", "曹凤英", "邓建平", "彭丽娟"]
BOSSES = [("boss1", "马晓东", "青石同城配送有限公司"), ("boss2", "林静", "荷花家政服务有限公司")]


class Command(BaseCommand):
    help = "Load demo content (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            communities = self.seed_communities()
            self.seed_site()
            self.seed_people(communities)
        for config in plugins():
            if config.demo:
                self.stdout.write(f"Demo content: {config.label}")
                import_string(config.demo)(self.stdout)
        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"  Admin: {base}/admin/  user: admin  password: {DEMO_PASSWORD}")
        self.stdout.write(f"  Staff (same password): {', '.join(u for u, _, _ in STAFF)}")
        self.stdout.write("  Members (same password): worker1..worker6, resident1..resident8, boss1, boss2")

    def seed_communities(self):
        result = {}
        for code, name, kind, address, lat, lng in COMMUNITIES:
            result[code], _ = Community.objects.update_or_create(
                code=code, defaults={"name": name, "kind": kind, "address": address,
                                     "latitude": lat, "longitude": lng},
            )
        return result

    def seed_site(self):
        home = HomePage.objects.first()
        site = Site.objects.filter(is_default_site=True).first()
        if home and site:
            home.hero_title = "青石街道 · 蜂巢服务平台"
            home.hero_text = "公益课堂、志愿服务、零工驿站、社区食堂，一站办理。"
            home.save_revision().publish()
            host, _, port = settings.WAGTAILADMIN_BASE_URL.split("//", 1)[-1].partition(":")
            site.hostname = host or "localhost"
            site.port = int(port or 80)
            site.site_name = "青石街道"
            site.save()
            OfficeSettings.objects.update_or_create(site=site, defaults={
                "office_name": "青石街道办事处", "hotline": "0571-8650 2368",
                "address": "青石街道青石路 200 号", "opening_hours": "周一至周五 8:30-12:00，13:30-17:30",
                "footer_note": "蜂巢：街道的开放服务平台",
            })

    def _user(self, username, display_name, kind, community=None, **extra):
        user, created = User.objects.get_or_create(username=username, defaults={
            "display_name": display_name, "kind": kind, "community": community,
            "email": f"{username}@qingshi.example.cn", **extra,
        })
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def seed_people(self, communities):
        admin = self._user("admin", "系统管理员", User.Kind.STAFF, is_staff=True, is_superuser=True)
        if not admin.is_superuser:
            admin.is_superuser = admin.is_staff = True
            admin.save()
        for username, name, group in STAFF:
            user = self._user(username, name, User.Kind.STAFF, communities["hehua"], is_staff=True)
            user.groups.add(Group.objects.get(name=group))
        codes = list(communities)
        for i, name in enumerate(WORKERS, start=1):
            self._user(f"worker{i}", name, User.Kind.WORKER, communities[codes[i % len(codes)]],
                       phone=f"+861380571{i:04d}", phone_verified=True)
        for i, name in enumerate(RESIDENTS, start=1):
            self._user(f"resident{i}", name, User.Kind.RESIDENT, communities[codes[i % len(codes)]],
                       phone=f"+861390571{i:04d}", phone_verified=True)
        officer = User.objects.get(username="gigofficer")
        for username, name, company in BOSSES:
            boss = self._user(username, name, User.Kind.ENTERPRISE, communities["xinqiao"])
            org, _ = Organisation.objects.get_or_create(name=company, defaults={
                "kind": Organisation.Kind.ENTERPRISE, "community": communities["xinqiao"],
                "address": "青石街道新桥北路 88 号", "status": Organisation.Status.VERIFIED,
                "verified_by": officer,
            })
            OrganisationMembership.objects.get_or_create(organisation=org, user=boss,
                                                         defaults={"role": "admin"})
