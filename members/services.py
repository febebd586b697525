"""Every change to members and organisations goes through here (API, pages and admin alike)."""

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core import audit
from core.errors import DomainError, NotAllowed
from core.notify import notify
from members.models import Organisation, OrganisationMembership, User


class MemberError(DomainError):
    messages = {
        "already_member": _("You already belong to this organisation."),
        "not_pending": _("This organisation is not waiting for verification."),
        "confirm_required": _("Confirm the deletion by sending confirm=true."),
        "staff_account": _("Staff accounts are closed by an administrator, not through the API."),
        "unknown_community": _("There is no such community."),
    }


def _check_community(community_id):
    from core.models import Community

    if community_id is not None and not Community.objects.filter(pk=community_id).exists():
        raise MemberError("unknown_community", status=404)


PROFILE_FIELDS = ("display_name", "first_name", "last_name", "kind", "community_id")


def update_profile(user: User, changes: dict, *, via="api") -> User:
    changed = {k: v for k, v in changes.items() if k in PROFILE_FIELDS and getattr(user, k) != v}
    if changes.get("kind") == User.Kind.STAFF and user.kind != User.Kind.STAFF:
        raise NotAllowed(_("Only administrators make someone office staff."))
    if "community_id" in changed:
        _check_community(changed["community_id"])
    if not changed:
        return user
    with transaction.atomic():
        for field, value in changed.items():
            setattr(user, field, value)
        try:
            user.full_clean(exclude=[f.name for f in User._meta.concrete_fields
                                     if f.attname not in changed and f.name not in changed])
        except ValidationError as exc:
            raise MemberError("invalid_profile", "；".join(
                " ".join(errors) for errors in exc.message_dict.values()), status=422) from exc
        user.save()
        audit.record(user, "fengchao.profile_change", actor=user, via=via,
                         data={"fields": sorted(changed)})
    return user


def export_data(user: User) -> dict:
    """Everything Fengchao holds about ``user``, for the member to download."""
    data = {
        "profile": {
            "username": user.username, "display_name": user.display_name, "email": user.email,
            "phone": user.phone, "phone_verified": user.phone_verified, "kind": user.kind,
            "community": user.community.name if user.community else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "organisations": [
            {"name": m.organisation.name, "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in user.organisation_memberships.select_related("organisation")
        ],
        "notifications": [
            {"channel": n.channel, "subject": n.subject, "body": n.body, "sent_at": n.created_at.isoformat()}
            for n in user.notifications.all()[:500]
        ],
        # The WeChat accounts the member signs in with (openid per app, unionid): theirs to see.
        "wechat_accounts": [
            {"openid": a.uid, "unionid": a.extra_data.get("unionid"), "appid": a.extra_data.get("appid"),
             "since": a.date_joined.isoformat()}
            for a in user.socialaccount_set.filter(provider="weixin").order_by("pk")
        ],
    }
    for config in apps.get_app_configs():
        path = getattr(config, "member_export", None)
        if path:
            data[config.label] = import_string(path)(user)
    return data


def delete_account(user: User, *, confirm: bool, via="api"):
    if not confirm:
        raise MemberError("confirm_required", status=422)
    if user.is_staff or user.is_superuser:
        raise MemberError("staff_account", status=403)
    with transaction.atomic():
        audit.record(user, "fengchao.account_delete", actor=None, via=via, data={"user_id": user.pk})
        user.delete()


def register_organisation(user: User, *, name, kind, credit_code="", address="", contact_phone="",
                          description="", community_id=None, via="api") -> Organisation:
    """A member asks for an organisation to be registered; it waits for an officer's verification."""
    _check_community(community_id)
    with transaction.atomic():
        org = Organisation(
            name=name, kind=kind, credit_code=credit_code, address=address, contact_phone=contact_phone,
            description=description, community_id=community_id,
        )
        org.full_clean()
        org.save()
        OrganisationMembership.objects.create(organisation=org, user=user, role=OrganisationMembership.Role.ADMIN)
        audit.record(org, "wagtail.create", actor=user, via=via)
    return org


def review_organisation(officer: User, org_id: int, *, approve: bool, reason="", via="api") -> Organisation:
    """An officer verifies or rejects a pending organisation. Locks the row; twice is refused."""
    if not (officer.is_superuser or officer.has_perm("members.verify_organisation")):
        raise NotAllowed(_("Only gig-station officers verify organisations."))
    with transaction.atomic():
        org = get_object_or_404(Organisation.objects.select_for_update(), pk=org_id)
        if org.status != Organisation.Status.PENDING:
            raise MemberError("not_pending")
        org.status = Organisation.Status.VERIFIED if approve else Organisation.Status.REJECTED
        org.verified_by = officer
        org.verified_at = timezone.now()
        org.rejection_reason = "" if approve else reason
        org.save()
        audit.record(org, "fengchao.status_change", actor=officer, via=via,
                     data={"status": org.status, "reason": reason})
        admins = [m.user for m in org.memberships.select_related("user").filter(role="admin")]
        kind, params = (("members.organisation_verified", {"name": org.name}) if approve
                        else ("members.organisation_rejected", {"name": org.name, "reason": reason}))
        for admin in admins:
            notify(admin, kind=kind, params=params, channels=("sms", "email"))
    return org


__all__ = ["update_profile", "export_data", "delete_account",
           "register_organisation", "review_organisation"]
