"""The public figures page (/impact/) with figures, communities and hidden small numbers, in
Chromium with axe-core at desktop and phone widths, text enlarged, and no sideways scrolling."""

import pytest
from django.utils import timezone
from wagtail.models import Site

import core.plugins
from core.models import ImpactSettings
from tests.browser import SKIP_WITHOUT_BROWSER, audit_pages
from tests.core.test_impact import PEOPLE, SECRET, SENT, send
from tests.factories import CommunityFactory, UserFactory

pytestmark = SKIP_WITHOUT_BROWSER


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_public_figures_page_is_accessible(live_server, browser, client, monkeypatch):
    monkeypatch.setattr(core.plugins, "all_figures", lambda: [SENT, PEOPLE, SECRET])
    for name, n in (("荷花社区", 14), ("青云社区", 2), ("柳树村", 7)):
        send(UserFactory(community=CommunityFactory(name=name)), timezone.now(), n)
    setting = ImpactSettings.for_site(Site.objects.get(is_default_site=True))
    setting.public_figures = ["test.sent", "test.people"]
    setting.save()
    problems = audit_pages(browser, live_server, client, ["/impact/"])
    assert not problems, "\n".join(problems)
