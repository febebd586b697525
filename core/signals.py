"""Grant staff groups the permissions that apps declare, once their Permission rows exist.

Groups themselves are created by a data migration (members/migrations); permissions are only
created by Django's own post_migrate handler on a fresh database, so they are granted here.
"""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver


def declared_group_permissions():
    from members.roles import CORE_GROUP_PERMISSIONS

    merged = {name: list(perms) for name, perms in CORE_GROUP_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for group, perms in getattr(config, "group_permissions", {}).items():
            merged.setdefault(group, []).extend(perms)
    return merged


@receiver(post_migrate)
def grant_group_permissions(sender, using="default", **kwargs):
    # Run once, after the last app has migrated: Django sends post_migrate per app config.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    from django.contrib.auth.models import Group, Permission

    for group_name, codes in declared_group_permissions().items():
        # Groups come from members' data migration. Creating them here would clash with tests
        # that restore serialized data after a flush (post_migrate runs on flush too).
        group = Group.objects.using(using).filter(name=group_name).first()
        if group is None:
            continue
        wanted = []
        for code in codes:
            app_label, codename = code.split(".", 1)
            perm = Permission.objects.using(using).filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if perm:
                wanted.append(perm)
        group.permissions.add(*wanted)
