from ninja import Router
from ninja.decorators import decorate_view

from core.api import public_auth
from core.cache import cached
from core.models import Community

router = Router(tags=["sampleplugin"])


@router.get("/ping/", auth=public_auth, operation_id="sampleplugin_ping")
def ping(request):
    return {"pong": True}


@router.get("/communities/", response=list[str], auth=public_auth, operation_id="sampleplugin_communities")
@decorate_view(cached("sampleplugin", everyone=True))
def communities(request):
    return list(Community.objects.order_by("name").values_list("name", flat=True))
