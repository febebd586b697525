import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.plugins import coming_up, member_home
from members import services
from members.forms import DeleteAccountForm, ProfileForm
from members.models import User


@login_required
def home(request):
    """The member home "我的": what is coming up for me in every enabled plugin, soonest first,
    each plugin's own list, and my account. Where members land after logging in."""
    sections = member_home(request.user)
    return render(request, "members/home.html", {"sections": sections, "coming_up": coming_up(sections)})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    # The form gets its own copy of the account: validating a ModelForm writes the new values onto
    # its instance, and update_profile compares against request.user to see what changed.
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_profile(request.user, {
                "display_name": form.cleaned_data["display_name"],
                "kind": form.cleaned_data["kind"],
                "community_id": form.cleaned_data["community"].pk if form.cleaned_data["community"] else None,
            }, via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:profile")
    return render(request, "members/profile.html", {"form": form})


@login_required
def export(request):
    data = services.export_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="fengchao-my-data.json"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def delete(request):
    form = DeleteAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        try:
            services.delete_account(user, confirm=True, via="page")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted."))
            return redirect("/")
    return render(request, "members/delete.html", {"form": form})
