"""Create the staff groups. Their permissions are granted after migrate (core.signals), because on a
fresh database Permission rows only exist once Django's own post_migrate handler has run."""

from django.db import migrations

GROUPS = [
    "Editors", "Moderators", "Program staff", "Volunteer coordinators", "Gig-station officers",
    "Canteen staff", "Grid workers",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS, user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, remove_groups)]
