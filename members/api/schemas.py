"""What goes in and out of /api/v3/members/ (operations in :mod:`members.api.routes`)."""

from ninja import Field, Schema

from core.api import CommunityRef, choice_of
from members.models import Organisation, User


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    first_name: str
    last_name: str
    email: str
    phone: str | None
    phone_verified: bool
    kind: str
    community: CommunityRef | None
    is_staff: bool
    groups: list[str]
    date_joined: str

    @staticmethod
    def resolve_groups(obj):
        return sorted(g.name for g in obj.groups.all())

    @staticmethod
    def resolve_date_joined(obj):
        return obj.date_joined.isoformat()


class MeIn(Schema):
    """Only what is sent changes. Names and kind cannot be null (send "" to clear a name);
    ``community_id: null`` leaves the community."""

    display_name: str = Field(None, max_length=60)
    first_name: str = Field(None, max_length=150)
    last_name: str = Field(None, max_length=150)
    kind: choice_of(User.Kind) = None
    community_id: int | None = Field(None, ge=1)


class OrganisationOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    community_id: int | None
    address: str
    description: str
    verified_at: str | None

    @staticmethod
    def resolve_verified_at(obj):
        return obj.verified_at.isoformat() if obj.verified_at else None


class OrganisationIn(Schema):
    name: str = Field(..., min_length=2, max_length=120)
    kind: choice_of(Organisation.Kind) = Organisation.Kind.ENTERPRISE.value
    credit_code: str = Field("", max_length=18)
    address: str = Field("", max_length=200)
    contact_phone: str = Field("", max_length=20)
    description: str = Field("", max_length=2000)
    community_id: int | None = Field(None, ge=1)


class OrganisationFilter(Schema):
    status: choice_of(Organisation.Status) | None = None
    kind: choice_of(Organisation.Kind) | None = None
    q: str | None = Field(None, max_length=60)


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=200)


class WeChatCodeIn(Schema):
    """A code the mini-program got from WeChat (``wx.login()``, or ``getPhoneNumber``'s event)."""

    code: str = Field(..., min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_\-]+$")


class AuthUserOut(Schema):
    id: int
    display: str
    username: str | None = None
    email: str | None = None
    has_usable_password: bool


class AuthDataOut(Schema):
    user: AuthUserOut | None = None
    methods: list[dict] | None = None
    flows: list[dict] | None = None


class WeChatLoginMeta(Schema):
    is_authenticated: bool
    #: allauth's session token: send it as ``X-Session-Token``.
    session_token: str | None = None
    #: True until the member has bound a phone (POST /api/v3/members/wechat/phone/).
    phone_required: bool | None = None


class WeChatLoginOut(Schema):
    """allauth headless's app login answer (``/_allauth/app/v1/auth/login``), plus
    ``meta.phone_required``."""

    status: int
    data: AuthDataOut
    meta: WeChatLoginMeta


class PhoneBoundOut(Schema):
    phone: str
    phone_verified: bool
    phone_required: bool


class SubscriptionOut(Schema):
    template_id: str
    #: the kinds of notice sent with this template
    kinds: list[str]
    #: messages the member has allowed and not yet received
    remaining: int


class SubscriptionsOut(Schema):
    templates: list[SubscriptionOut]
    #: template ids posted that no notice is sent with (nothing recorded)
    ignored: list[str] = []


class SubscriptionsIn(Schema):
    """``wx.requestSubscribeMessage``'s success result as the mini-program got it:
    ``{"<template id>": "accept" | "reject" | "ban" | "filter", "errMsg": "requestSubscribeMessage:ok"}``."""

    results: dict[str, str] = Field(..., max_length=20)
