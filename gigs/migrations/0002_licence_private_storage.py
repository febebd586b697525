"""Business licence photos move from public media (anyone with the address could fetch them) to
the private storage, which only gigs.views.licence serves; files already uploaded move with them."""

from django.db import migrations, models

import core.storage


class Migration(migrations.Migration):

    dependencies = [
        ('gigs', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='employer',
            name='licence',
            field=models.FileField(blank=True, storage=core.storage.private_storage, upload_to='gigs/licences/', verbose_name='business licence photo'),
        ),
        migrations.RunPython(core.storage.move_to_private("gigs", "Employer", "licence"), migrations.RunPython.noop),
    ]
