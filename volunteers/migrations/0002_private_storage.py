"""Evidence photos move to the private storage: they were public media, readable by address."""

import core.storage
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("volunteers", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="hoursentry",
            name="evidence",
            field=models.ImageField(blank=True, storage=core.storage.private_storage, upload_to="volunteers/evidence/%Y/%m/", verbose_name="evidence photo"),
        ),
        migrations.RunPython(core.storage.move_to_private("volunteers", "HoursEntry", "evidence"),
                             migrations.RunPython.noop),
    ]
