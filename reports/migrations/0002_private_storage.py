"""Report photos move to the private storage: until now they sat in public media, readable by
anyone who had the address, though the photo view checks who may see the report."""

import core.storage
import reports.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reportphoto",
            name="image",
            field=models.FileField(storage=core.storage.private_storage, upload_to=reports.models.photo_path),
        ),
        migrations.RunPython(core.storage.move_to_private("reports", "ReportPhoto", "image"),
                             migrations.RunPython.noop),
    ]
