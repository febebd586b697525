"""Admin for program staff: registrations per session (search, filters, export) and the actions
check in, approve, promote from the waiting list and cancel -- each one a call into
:mod:`programs.services`, never a direct edit of status or seats."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import MenuItem

from core.audit import register_action
from core.errors import DomainError
from core.http import redirect_back
from programs import queries, services
from programs.models import Registration, Session


@hooks.register("register_log_actions")
def register_program_actions(actions):
    register_action(actions, "programs.register", _("Registered"), _("Registered for a program"))
    register_action(actions, "programs.on_behalf", _("Registered on behalf"), _("Registered someone else"))
    register_action(actions, "programs.cancel", _("Registration cancelled"), _("Cancelled a registration"))
    register_action(actions, "programs.promote", _("Promoted from waiting list"), _("Moved up from the waiting list"))
    register_action(actions, "programs.approve", _("Registration approved"), _("Approved a registration"))
    register_action(actions, "programs.check_in", _("Checked in"), _("Checked someone in"))
    register_action(actions, "programs.remove", _("Registration removed"),
                    _("Removed a registration and gave its seat back"))
    register_action(actions, "programs.session_seats", _("Session places"), _("Set the places of a session"))


# --- registrations -----------------------------------------------------------------------------

class RegistrationIndexView(generic.IndexView):
    def get_delete_url(self, instance):
        return None  # registrations are cancelled (seat freed, waiting list moved), not deleted

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not services.is_staff(self.request.user):
            return buttons
        actions = []
        if instance.can_check_in:
            actions.append(("check_in", _("Check in"), "tick"))
        if instance.can_be_approved:
            actions.append(("approve", _("Approve"), "tick-inverse"))
        if instance.can_be_promoted:
            actions.append(("promote", _("Promote from the waiting list"), "arrow-up"))
        if instance.is_cancellable:
            actions.append(("cancel", _("Cancel"), "cross"))
        for name, label, icon in actions:
            buttons.append(MenuItem(label, url=reverse(f"program_registrations:{name}", args=[instance.pk]),
                                    icon_name=icon, priority=5))
        return buttons

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("program", "session", "session__program", "member")

    def to_row_dict(self, item):
        """The export's phone column follows the attendance list's rule (queries.registrant_phone):
        anyone who may read registrations may export them, not everyone may see whole numbers."""
        row = super().to_row_dict(item)
        if "member.phone" in row:
            row["member.phone"] = queries.registrant_phone(self.request.user, item.member)
        return row


class RegistrationCreateForm(forms.ModelForm):
    """Staff registration by phone (creates an account for a caller who has none)."""

    phone = forms.RegexField(label=_("Phone"), regex=r"^\+?\d{6,15}$", max_length=20)
    display_name = forms.CharField(label=_("Name (for someone without an account)"), max_length=60, required=False)

    class Meta:
        model = Registration
        fields = ["session", "channel", "note"]

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.for_user = for_user
        self.fields["session"].required = True
        self.fields["session"].queryset = queries.bookable_sessions()
        self.fields["channel"].initial = Registration.Channel.PHONE

    def save(self, commit=True):
        return services.register_for_session(
            self.for_user, self.cleaned_data["session"], phone=self.cleaned_data["phone"],
            display_name=self.cleaned_data["display_name"], channel=self.cleaned_data["channel"], via="admin",
            note=self.cleaned_data["note"])


class RegistrationCreateView(generic.CreateView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["for_user"] = self.request.user
        return kwargs

    def save_instance(self):
        return self.form.save()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)

    def log_action(self, instance):  # services.register writes the audit entry
        return None


class RegistrationDeleteView(generic.DeleteView):
    """Only for superusers (program staff cancel instead): the seat goes back and the waiting
    list moves up, as after a cancellation, before the row goes."""

    def delete_action(self):
        with transaction.atomic():
            services.release_for_deletion(self.object.pk, actor=self.request.user, via="admin")
            super().delete_action()


class RegistrationViewSet(ModelViewSet):
    model = Registration
    icon = "group"
    menu_label = _("Registrations")
    menu_order = 100
    # Registrations reference nothing editors need in "usage" listings, and indexing them would
    # add half a dozen queries to every registration a member makes.
    add_to_reference_index = False
    index_view_class = RegistrationIndexView
    add_view_class = RegistrationCreateView
    delete_view_class = RegistrationDeleteView
    copy_view_enabled = False
    inspect_view_enabled = True
    list_display = ["member", "target_label", "status", "position", "channel", "created_at"]
    list_filter = ["status", "channel", "program", "session"]
    search_fields = ["member__display_name", "member__username", "member__phone", "program__title", "note"]
    list_export = ["member", "member.phone", "program", "session", "status", "position", "channel",
                   "registered_by", "created_at", "check_in_code"]
    export_headings = {"member.phone": _("Phone"), "check_in_code": _("Check-in code")}
    form_fields = ["note"]
    ordering = ["-created_at"]

    def get_form_class(self, for_update=False):
        if for_update:
            return super().get_form_class(for_update=True)
        return RegistrationCreateForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path(f"{name}/<int:pk>/", self.action_view(name), name=name)
            for name in ("check_in", "approve", "promote", "cancel")
        ]

    def action_view(self, name):
        viewset = self

        def view(request, pk):
            if not services.is_staff(request.user):
                raise PermissionDenied
            registration = get_object_or_404(Registration.objects.select_related("program", "session", "member"),
                                             pk=pk)
            sessions = registration.covered_sessions()
            if request.method == "POST":
                try:
                    if name == "check_in":
                        session = next((s for s in sessions if str(s.pk) == request.POST.get("session", "")), None)
                        if session is None:
                            raise DomainError("session_required", gettext("Choose one of the sessions this registration covers."))
                        _reg, created = services.check_in_registration(request.user, session, registration,
                                                                       via="admin")
                        text = gettext("%(who)s checked in.") if created else gettext("%(who)s was already checked in.")
                    elif name == "approve":
                        services.approve(request.user, pk, via="admin")
                        text = gettext("%(who)s's registration is confirmed.")
                    elif name == "promote":
                        services.promote(request.user, pk, via="admin")
                        text = gettext("%(who)s has moved up from the waiting list.")
                    else:
                        services.cancel(request.user, pk, via="admin", reason=request.POST.get("reason", ""))
                        text = gettext("%(who)s's registration is cancelled.")
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, text % {"who": registration.member})
                return redirect_back(request, viewset.get_url_name("index"))
            return TemplateResponse(request, "programs/admin/confirm_action.html", {
                "registration": registration, "action": name, "sessions": sessions,
                "title": {"check_in": _("Check in"), "approve": _("Approve"),
                          "promote": _("Promote from the waiting list"), "cancel": _("Cancel registration")}[name],
                "index_url": reverse(viewset.get_url_name("index")),
                "next": request.GET.get("next", ""),
            })

        view.__name__ = f"registration_{name}"
        return view


# --- sessions: places, and a way into each session's registrations -----------------------------

class SessionIndexView(generic.IndexView):
    """Sessions are added, ordered and removed on their program page, not here."""

    def get_add_url(self):
        return None

    def get_delete_url(self, instance):
        return None

    def get_reorder_url(self):
        return None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("program", "capacity")


class SessionEditView(generic.EditView):
    """Places changed here go through the service: seats resized, the waiting list moved up,
    fewer places than taken refused with a message, and the change audited."""

    def save_instance(self):
        # Instead of Wagtail's edit action, which would save and log the row without its seats.
        return services.save_session(self.request.user, self.form.instance, via="admin")

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except DomainError as exc:
            form.add_error("places", exc.message)
            return self.form_invalid(form)


class SessionViewSet(ModelViewSet):
    model = Session
    icon = "date"
    menu_label = _("Sessions")
    menu_order = 110
    add_to_reference_index = False
    index_view_class = SessionIndexView
    edit_view_class = SessionEditView
    add_view_enabled = False
    copy_view_enabled = False
    list_display = ["program", "start", "place_text", "places", "taken", "registrations_link"]
    list_filter = ["program"]
    search_fields = ["program__title", "place", "title"]
    list_export = ["program", "title", "start", "end", "place", "places", "taken"]
    form_fields = ["title", "start", "end", "place", "places"]
    ordering = ["start"]
    sort_order_field = None

    def get_urlpatterns(self):
        # Sessions are created and edited on their program page; this list only shows places.
        return [p for p in super().get_urlpatterns() if p.name in ("index", "index_results", "edit", "history",
                                                                      "history_results", "usage")]


class ProgramsAdminGroup(ViewSetGroup):
    menu_label = _("Programs")
    menu_icon = "calendar-alt"
    menu_order = 250
    items = (RegistrationViewSet("program_registrations"), SessionViewSet("program_sessions"))


@hooks.register("register_admin_viewset")
def register_programs_admin():
    return ProgramsAdminGroup()
