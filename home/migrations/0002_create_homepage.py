"""Replace Wagtail's welcome page with the Fengchao home page, as the site root."""

from django.db import migrations


def format_step(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rem = divmod(number, 36)
        out = digits[rem] + out
    return out.rjust(4, "0")


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Locale = apps.get_model("wagtailcore", "Locale")
    HomePage = apps.get_model("home", "HomePage")

    Page.objects.filter(id=2, slug="home", depth=2, content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="home")
    locale = Locale.objects.first() or Locale.objects.create(language_code="zh-hans")
    root = Page.objects.get(depth=1)
    last = Page.objects.filter(depth=2).order_by("-path").values_list("path", flat=True).first()
    step = int(last[-4:], 36) + 1 if last else 1
    path = root.path + format_step(step)
    home = HomePage.objects.create(
        title="首页", draft_title="首页", slug="home", content_type=content_type,
        path=path, depth=2, numchild=0, url_path="/home/", locale=locale,
        hero_title="蜂巢 · 街道服务", live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "port": 80, "root_page": home,
                                        "site_name": "蜂巢 Fengchao"},
    )


class Migration(migrations.Migration):
    dependencies = [("home", "0001_initial"), ("wagtailcore", "0001_initial")]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
