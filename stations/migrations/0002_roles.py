"""The staff groups this plugin declares (stations.apps.ROLES); their permissions are granted
after migrate by core.signals, once the Permission rows exist."""

from django.db import migrations

GROUPS = ("Station staff", "Party-work staff")


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [("stations", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
