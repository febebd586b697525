import json

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the OpenAPI document of /api/v3/ (used by `make openapi` for the snapshot test)."

    def handle(self, *args, **options):
        from django.test import Client

        # Fetched exactly as a client sees it, so the snapshot test compares like with like.
        document = Client().get("/api/v3/openapi.json").json()
        self.stdout.write(json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False))
