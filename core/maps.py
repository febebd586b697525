"""Drawn maps, shared by every plugin that has one (stations' rest stops, reports' public map):
which tile server (if any) draws the background, the Content-Security-Policy that lets its tiles
in, and what a page's map section needs.

Leaflet is served from this site's static files (``core/static/core/leaflet/``, Leaflet 1.9.4,
BSD-2, its LICENSE beside it) with ``core/static/core/map.js`` (the tiles, the fallback, the
icons, markers from a GeoJSON address); a plugin's own script only builds its popups. Only the
background tiles may come from elsewhere, and only when ``MAP_TILE_URL`` names a server
(``https://tiles.example.cn/{z}/{x}/{y}.png``, ``{s}`` for subdomains). Unset, the map draws its
markers on a plain background; a server that does not answer is noticed by the script, which
drops the tiles and says so. Either way the page's list has everything the map shows.

The settings were the stations plugin's, ``STATIONS_TILE_URL`` and its siblings; those names
still work when the new ones are unset.

A page draws a map with ``{% include "core/map_head.html" %}`` in its head and
``{% include "core/map.html" with map=... %}`` where the map goes, ``map`` being
:func:`map_context`; its view is wrapped in :func:`allow_tiles`.
"""

from functools import wraps
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

#: Coordinate systems a tile server may draw in: OpenStreetMap-style servers in WGS-84; AMap's and
#: Tencent's in GCJ-02, so the markers must be converted for them.
TILE_COORDS = ("wgs84", "gcj02")


def _setting(name, default=""):
    """``MAP_<name>``, else the stations plugin's old ``STATIONS_<name>``."""
    value = (getattr(settings, f"MAP_{name}", "") or "").strip()
    return value or (getattr(settings, f"STATIONS_{name}", "") or "").strip() or default


def tile_url() -> str:
    return _setting("TILE_URL")


def tile_attribution() -> str:
    return _setting("TILE_ATTRIBUTION")


def tile_coords() -> str:
    coords = _setting("TILE_COORDS", "wgs84").lower()
    if coords not in TILE_COORDS:
        raise ImproperlyConfigured(f"MAP_TILE_COORDS must be one of {', '.join(TILE_COORDS)}, not {coords!r}")
    return coords


def tile_origin(url: str | None = None) -> str | None:
    """The CSP source for the tile server's images: ``https://*.tile.example.org`` for a
    ``{s}.tile.example.org`` template, None when no server is set. A template the map library
    cannot draw from is a configuration error, said at start-up (``manage.py check``)."""
    url = tile_url() if url is None else url
    if not url:
        return None
    parts = urlsplit(url)
    for placeholder in ("{z}", "{x}", "{y}"):
        if placeholder not in url:
            raise ImproperlyConfigured(f"MAP_TILE_URL needs {placeholder} (e.g. https://host/{{z}}/{{x}}/{{y}}.png)")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured("MAP_TILE_URL must be an http(s) address with a host")
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if "{" in host or "}" in host or "@" in host:
        raise ImproperlyConfigured("MAP_TILE_URL: only a leading {s}. may vary in the host")
    return f"{parts.scheme}://{host}"


def csp_with_tiles() -> dict | None:
    """The site's policy with the tile server added to img-src, or None (the site's own policy
    is right: nothing but this origin)."""
    origin = tile_origin()
    if origin is None:
        return None
    policy = dict(settings.SECURE_CSP)
    policy["img-src"] = [*policy.get("img-src", []), origin]
    return policy


def allow_tiles(view):
    """Decorate a view whose page draws a map: its response lets the tile server's images in
    (Django 6's per-view CSP override), on that page only. Outside any page cache decorator, so a
    cached page gets the policy too."""
    from django.views.decorators.csp import csp_override

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        policy = csp_with_tiles()
        if policy is None:
            return response
        return csp_override(policy)(lambda _request: response)(request)

    return wrapped


def map_context(geojson_url, *, id, label, title, here="", centre="", partial_note="", heading_level=2,
                css_class="", notes=None, data=None) -> dict:
    """What ``core/map.html`` draws: the GeoJSON address the markers come from, the tile server,
    the reader's point and a first centre ("lat,lng" in the tiles' system, or ""), the section's
    id, the map's accessible name and heading, a note when it shows only part of the list, the
    texts for no tile server, tiles that failed and markers that failed (``notes``: ``plain``,
    ``tiles_failed``, ``load_failed``; general ones by default), and the plugin's own ``data-*``
    attributes for its popup script (``{"label-open": ...}``)."""
    texts = {
        "plain": _("This site has no map server set up, so the map is drawn on a plain background, without "
                   "streets. The list has everything it shows."),
        "tiles_failed": _("The map background could not be loaded (no connection to the map server), so the "
                          "map is drawn on a plain background. The list has everything it shows."),
        "load_failed": _("The map could not load its points. The list has them all."),
    }
    texts.update(notes or {})
    return {"geojson_url": geojson_url, "tile_url": tile_url(), "attribution": tile_attribution(), "id": id,
            "here": here, "centre": centre, "label": label, "title": title, "partial_note": partial_note,
            "heading_level": heading_level, "css_class": css_class, "notes": texts, "data": data or {}}


def check_settings(app_configs=None, **kwargs):
    """System check: a tile server the page could not use, or a coordinate system it does not know."""
    from django.core.checks import Error

    try:
        tile_origin()
        tile_coords()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="fengchao.E040")]
    return []
