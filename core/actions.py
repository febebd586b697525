"""Wagtail's create and edit actions for every non-page model, validating like the admin.

The v3 snippet API builds its form from the model's *writable* API fields only, so for a model
whose ``api_fields`` are read-only the body was ignored and an empty row saved:
``POST /api/v3/snippets/news.Section/`` made a section with no name and no slug, and the public
/news/ page answered 500 until it was deleted. The admin's form validates every field; these
actions run the model's own ``full_clean()`` too before saving (a ValidationError is a 422 in the
API), unless Wagtail saves a draft, where incomplete content is allowed.
"""

from wagtail.actions.create import CreateAction
from wagtail.actions.edit import EditAction


class ValidatingCreateAction(CreateAction):
    def _clean_instance(self):
        super()._clean_instance()
        if self.clean:
            self.instance.full_clean()


class ValidatingEditAction(EditAction):
    def _clean_instance(self):
        super()._clean_instance()
        if self.clean:
            self.instance.full_clean()


def register(registry):
    from django.db import models

    registry.register(models.Model, ValidatingCreateAction)
    registry.register(models.Model, ValidatingEditAction)
