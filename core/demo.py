"""Core's demo content: the street office's communities. ``manage.py seed_demo`` calls every
app's ``demo`` hook in INSTALLED_APPS order (core, members, home, then the plugins)."""

from core.models import Community, ImpactSettings

DEMO_PASSWORD = "Fengchao-2026!"  # noqa: S105 -- printed for the demo, documented in the README

COMMUNITIES = [
    ("hehua", "荷花社区", "community", "青石街道荷花路 18 号", "30.274180", "120.155070"),
    ("qingyun", "青云社区", "community", "青石街道青云街 66 号", "30.279310", "120.161420"),
    ("nanyuan", "南苑社区", "community", "青石街道南苑路 9 号", "30.266520", "120.150980"),
    ("xinqiao", "新桥社区", "community", "青石街道新桥北路 120 号", "30.285770", "120.170330"),
    ("liushu", "柳树村", "village", "青石街道柳树村村委会", "30.259040", "120.178610"),
    ("dongfang", "东方社区", "community", "青石街道东方大道 301 号", "30.271960", "120.184210"),
]


def seed(stdout):
    for code, name, kind, address, lat, lng in COMMUNITIES:
        Community.objects.update_or_create(code=code, defaults={
            "name": name, "kind": kind, "address": address, "latitude": lat, "longitude": lng})
    publish_demo_figures(stdout)


def publish_demo_figures(stdout):
    """The demo office publishes the figures that count things (meals, hours, stories), not the
    ones about distinct people or rates, unless it has chosen already (seeding again keeps it)."""
    from wagtail.models import Site

    from core.plugins import all_figures

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    setting = ImpactSettings.for_site(site)
    if setting.public_figures:
        return
    setting.public_figures = [f.key for f in all_figures() if f.may_be_public and f.additive and not f.rate]
    setting.save()
    stdout.write(f"  impact: {len(setting.public_figures)} figures public at /impact/\n")
