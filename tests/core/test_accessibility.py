"""Structural accessibility checks on the public pages of every enabled plugin.

Not a substitute for axe-core in a browser, but it catches the common regressions without one:
a page language, one main heading, alt text on every image, a label for every form control.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from core.plugins import plugins


class Audit(HTMLParser):
    def __init__(self):
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.images_without_alt = []
        self.controls = []
        self.labels_for = set()
        self.open_labels = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "img" and "alt" not in a:
            self.images_without_alt.append(a.get("src"))
        elif tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.labels_for.add(a["for"])
        elif tag in {"input", "select", "textarea"}:
            if a.get("type") in {"hidden", "submit", "button", "image", "reset"}:
                return
            self.controls.append((a.get("id"), a.get("aria-label") or a.get("aria-labelledby"),
                                  self.open_labels > 0, a.get("name")))

    def handle_endtag(self, tag):
        if tag == "label":
            self.open_labels -= 1

    def unlabelled(self):
        return [name for id_, aria, wrapped, name in self.controls
                if not (aria or wrapped or (id_ and id_ in self.labels_for))]


def structure_problems(html):
    """What the structural audit finds wrong with a page: [] when it passes."""
    audit = Audit()
    audit.feed(html)
    problems = [] if audit.lang in {"zh-hans", "en"} else [f"lang={audit.lang!r}"]
    if audit.h1 != 1:
        problems.append(f"{audit.h1} h1 elements")
    problems += [f"image without alt: {src}" for src in audit.images_without_alt]
    problems += [f"unlabelled control: {name}" for name in audit.unlabelled()]
    return problems


def public_pages():
    urls = ["/", "/search/?q=驿站", "/accounts/login/", "/accounts/signup/", "/impact/"]
    for config in plugins():
        if config.main_url_name:
            urls.append(config.main_url_name)
    return urls


@pytest.mark.parametrize("target", public_pages())
def test_public_page_structure(client, db, target):
    url = target if target.startswith("/") else reverse(target)
    response = client.get(url)
    assert response.status_code == 200, url
    assert structure_problems(response.content.decode()) == [], url
