"""Home's demo content: the home page's welcome, the default site and the office's details."""

from django.conf import settings
from wagtail.models import Site

from home.models import HomePage, OfficeSettings


def seed(stdout):
    home = HomePage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    if not (home and site):
        return
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
