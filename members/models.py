from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import mask_phone
from members.phones import MemberPhoneField, e164_validator, normalize_phone

phone_validator = RegexValidator(r"^\+?\d{6,15}$", _("Enter a phone number of 6 to 15 digits."))


class User(AbstractUser):
    """A member or a staff user. Phone numbers are personal data: see ``masked_phone``."""

    class Kind(models.TextChoices):
        WORKER = "worker", _("Gig or delivery worker")
        RESIDENT = "resident", _("Resident")
        ENTERPRISE = "enterprise", _("Enterprise staff")
        STAFF = "staff", _("Office staff")

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = MemberPhoneField(
        _("phone"), max_length=20, unique=True, null=True, blank=True, validators=[e164_validator]
    )
    phone_verified = models.BooleanField(_("phone verified"), default=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.RESIDENT)
    community = models.ForeignKey(
        "core.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="members",
        verbose_name=_("community"),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @property
    def masked_phone(self):
        return mask_phone(self.phone)

    @property
    def wechat_openid(self):
        """The member's openid in the mini-program ("" without a mini-program sign-in): the
        notifier's address on the ``wechat`` channel (core.notify.recipient_for)."""
        from core.wechat_messages import openid_for

        return openid_for(self)

    def save(self, *args, **kwargs):
        self.phone = normalize_phone(self.phone) or None
        super().save(*args, **kwargs)


class Organisation(models.Model):
    """An enterprise, a canteen operator or a partner agency. Officers verify enterprises."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        CANTEEN_OPERATOR = "canteen_operator", _("Canteen operator")
        PARTNER = "partner", _("Partner agency")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ENTERPRISE)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True,
        validators=[RegexValidator(r"^[0-9A-HJ-NPQRTUWXY]{18}$", _("A credit code has 18 characters."))],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    community = models.ForeignKey(
        "core.Community", null=True, blank=True, on_delete=models.SET_NULL, related_name="organisations",
        verbose_name=_("community"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True, validators=[phone_validator])
    description = models.TextField(_("description"), blank=True)
    verified_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    members = models.ManyToManyField(User, through="OrganisationMembership", related_name="organisations")

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("verify_organisation", _("Can verify organisations"))]

    def __str__(self):
        return self.name


class OrganisationMembership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        STAFF = "staff", _("Staff")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organisation_memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="unique_org_member")]
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")

    def __str__(self):
        return f"{self.user} @ {self.organisation}"
