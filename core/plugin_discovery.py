"""Finding plugins before Django starts.

Settings call :func:`plugin_apps` to build ``INSTALLED_APPS``, so this module must not import
anything from Django that needs configured settings.
"""

from importlib import import_module
from importlib.metadata import entry_points
from importlib.util import find_spec

ENTRY_POINT_GROUP = "fengchao.plugins"

#: Plugins that ship with Fengchao, in the order their menus should appear.
BUILTIN_PLUGINS = ("news", "programs", "volunteers", "canteen", "gigs", "stations", "reports")


class PluginNotFound(Exception):
    pass


def _builtin_available():
    return {name: name for name in BUILTIN_PLUGINS if find_spec(name) is not None}


def _entry_point_plugins():
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def plugin_apps(selection: str | None) -> list[str]:
    """Return the app modules to install for the ``FENGCHAO_PLUGINS`` value ``selection``.

    ``None`` (unset) means every built-in plugin plus every installed third-party plugin.
    ``"none"`` or an empty string means no plugin at all. Otherwise a comma list whose items are
    built-in names, entry-point names, or dotted module paths (handy for local plugins).
    """
    builtin = _builtin_available()
    third_party = _entry_point_plugins()
    if selection is None:
        return list(builtin.values()) + [m for m in third_party.values() if m not in builtin.values()]
    names = [n.strip() for n in selection.split(",") if n.strip() and n.strip().lower() != "none"]
    apps = []
    for name in names:
        module = builtin.get(name) or third_party.get(name)
        if module is None and "." in name and find_spec(name.rsplit(".", 1)[0]) is not None:
            module = name
        if module is None:
            known = ", ".join(sorted(set(builtin) | set(third_party))) or "none"
            raise PluginNotFound(
                f"FENGCHAO_PLUGINS names {name!r}, which is neither a built-in plugin, an installed "
                f"'{ENTRY_POINT_GROUP}' entry point nor an importable module. Known: {known}."
            )
        import_module(module.rsplit(".apps.", 1)[0] if ".apps." in module else module)
        if module not in apps:
            apps.append(module)
    return apps
