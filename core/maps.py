"""The drawn map on the stations page: which tile server (if any) draws the background, and the
Content-Security-Policy that lets its tiles in.

Leaflet is served from this site's static files (``static/stations/vendor/leaflet/``); only the
background tiles may come from elsewhere, and only when ``STATIONS_TILE_URL`` names a server
(``https://tiles.example.cn/{z}/{x}/{y}.png``, ``{s}`` for subdomains). Unset, the map draws the
stations on a plain background; a server that does not answer is noticed by the page's script,
which drops the tiles and says so. Either way the list under the map has every station.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

#: Coordinate systems a tile server may draw in: OpenStreetMap-style servers in WGS-84; AMap's and
#: Tencent's in GCJ-02, so the markers must be converted for them.
TILE_COORDS = ("wgs84", "gcj02")


def tile_url() -> str:
    return (getattr(settings, "STATIONS_TILE_URL", "") or "").strip()


def tile_attribution() -> str:
    return (getattr(settings, "STATIONS_TILE_ATTRIBUTION", "") or "").strip()


def tile_coords() -> str:
    coords = (getattr(settings, "STATIONS_TILE_COORDS", "") or "wgs84").strip().lower()
    if coords not in TILE_COORDS:
        raise ImproperlyConfigured(f"STATIONS_TILE_COORDS must be one of {', '.join(TILE_COORDS)}, not {coords!r}")
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
            raise ImproperlyConfigured(f"STATIONS_TILE_URL needs {placeholder} (e.g. https://host/{{z}}/{{x}}/{{y}}.png)")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured("STATIONS_TILE_URL must be an http(s) address with a host")
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if "{" in host or "}" in host or "@" in host:
        raise ImproperlyConfigured("STATIONS_TILE_URL: only a leading {s}. may vary in the host")
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


def check_settings(app_configs=None, **kwargs):
    """System check: a tile server the page could not use, or a coordinate system it does not know."""
    from django.core.checks import Error

    try:
        tile_origin()
        tile_coords()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="stations.E001")]
    return []
