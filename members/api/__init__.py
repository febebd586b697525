"""/api/v3/members/, split as every plugin's API is: schemas.py (in and out), routes.py (the
operations, calling :mod:`members.services`)."""

from members.api.routes import router

__all__ = ["router"]
