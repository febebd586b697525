"""/api/v3/gigs/, split as Wagtail's own API is: schemas.py (in and out), routes.py (the
operations, thin: they ask :mod:`gigs.queries` and call :mod:`gigs.services`)."""

from gigs.api.routes import router

__all__ = ["router"]
