"""A throwaway plugin used only by tests: proves discovery, mounting and the requirement check."""

from core.plugins import PluginConfig


class SamplePluginConfig(PluginConfig):
    name = "tests.sampleplugin"
    label = "sampleplugin"
    title = "Sample plugin"
    description = "Only for tests"
    api_router = "tests.sampleplugin.api.router"
    urls = "tests.sampleplugin.urls"
    main_url_name = "sampleplugin:index"
