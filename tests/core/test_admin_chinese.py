"""Issue 10 item 5: what Wagtail 8's zh_Hans leaves in English in the admin the street office
uses every day (the scheduling dialog, autosave, keyboard shortcuts, content metrics), translated
in the project's catalogues: Python and template strings in locale/zh_Hans, the admin's
JavaScript strings in core/locale/zh_Hans (served at /admin/jsi18n/)."""

import pytest
from wagtail.models import Page

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    client.cookies["django_language"] = "zh-hans"
    return client


def test_the_page_editor_schedule_dialog_and_autosave_read_chinese(admin_client):
    page = Page.objects.filter(depth=2).first()
    html = admin_client.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for english in ("Choose when this page should go live and/or expire", "Autosave is paused",
                    "Show keyboard shortcuts", "Content metrics", "Reading time", "View latest version"):
        assert english not in html, english
    assert "选择本页面上线和/或下线的时间" in html and "自动保存已暂停" in html


def test_the_admin_javascript_strings_read_chinese(admin_client):
    script = admin_client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "\\u6b63\\u5728\\u81ea\\u52a8\\u4fdd\\u5b58" in script or "正在自动保存" in script  # Autosave in progress…
    assert "修改已自动保存" in script or "\\u4fee\\u6539\\u5df2\\u81ea\\u52a8\\u4fdd\\u5b58" in script
    # Wagtail's own translations are still there.
    assert '"Cancel"' in script or "Cancel" in script
