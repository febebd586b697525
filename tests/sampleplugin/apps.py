"""A throwaway plugin used only by tests: proves discovery, mounting, the requirement check and
that a third-party plugin brings its own staff role (and adds to one of core's) and declares
what makes its cache stale."""

from core.plugins import PluginConfig, Role


class SamplePluginConfig(PluginConfig):
    name = "tests.sampleplugin"
    label = "sampleplugin"
    title = "Sample plugin"
    description = "Only for tests"
    api_router = "tests.sampleplugin.api.router"
    urls = "tests.sampleplugin.urls"
    main_url_name = "sampleplugin:index"
    # A third-party plugin's cache: its community list (api.py) is stale when a community changes.
    cache_invalidation = {"sampleplugin": ("core.Community",)}
    roles = (
        Role("Sample wardens", "Only for tests: look after the sample plugin",
             ("wagtailadmin.access_admin", "core.view_community", "core.change_community")),
        Role("Grid workers", permissions=("core.view_notificationlog",)),
    )
