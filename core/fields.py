"""Model fields shared by plugins."""

from django.db import models


class TypedJSONField(models.JSONField):
    """A JSONField that says what it holds, for Wagtail's v3 page API schema.

    Wagtail types every JSONField as ``object | null``, so a list of member kinds was documented
    as an object and schema checks failed on every program page. ``api_type`` (e.g. ``list[str]``)
    is what the API documents and validates instead (core.openapi registers it). It is no
    database difference: migrations see a plain JSONField.
    """

    def __init__(self, *args, api_type=None, **kwargs):
        self.api_type = api_type
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.JSONField", args, kwargs
