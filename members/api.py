from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from core.api import CommunityRef, Pagination, choice_of, member_auth
from members import services
from members.models import Organisation, User

router = Router(tags=["members"], auth=member_auth)


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


class ReviewIn(Schema):
    approve: bool
    reason: str = Field("", max_length=200)


@router.post("/organisations/{org_id}/review/", response=OrganisationOut,
             operation_id="organisations_review", summary="Verify or reject an organisation (officers)")
def review_organisation(request, org_id: int, data: ReviewIn):
    return services.review_organisation(request.user, org_id, approve=data.approve, reason=data.reason)
