"""Once created the staff groups; roles are now declared by the apps that own them and created
after migrate (core.roles), so this migration only keeps its place in the graph."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = []
