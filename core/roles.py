"""Staff roles: what every app declares (``roles`` on its AppConfig, see core.plugins.Role), made
into Django groups with their permissions after migrate.

Core keeps only the site's own roles. Editors and Moderators edit and publish Wagtail pages (any
Wagtail site has them: Wagtail's initial data creates both groups, and the home page is theirs,
news or no news); grid workers (网格员) are the communities' own staff, whom more than one plugin
calls on (canteen tells them about a drop nobody answered). A plugin's staff role lives in the
plugin.

Groups are created here, after the last app migrated, not by a data migration: on a fresh
database Permission rows only exist once Django's own post_migrate handler has run, and a role a
plugin brings must appear when the plugin is added, whatever migrations ran before. Creation is
by name (get_or_create), so running it again, or after a test flush whose serialized data already
holds the groups, changes nothing; permissions are only ever added, so what an administrator
granted since (Settings → Groups) survives a deploy.
"""

from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from core.plugins import Role

EDITORS = "Editors"
MODERATORS = "Moderators"
GRID_WORKERS = "Grid workers"
OFFICE_STAFF = "Office staff"

_ADMIN = ("wagtailadmin.access_admin",)
_IMAGES = ("wagtailimages.add_image", "wagtailimages.change_image", "wagtailimages.choose_image")

CORE_ROLES = (
    Role(EDITORS, _("Editors: write pages and stories and submit them for review"), _ADMIN + _IMAGES),
    Role(MODERATORS, _("Moderators: review and publish pages and stories"), _ADMIN + _IMAGES),
    Role(GRID_WORKERS, _("Grid workers: the community's own staff, who follow up what residents "
                         "and services report"), _ADMIN + ("core.view_community",)),
    # The street office's own staff who report its work upward: every plugin's figures, their
    # exports and the monthly sheet, and the choice of what the public sees.
    Role(OFFICE_STAFF, _("Office staff: the office's live figures, their exports and the monthly "
                         "sheet; choose which figures are public"),
         _ADMIN + ("core.view_figures", "core.change_impactsettings", "core.view_community")),
)


def declarations():
    """Every (app label, Role) that the installed apps declare, in INSTALLED_APPS order."""
    return [(config.label, role) for config in apps.get_app_configs()
            for role in getattr(config, "roles", ())]


def declared_roles() -> dict[str, Role]:
    """One Role per group name: the owner's description, the union of every declaration's
    permissions (in declaration order)."""
    merged: dict[str, Role] = {}
    for _label, role in declarations():
        seen = merged.get(role.name)
        perms = tuple(dict.fromkeys((seen.permissions if seen else ()) + tuple(role.permissions)))
        description = role.description or (seen.description if seen else "")
        merged[role.name] = Role(role.name, description, perms)
    return merged


def _known_permissions(app_label):
    """The permission codenames the models of ``app_label`` define (defaults and Meta.permissions),
    known without the database."""
    config = apps.get_app_config(app_label)
    codes = set()
    for model in config.get_models(include_auto_created=True):
        opts = model._meta
        codes.update(f"{action}_{opts.model_name}" for action in opts.default_permissions)
        codes.update(codename for codename, _name in opts.permissions)
    return codes


def problems():
    """What is wrong with the declared roles, as messages (empty when all is well)."""
    errors = []
    installed = {config.label for config in apps.get_app_configs()}
    owners: dict[str, list[str]] = {}
    for label, role in declarations():
        if not isinstance(role, Role):
            errors.append(f"{label}: roles must be core.plugins.Role instances, not {role!r}")
            continue
        if role.description:
            owners.setdefault(role.name, []).append(label)
    for label, role in declarations():
        if not isinstance(role, Role):
            continue
        if role.name not in owners:
            errors.append(f"{label}: adds permissions to the role {role.name!r}, which no installed "
                          "app declares with a description (is the app that owns it enabled?)")
        for code in role.permissions:
            app_label, _dot, codename = code.partition(".")
            if not codename:
                errors.append(f"{label}: permission {code!r} of role {role.name!r} is not "
                              "'app_label.codename'")
            elif app_label not in installed:
                errors.append(f"{label}: role {role.name!r} grants {code!r}, but no app "
                              f"{app_label!r} is installed")
            elif codename not in _known_permissions(app_label):
                errors.append(f"{label}: role {role.name!r} grants {code!r}, which app "
                              f"{app_label!r} does not define")
    for name, labels in owners.items():
        if len(labels) > 1:
            errors.append(f"the role {name!r} is declared with a description by {', '.join(labels)}: "
                          "one app owns a role, the others add permissions without a description")
    for config in apps.get_app_configs():
        if getattr(config, "group_permissions", None):
            errors.append(f"{config.label}: group_permissions is gone; declare "
                          "roles = (core.plugins.Role(name, description, permissions), ...)")
    return errors


@checks.register(checks.Tags.models)
def check_roles(app_configs=None, **kwargs):
    return [checks.Error(message, id="fengchao.E010") for message in problems()]


def sync_roles(using="default"):
    """Create every declared role's group and grant it its permissions (only ever adding)."""
    from django.contrib.auth.models import Group, Permission

    wrong = problems()
    if wrong:
        raise ImproperlyConfigured("; ".join(wrong))
    for role in declared_roles().values():
        group, _created = Group.objects.using(using).get_or_create(name=role.name)
        wanted = []
        for code in role.permissions:
            app_label, codename = code.split(".", 1)
            perm = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename).first()
            if perm is None:
                # Checked against the models above, so the row is missing from this database:
                # say so rather than hand out a role that silently lacks it.
                raise ImproperlyConfigured(
                    f"role {role.name!r}: permission {code!r} has no row in the database "
                    "(did Django's post_migrate handler run?)")
            wanted.append(perm)
        group.permissions.add(*wanted)
