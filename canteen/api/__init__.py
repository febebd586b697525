"""The canteen API, laid out as Wagtail's own: ``schemas.py`` (what goes in and out) apart from
``routes.py`` (the operations). ``router`` is what ``CanteenConfig.api_router`` mounts."""

from canteen.api.routes import router

__all__ = ["router"]
