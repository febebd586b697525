from core.plugins import PluginConfig


class NeedyPluginConfig(PluginConfig):
    name = "tests.needyplugin"
    label = "needyplugin"
    title = "Needs a plugin that is not there"
    requires = ("weather",)
