"""The members API, mounted at /api/v3/members/: a member's own profile, export and deletion,
organisations, and signing in from the WeChat mini-program. Schemas are in
:mod:`members.api.schemas`."""

from django.db.models import Q
from ninja import Query, Router, Status
from ninja.pagination import paginate

from core import wechat_messages
from core.api import Pagination, Problem, member_auth
from members import services, wechat
from members.api.schemas import (
    MeIn,
    MeOut,
    OrganisationFilter,
    OrganisationIn,
    OrganisationOut,
    PhoneBoundOut,
    ReviewIn,
    SubscriptionsIn,
    SubscriptionsOut,
    WeChatCodeIn,
    WeChatLoginOut,
)
from members.models import Organisation

router = Router(tags=["members"], auth=member_auth)


@router.get("/me/", response=MeOut, operation_id="members_me", summary="My profile")
def me(request):
    return request.user


@router.patch("/me/", response=MeOut, operation_id="members_me_update", summary="Update my profile")
def update_me(request, data: MeIn):
    return services.update_profile(request.user, data.model_dump(exclude_unset=True))


@router.get("/me/export/", response=dict, operation_id="members_me_export", summary="Export my data")
def export_me(request):
    return services.export_data(request.user)


@router.delete("/me/", response={204: None}, operation_id="members_me_delete", summary="Delete my account")
def delete_me(request, confirm: bool = False):
    services.delete_account(request.user, confirm=confirm)
    return Status(204, None)


@router.get("/organisations/", response=list[OrganisationOut], operation_id="organisations_list",
            summary="Organisations: mine, or all for gig-station officers")
@paginate(Pagination)
def list_organisations(request, filters: OrganisationFilter = Query(...)):
    user = request.user
    queryset = Organisation.objects.all()
    if not (user.is_superuser or user.has_perm("members.view_organisation")):
        queryset = queryset.filter(memberships__user=user)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.q:
        queryset = queryset.filter(Q(name__icontains=filters.q) | Q(address__icontains=filters.q))
    return queryset.order_by("name")


@router.post("/organisations/", response={201: OrganisationOut}, operation_id="organisations_create",
             summary="Register an organisation (waits for verification)")
def create_organisation(request, data: OrganisationIn):
    return Status(201, services.register_organisation(request.user, **data.model_dump()))


@router.post("/organisations/{org_id}/review/", response=OrganisationOut,
             operation_id="organisations_review", summary="Verify or reject an organisation (officers)")
def review_organisation(request, org_id: int, data: ReviewIn):
    return services.review_organisation(request.user, org_id, approve=data.approve, reason=data.reason)


@router.post("/wechat/login/", auth=None, response={200: WeChatLoginOut, 401: WeChatLoginOut,
             400: Problem, 403: Problem, 404: Problem, 410: WeChatLoginOut, 429: Problem, 503: Problem},
             operation_id="members_wechat_login", summary="Sign in from the WeChat mini-program")
def wechat_login(request, data: WeChatCodeIn):
    """Send ``wx.login()``'s code. The answer is allauth's app login answer: ``meta.session_token``
    goes in ``X-Session-Token`` on every later request; ``meta.phone_required`` says the member
    has no verified phone yet (bind one with ``getPhoneNumber``, below). The first sign-in of a
    WeChat user creates their account."""
    return wechat.sign_in(request, data.code)


@router.post("/wechat/phone/", response={200: PhoneBoundOut, 400: Problem, 404: Problem, 409: Problem,
             429: Problem, 503: Problem}, operation_id="members_wechat_phone",
             summary="Bind the phone WeChat verified (getPhoneNumber)")
def wechat_phone(request, data: WeChatCodeIn):
    """Send the ``code`` of the ``getPhoneNumber`` button's event. A number already bound to
    another account is refused (409, ``code: phone_taken``) and nothing changes."""
    member = wechat.bind_phone(request.user, data.code)
    return {"phone": member.phone, "phone_verified": member.phone_verified,
            "phone_required": wechat.phone_required(member)}


@router.get("/wechat/subscriptions/", response=SubscriptionsOut, operation_id="members_wechat_subscriptions",
            summary="Subscription message templates, and how many of each I allowed")
def wechat_subscriptions(request):
    """The template ids to ask for with ``wx.requestSubscribeMessage`` (the ones notices are
    sent with), and how many messages of each the member has allowed and not yet received."""
    return {"templates": wechat_messages.subscribable_templates(request.user), "ignored": []}


@router.post("/wechat/subscriptions/", response=SubscriptionsOut,
             operation_id="members_wechat_subscriptions_accept",
             summary="Record what I accepted in wx.requestSubscribeMessage")
def wechat_subscriptions_accept(request, data: SubscriptionsIn):
    """Post ``wx.requestSubscribeMessage``'s result after the member chose: each ``accept``
    allows one message of that template (a one-time subscription is used by one message)."""
    templates, ignored = wechat_messages.record_acceptance(request.user, data.results)
    return {"templates": templates, "ignored": ignored}
