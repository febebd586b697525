from ninja import Router

from core.api import public_auth

router = Router(tags=["sampleplugin"])


@router.get("/ping/", auth=public_auth, operation_id="sampleplugin_ping")
def ping(request):
    return {"pong": True}
