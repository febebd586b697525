"""Demo content for a fresh installation: ``manage.py seed_demo``. Safe to run again.

Calls every installed app's ``demo`` hook (``seed(stdout)``, a dotted path on its AppConfig) in
INSTALLED_APPS order: core's communities, members' people and the logins of the site's roles,
home's site and office details, then each enabled plugin's content and the login of its staff
role. Then rebuilds the search index and prints the logins, read back from the database so that every role's login is listed.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from core.demo import DEMO_PASSWORD
from core.plugins import PluginConfig
from core.roles import declared_roles


class Command(BaseCommand):
    help = "Load demo content (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        hooks = [(config, import_string(config.demo)) for config in apps.get_app_configs()
                 if getattr(config, "demo", None)]
        # The site's own content (core, members, home) commits as one; each plugin's demo runs
        # its services, which open their own transactions (and notify after commit).
        with transaction.atomic():
            for config, seed in hooks:
                if not isinstance(config, PluginConfig):
                    seed(self.stdout)
        for config, seed in hooks:
            if isinstance(config, PluginConfig):
                self.stdout.write(f"Demo content: {config.label}")
                seed(self.stdout)
        # Rebuild the search index (a few seconds): content saved before the segmenting
        # backend (core/search_backend.py), or by a plugin's bulk writes, is found like the rest.
        call_command("update_index", verbosity=0)
        base = settings.WAGTAILADMIN_BASE_URL
        self.stdout.write(self.style.SUCCESS("Demo ready."))
        self.stdout.write(f"  Admin: {base}/admin/  user: admin  password: {DEMO_PASSWORD}")
        self.stdout.write("  Staff (same password):")
        roles = declared_roles()
        staff = get_user_model().objects.filter(is_staff=True, is_superuser=False, groups__name__in=roles)
        for user in staff.order_by("pk").prefetch_related("groups").distinct():
            for group in user.groups.all():
                if group.name in roles:
                    self.stdout.write(f"    {user.get_username():<12} {roles[group.name].description}")
