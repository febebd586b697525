"""Chinese words that mean what the page means: one English word, two senses, two translations."""

import pytest
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext, pgettext

pytestmark = pytest.mark.django_db


def test_the_admin_says_pages_not_pagination():
    with translation.override("zh-hans"):
        assert gettext("Pages") == "页面"  # Wagtail's own word for its page tree
        assert pgettext("pagination", "Pages") == "页码"
        assert pgettext("pagination", "Next") == "下一页"


def test_deleting_an_account_is_not_called_logging_out(admin_user):
    client = Client()
    client.force_login(admin_user)
    body = client.get("/members/me/").content.decode()
    assert "删除我的账号" in body and "注销" not in body
