"""After migrate: the staff roles every app declares become groups with their permissions."""

from django.apps import apps
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def create_roles(sender, using="default", **kwargs):
    # Once, after the last app has migrated: Django sends post_migrate per app config, and the
    # Permission rows of later apps do not exist before their turn.
    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender.label != with_models[-1].label:
        return
    # ``flush`` sends post_migrate too, without a migration plan. Creating the groups then would
    # clash with the serialized data a transactional test restores right after a flush (the
    # groups are in it, with their ids); the next ``migrate`` creates any group still missing.
    if kwargs.get("plan") is None:
        return
    from core.roles import sync_roles

    sync_roles(using=using)
