import functools
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.plugin_discovery import PluginNotFound, plugin_apps
from core.plugins import PluginConfig, plugins

ROOT = Path(__file__).resolve().parents[2]


def run_python(code, **env):
    """Run ``code`` in a fresh interpreter with the project's settings and extra environment."""
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test", **env}
    # The probe builds its own in-memory SQLite test database, so it never collides with the
    # database this test session is using (e.g. test_<name> on PostgreSQL).
    for name in ("FENGCHAO_PLUGINS", "DATABASE_URL", "REDIS_URL"):
        full_env.pop(name, None)
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=full_env,
        capture_output=True, text=True, timeout=120,
    )


PROBE = """
import django, json
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test.runner import DiscoverRunner
runner = DiscoverRunner(verbosity=0)
old = runner.setup_databases()
from django.test import Client
c = Client()
plugins = c.get("/api/v3/plugins/").json()
ping = c.get("/api/v3/sampleplugin/ping/")
page = c.get("/sampleplugin/")
schema = c.get("/api/v3/openapi.json").json()
from tests.factories import CommunityFactory
def communities():
    response = c.get("/api/v3/sampleplugin/communities/")
    return [response.status_code, response.get("X-Page-Cache"), response.json()]
listed = [communities(), communities()]
CommunityFactory(name="样板社区")
listed.append(communities())
from django.contrib.auth.models import Group
from tests.factories import UserFactory
warden = UserFactory(is_staff=True)
warden.groups.add(Group.objects.get(name="Sample wardens"))
grid = UserFactory(is_staff=True)
grid.groups.add(Group.objects.get(name="Grid workers"))
def perms(name):
    return sorted(f"{p.content_type.app_label}.{p.codename}"
                  for p in Group.objects.get(name=name).permissions.select_related("content_type"))
print(json.dumps({
    "groups": sorted(Group.objects.values_list("name", flat=True)),
    "warden_perms": perms("Sample wardens"),
    "grid_perms": perms("Grid workers"),
    "warden_may": [warden.has_perm("core.change_community"), warden.has_perm("core.delete_community")],
    "grid_may": grid.has_perm("core.view_notificationlog"),
    "labels": [p["label"] for p in plugins],
    "ping": [ping.status_code, ping.json() if ping.status_code == 200 else None],
    "page": [page.status_code, page.content.decode()],
    "in_schema": "/api/v3/sampleplugin/ping/" in schema["paths"],
    "communities": listed,
}))
runner.teardown_databases(old)
"""


@functools.cache
def sample_plugin_probe():
    """The probe's findings with only the throwaway plugin enabled (run once: it migrates)."""
    result = run_python(PROBE, FENGCHAO_PLUGINS="tests.sampleplugin")
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_plugins_endpoint_lists_the_enabled_plugins(client, db):
    response = client.get("/api/v3/plugins/")
    assert response.status_code == 200
    assert [p["label"] for p in response.json()] == [config.label for config in plugins()]
    for item in response.json():
        assert item["api"] in (None, f"/api/v3/{item['label']}/")


def test_none_selects_no_plugin_and_unknown_names_are_refused():
    assert plugin_apps("none") == []
    assert plugin_apps("") == []
    with pytest.raises(PluginNotFound, match="weather"):
        plugin_apps("weather")


def test_missing_required_plugin_is_named():
    class Needy(PluginConfig):
        name = "tests.needyplugin"
        label = "needy_in_process"
        requires = ("weather", "news")

    import tests.needyplugin as module

    config = Needy("tests.needyplugin", module)
    with pytest.raises(ImproperlyConfigured, match="weather"):
        config.check_requirements()


def test_plugin_by_dotted_path_is_mounted_in_api_pages_and_schema():
    data = sample_plugin_probe()
    assert data["labels"] == ["sampleplugin"]
    assert data["ping"] == [200, {"pong": True}]
    assert data["page"] == [200, "sample plugin page"]
    assert data["in_schema"] is True


def test_a_third_party_plugin_declares_what_makes_its_cache_stale():
    """The sample plugin's config names core.Community for its namespace and nothing else: core
    wired it, so a new community is listed on the very next request after two cached ones."""
    first, second, after = sample_plugin_probe()["communities"]
    assert first[:2] == [200, None] and second[:2] == [200, "hit"] and second[2] == first[2]
    assert after[:2] == [200, None] and "样板社区" in after[2] and "样板社区" not in first[2]


def test_a_role_a_third_party_plugin_declares_is_created_with_its_permissions():
    """The throwaway plugin alone (no built-in plugin): its own role exists after migrate and
    grants what it declares, it adds a permission to core's Grid workers, and the roles of
    plugins that are not installed do not exist."""
    data = sample_plugin_probe()
    assert data["groups"] == ["Editors", "Grid workers", "Moderators", "Office staff", "Sample wardens"]
    assert data["warden_perms"] == ["core.change_community", "core.view_community",
                                    "wagtailadmin.access_admin"]
    assert data["warden_may"] == [True, False]
    assert data["grid_perms"] == ["core.view_community", "core.view_notificationlog",
                                  "wagtailadmin.access_admin"]
    assert data["grid_may"] is True


def test_third_party_plugin_is_found_through_its_entry_point(tmp_path):
    dist = tmp_path / "fengchao_sample-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: fengchao-sample\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[fengchao.plugins]\nsample = tests.sampleplugin\n")
    code = "from core.plugin_discovery import plugin_apps; print(plugin_apps(None)); print(plugin_apps('sample'))"
    result = run_python(code, PYTHONPATH=str(tmp_path))
    assert result.returncode == 0, result.stderr
    all_apps, chosen = result.stdout.strip().splitlines()
    assert "tests.sampleplugin" in all_apps
    assert chosen == "['tests.sampleplugin']"


def test_start_up_fails_naming_the_missing_plugin():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test",
             "FENGCHAO_PLUGINS": "tests.needyplugin"},
    )
    assert result.returncode != 0
    assert "needyplugin" in result.stderr and "weather" in result.stderr
