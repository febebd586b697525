"""/api/v3/programs/, split as Wagtail's own API is: schemas.py (in and out), routes.py (the
operations, thin: they ask :mod:`programs.queries` and call :mod:`programs.services`)."""

from programs.api.routes import router

__all__ = ["router"]
