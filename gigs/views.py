"""The gig station's pages for workers and employers without the app. Thin: reads from queries,
changes through services, refusals shown as the service's message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.errors import DomainError
from core.http import redirect_back
from core.storage import private_file_response
from gigs import queries, services
from gigs.forms import (
    EmployerForm,
    FlagForm,
    NeedFilterForm,
    NeedForm,
    ProfileForm,
    RatingForm,
    WorkForm,
)
from gigs.models import Application, Consultation, Employer, WorkerProfile, WorkRecord

PAGE_SIZE = 12


def _attempt(request, call, success):
    """Run a service call; show its refusal as a message. True when it went through."""
    try:
        call()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    messages.success(request, success)
    return True


# --- workers ---------------------------------------------------------------------------------------

@require_GET
def index(request):
    form = NeedFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    needs = queries.filter_needs(queries.public_needs(), category=filters.get("category") or None,
                                 community=filters.get("community") or None, q=filters.get("q") or None)
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "gigs/index.html", {
        "filter_form": form, "needs_page": page, "filter_query": query.urlencode(),
        "has_profile": request.user.is_authenticated and WorkerProfile.objects.filter(member=request.user).exists(),
        "employers": list(queries.employers_of(request.user)), "is_officer": queries.is_officer(request.user)})


@require_GET
def need_detail(request, need_id):
    need = queries.visible_need(request.user, need_id)
    if need is None:
        raise Http404
    profile = queries.profile_of(request.user)
    assessment = queries.why_not(profile, need) if profile else None
    mine = None
    if request.user.is_authenticated:
        mine = Application.objects.filter(need=need, worker=request.user, status__in=Application.ACTIVE).first()
    return render(request, "gigs/need.html", {
        "need": need, "assessment": assessment, "profile": profile, "mine": mine, "flag_form": FlagForm(),
        "manages": queries.may_manage_need(request.user, need), "accepting": need.is_accepting()})


@require_POST
def flag(request, need_id):
    form = FlagForm(request.POST)
    if form.is_valid():
        _attempt(request, lambda: services.flag_need(request.user, need_id, via="page", **form.cleaned_data),
                 _("Thank you. A gig-station officer will look at this need."))
    else:
        messages.error(request, _("Choose what is wrong with the need."))
    return redirect("gigs:need", need_id=need_id)


@login_required
@require_POST
def apply(request, need_id):
    if queries.profile_of(request.user) is None:
        messages.info(request, _("Fill in your worker profile first: it takes a minute."))
        return redirect(f"{reverse('gigs:profile')}?next={reverse('gigs:need', args=[need_id])}")
    if _attempt(request, lambda: services.apply(request.user, need_id, note=request.POST.get("note", ""), via="page"),
                _("You have applied. The employer will see your application; we will text you when they answer.")):
        return redirect("gigs:my_applications")
    return redirect("gigs:need", need_id=need_id)


@login_required
@require_GET
def recommended(request):
    profile = queries.profile_of(request.user)
    if profile is None:
        return redirect("gigs:profile")
    return render(request, "gigs/recommended.html", {"matches": queries.recommended_for(profile), "profile": profile})


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    instance = WorkerProfile.objects.filter(member=request.user).first() or WorkerProfile(member=request.user)
    form = ProfileForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        skills, communities, fields = form.service_fields()
        try:
            services.save_profile(request.user, skills=skills, communities=communities, via="page", **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your worker profile is saved."))
            return redirect_back(request, "gigs:recommended")
    return render(request, "gigs/profile.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
@require_GET
def my_applications(request):
    applications = list(queries.my_applications(request.user).prefetch_related("work_records", "ratings"))
    return render(request, "gigs/my_applications.html", {
        "applications": applications, "work_form": WorkForm(), "rating_form": RatingForm()})


@login_required
@require_POST
def withdraw(request, application_id):
    _attempt(request, lambda: services.withdraw(request.user, application_id, via="page"),
             _("Your application is withdrawn."))
    return redirect_back(request, "gigs:my_applications")


def _visible_application(request, application_id):
    application = queries.visible_application(request.user, application_id)
    if application is None:
        raise Http404
    return application


@login_required
@require_POST
def record_work(request, application_id):
    _visible_application(request, application_id)
    form = WorkForm(request.POST)
    if form.is_valid():
        _attempt(request, lambda: services.record_work(request.user, application_id, via="page", **form.cleaned_data),
                 _("Recorded. The other side is asked to confirm it."))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect_back(request, "gigs:my_applications")


def _visible_record(request, record_id):
    record = get_object_or_404(WorkRecord, pk=record_id)
    _visible_application(request, record.application_id)
    return record


@login_required
@require_POST
def confirm_work(request, record_id):
    _visible_record(request, record_id)
    _attempt(request, lambda: services.confirm_work(request.user, record_id, via="page"), _("Confirmed."))
    return redirect_back(request, "gigs:my_applications")


@login_required
@require_POST
def dispute_work(request, record_id):
    _visible_record(request, record_id)
    _attempt(request, lambda: services.dispute_work(request.user, record_id, reason=request.POST.get("reason", ""),
                                                    via="page"),
             _("Disputed. A gig-station officer will settle it."))
    return redirect_back(request, "gigs:my_applications")


@login_required
@require_POST
def rate(request, application_id):
    _visible_application(request, application_id)
    form = RatingForm(request.POST)
    if form.is_valid():
        _attempt(request, lambda: services.rate(request.user, application_id, via="page", **form.cleaned_data),
                 _("Thank you for your rating."))
    else:
        messages.error(request, _("Choose 1 to 5 stars."))
    return redirect_back(request, "gigs:my_applications")


# --- employers -------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def employer_apply(request):
    form = EmployerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        community = data.pop("community")
        try:
            services.apply_employer(request.user, community_id=community.pk if community else None, via="page", **data)
        except DomainError as exc:
            field = exc.extra.get("field")
            form.add_error(field if field in form.fields else None, exc.message)
        else:
            messages.success(request, _("Thank you. A gig-station officer will check your details, usually within a "
                                        "working day; we will text you."))
            return redirect("gigs:employer_home")
    return render(request, "gigs/employer_apply.html", {"form": form})


@require_GET
def licence(request, employer_id):
    """An employer's business licence photo, from the private storage, to officers and the
    enterprise's own staff; anyone else (signed in or not) gets a 404, as for an unknown employer."""
    employer = Employer.objects.select_related("organisation").filter(pk=employer_id).first()
    if employer is None or not employer.licence or not queries.may_see_licence(request.user, employer):
        raise Http404
    return private_file_response(employer.licence)


@login_required
@require_GET
def employer_home(request):
    employers = list(queries.employers_of(request.user))
    if not employers:
        return redirect("gigs:employer_apply")
    needs = list(queries.employer_needs(request.user))
    return render(request, "gigs/employer_home.html", {"employers": employers, "needs": needs})


def _employer_for(request, employer_id):
    employer = get_object_or_404(Employer, pk=employer_id)
    if not (queries.acts_for(request.user, employer) or queries.is_officer(request.user)):
        raise PermissionDenied
    return employer


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request, employer_id):
    employer = _employer_for(request, employer_id)
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        skills, fields = form.service_fields()
        try:
            need = services.create_need(request.user, employer, skills=skills, submit=employer.is_verified,
                                        via="page", **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your need is sent for review.") if employer.is_verified else
                             _("Your need is saved as a draft: it can be sent for review once you are verified."))
            return redirect("gigs:manage_need", need_id=need.pk)
    return render(request, "gigs/need_form.html", {"form": form, "employer": employer})


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request, need_id):
    need = queries.visible_need(request.user, need_id)
    if need is None or not queries.may_manage_need(request.user, need):
        raise Http404
    form = NeedForm(request.POST or None, instance=need)
    if request.method == "POST" and form.is_valid():
        skills, fields = form.service_fields()
        try:
            services.update_need(request.user, need_id, skills=skills, via="page", **fields)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("gigs:manage_need", need_id=need_id)
    return render(request, "gigs/need_form.html", {"form": form, "employer": need.employer, "need": need})


@login_required
@require_GET
def manage_need(request, need_id):
    need = queries.visible_need(request.user, need_id)
    if need is None or not queries.may_manage_need(request.user, need):
        raise Http404
    applications = list(queries.applications_for_need(need).prefetch_related("work_records"))
    live = need.is_accepting()
    return render(request, "gigs/manage_need.html", {
        "need": need, "applications": applications, "candidates": queries.candidates_for(need, limit=10) if live else [],
        "work_form": WorkForm(), "rating_form": RatingForm()})


@login_required
@require_POST
def need_action(request, need_id):
    need = queries.visible_need(request.user, need_id)
    if need is None or not queries.may_manage_need(request.user, need):
        raise Http404
    action = request.POST.get("action")
    if action == "submit":
        _attempt(request, lambda: services.submit_need(request.user, need_id, via="page"), _("Sent for review."))
    elif action == "close":
        _attempt(request, lambda: services.close_need(request.user, need_id, via="page"), _("The need is closed."))
    return redirect("gigs:manage_need", need_id=need_id)


@login_required
@require_POST
def move(request, application_id):
    application = _visible_application(request, application_id)
    to = request.POST.get("to", "")
    _attempt(request, lambda: services.move(request.user, application_id, to, reason=request.POST.get("reason", ""),
                                            via="page"),
             _("%(worker)s: %(status)s.") % {"worker": application.worker,
                                              "status": dict(Application.Status.choices).get(to, to)})
    return redirect_back(request, reverse("gigs:manage_need", args=[application.need_id]))


# --- guidance --------------------------------------------------------------------------------------

@require_GET
def guidance(request):
    mine = list(queries.my_consultations(request.user)[:20]) if request.user.is_authenticated else []
    return render(request, "gigs/guidance.html", {"slots": queries.upcoming_slots()[:40], "mine": mine})


@login_required
@require_POST
def book(request, slot_id):
    _attempt(request, lambda: services.book_consultation(request.user, slot_id, question=request.POST.get("question", ""),
                                                         via="page"),
             _("Booked. We will text you a reminder."))
    return redirect("gigs:guidance")


@login_required
@require_POST
def cancel_booking(request, booking_id):
    booking = get_object_or_404(Consultation, pk=booking_id, member=request.user)
    _attempt(request, lambda: services.cancel_consultation(request.user, booking.pk, via="page"), _("Cancelled."))
    return redirect("gigs:guidance")
