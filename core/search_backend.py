"""Wagtail's database search backend, with Chinese segmented on both sides (see core.search).

``WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search_backend"}}``. Like
``modelsearch.backends.database`` this picks the backend of the default database (SQLite FTS5,
PostgreSQL, or the plain fallback) and returns a subclass of it that

- indexes segmented text: the index is handed a read-only view of each object whose search
  fields (and those inside ``RelatedFields``) return :func:`core.search.index_text` of their
  value. The backend's own indexer, weights, title norms and upserts stay as Wagtail wrote them;
  only the words change. Every indexed model is covered without declaring anything: pages of
  every plugin, snippets, images, documents;
- segments the query (:func:`core.search.segment_query`) before the backend's compiler sees it,
  for ``search()`` and ``autocomplete()`` alike (the admin's page search is an autocomplete);
- searches a row's whole index entry when ``fields`` are given (admin viewsets'
  ``search_fields``), which the database backends could not match in Chinese, or at all.

After switching an existing database to this backend, rebuild the index once:
``manage.py update_index`` (``seed_demo`` does it for the demo).
"""

import copy
import functools

from django.utils.encoding import force_str
from modelsearch.index import AutocompleteField, RelatedFields, SearchField
from modelsearch.query import PlainText

from core import search as segmentation


def _flatten(value):
    # What the backends' ObjectIndexer.prepare_value does, so the text we segment is the text
    # they would have indexed.
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return ", ".join(_flatten(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(_flatten(item) for item in value.values())
    return force_str(value)


def _unwrap(obj):
    return obj._segmented_obj if isinstance(obj, _SegmentedObject) else obj


def _segmented_value(field, obj):
    return segmentation.index_text(_flatten(type(field).get_value(field, _unwrap(obj))))


def _related_value(field, obj):
    return type(field).get_value(field, _unwrap(obj))


def _wrap_field(field):
    if isinstance(field, SearchField | AutocompleteField):
        clone = copy.copy(field)
        clone.get_value = functools.partial(_segmented_value, field)
        return clone
    if isinstance(field, RelatedFields):
        clone = copy.copy(field)
        clone.fields = [_wrap_field(sub) for sub in field.fields]
        clone.get_value = functools.partial(_related_value, field)
        return clone
    return field  # FilterField: not text for the index


@functools.cache
def _segmented_fields(model):
    return tuple(_wrap_field(field) for field in model.get_search_fields())


class _SegmentedObject:
    """What the backend's indexer reads of an object: its primary key and its search fields,
    the fields returning segmented text."""

    __slots__ = ("_segmented_obj",)

    def __init__(self, obj):
        self._segmented_obj = obj

    @property
    def pk(self):
        return self._segmented_obj.pk

    def get_search_fields(self):
        return list(_segmented_fields(type(self._segmented_obj)))


class SegmentingIndexMixin:
    def add_items(self, model, objs):
        return super().add_items(model, [_SegmentedObject(obj) for obj in objs])


class SegmentingBackendMixin:
    def _search(self, query_compiler_class, query, model_or_queryset, **kwargs):
        if kwargs.get("fields"):
            # Admin viewsets pass their ``search_fields`` here. The database backends can only
            # match the index's own columns (SQLite: "no such column"; PostgreSQL: the raw,
            # unsegmented field, so Chinese words inside it are missed again), and refuse a
            # field the model does not index. Search the row's whole segmented index entry.
            kwargs["fields"] = None
        if isinstance(query, str):
            if not query.strip():
                return super()._search(query_compiler_class, query, model_or_queryset, **kwargs)
            query = PlainText(query, operator=kwargs.get("operator") or query_compiler_class.DEFAULT_OPERATOR)
        return super()._search(query_compiler_class, segmentation.segment_query(query),
                               model_or_queryset, **kwargs)


@functools.cache
def _segmenting_class(base):
    attrs = {"__module__": __name__, "__doc__": f"{base.__name__} with Chinese segmentation."}
    if getattr(base, "index_class", None) is not None and hasattr(base.index_class, "add_items"):
        attrs["index_class"] = type(f"Segmenting{base.index_class.__name__}",
                                    (SegmentingIndexMixin, base.index_class), {"__module__": __name__})
    return type(f"Segmenting{base.__name__}", (SegmentingBackendMixin, base), attrs)


def SearchBackend(params):  # noqa: N802 (the name modelsearch looks for)
    from modelsearch.backends import database

    vendor_backend = database.SearchBackend(params)
    return _segmenting_class(type(vendor_backend))(params)
