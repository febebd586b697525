"""Issue 10 item 5: in English, dates follow the English format. Templates name a format
(core.formats, FORMAT_MODULE_PATH per language) instead of spelling 年/月/日."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.plugins import plugin_labels

TEMPLATE = Template('{% load fc_dates %}{{ d|local_date:"DAY_TIME_FORMAT" }} · {{ d|date:"MONTH_DAY_FORMAT" }} · '
                    '{{ d|local_date:"FULL_DAY_FORMAT" }}')
MOMENT = datetime.datetime(2030, 6, 4, 11, 30)


def render(language):
    with translation.override(language):
        return TEMPLATE.render(Context({"d": MOMENT}))


def test_named_formats_follow_the_language():
    assert render("en") == "Tuesday 4 June, 11:30 · 4 June · Tuesday 4 June 2030"
    chinese = render("zh-hans")
    weekday = chinese.split(" ")[1]  # 周二 or 星期二, as the catalogue says
    # No leading zero on the month (Django's own zh_Hans MONTH_DAY_FORMAT writes 06月4日).
    assert chinese == f"6月4日 {weekday} 11:30 · 6月4日 · 2030年6月4日 {weekday}"


def test_no_template_spells_a_chinese_date_format():
    pattern = re.compile(r"""\|date:["'][^"']*[年月日]""")
    offenders = []
    for path in Path(settings.BASE_DIR).glob("*/templates/**/*.html"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}")
    assert offenders == []


@pytest.mark.skipif("canteen" not in plugin_labels(), reason="the canteen plugin is not enabled")
def test_the_canteen_menu_reads_english_dates_in_english(client, db):
    from tests.canteen.conftest import TODAY, make_canteen, make_slot

    canteen = make_canteen()
    make_slot(canteen)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).content.decode()
    assert "Tuesday 4 June" in page and "Menu for the week of 3 June" in page
    assert "6月4日" not in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "6月4日" in client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).content.decode()
