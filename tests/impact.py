"""Reading the office's dashboard (core.impact) as office staff see it, for the plugins' tests."""

import re
from html import unescape


def dashboard_value(client, key, month=None):
    """This month's value of figure ``key`` on /admin/impact/ (the text of its cell), loading the
    page as ``client``."""
    response = client.get("/admin/impact/" + (f"?month={month}" if month else ""))
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    match = re.search(r'<tr data-figure="%s">.*?<td class="impact-now">(.*?)</td>' % re.escape(key), body, re.S)
    assert match, f"{key} is not on the dashboard"
    return unescape(match.group(1)).strip()
