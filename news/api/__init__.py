"""/api/v3/news/, split as Wagtail's own API is: schemas.py (in and out), routes.py (the
operations, reading through :mod:`news.queries`)."""

from news.api.routes import router

__all__ = ["router"]
