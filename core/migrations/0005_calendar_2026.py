"""The 2026 holiday arrangements as the State Council's General Office published them on
2025-11-04 (国务院办公厅关于2026年部分节假日安排的通知). 2027's had not been published when this
was written: it is not guessed here; staff enter it in the admin when it is (the admin warns
until they do)."""

import datetime

from django.db import migrations

SOURCE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"

#: (holiday, first day off, last day off, make-up working days)
ARRANGEMENTS_2026 = [
    ("元旦", (1, 1), (1, 3), [(1, 4)]),
    ("春节", (2, 15), (2, 23), [(2, 14), (2, 28)]),
    ("清明节", (4, 4), (4, 6), []),
    ("劳动节", (5, 1), (5, 5), [(5, 9)]),
    ("端午节", (6, 19), (6, 21), []),
    ("中秋节", (9, 25), (9, 27), []),
    ("国庆节", (10, 1), (10, 7), [(9, 20), (10, 10)]),
]


def seed(apps, schema_editor):
    CalendarDay = apps.get_model("core", "CalendarDay")
    for name, first, last, workdays in ARRANGEMENTS_2026:
        day, end = datetime.date(2026, *first), datetime.date(2026, *last)
        while day <= end:
            CalendarDay.objects.get_or_create(date=day, defaults={"kind": "holiday", "name": name, "source": SOURCE_2026})
            day += datetime.timedelta(days=1)
        for month_day in workdays:
            CalendarDay.objects.get_or_create(date=datetime.date(2026, *month_day),
                                              defaults={"kind": "workday", "name": name, "source": SOURCE_2026})


def unseed(apps, schema_editor):
    apps.get_model("core", "CalendarDay").objects.filter(source=SOURCE_2026).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0004_calendar_day")]
    operations = [migrations.RunPython(seed, unseed)]
