"""Open311 GeoReport v2 at /open311/v2/: discovery, services, service definitions, POST requests
(with an API key), tokens, requests and one request, as JSON or XML (the extension chooses).

The specification (wiki.open311.org/GeoReport_v2) fixes the field names, the formats and the
error shape: a list of ``{code, description}`` (``<errors><error>`` in XML) with the HTTP status
as the code. Only public categories are listed and only their reports are returned, with no
personal data and coordinates rounded as on the public list. Photos: the specification's
``media_url`` is a link to a file the client hosts; we neither fetch nor repeat it (a stranger's
original, EXIF and all, would be served under our name). A client may instead send the photo
itself as a multipart ``media`` file, which is re-encoded like every other photo.

Jurisdiction: one per server. ``OPEN311_JURISDICTION_ID`` names it (and the discovery document
repeats it); any call may send ``jurisdiction_id``, and one naming another jurisdiction is a 404
with the specification's error list. A call without it is served, as the specification asks of a
server with a single jurisdiction.
"""
