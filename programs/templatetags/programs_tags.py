"""What the programs templates show, asked for by the templates themselves.

The Wagtail pages (``ProgramIndexPage``, ``ProgramPage``) and the plugin's own ``/programs/``
view render the same templates; reading the data here, from :mod:`programs.queries`, keeps the
page models free of any import of views, and gives both one path.
"""

from types import SimpleNamespace

from django import template
from django.core.paginator import Paginator

from members.models import User
from programs import queries, services
from programs.forms import FilterForm

register = template.Library()

PAGE_SIZE = 12


@register.simple_tag(takes_context=True)
def program_listing(context):
    """The filtered, paginated listing for the reader's query string."""
    request = context["request"]
    form = FilterForm(request.GET or None)
    programs = queries.filter_programs(queries.program_queryset(), **form.filters())
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return SimpleNamespace(
        filter_form=form, programs_page=page, filter_query=query.urlencode(),
        is_program_staff=services.is_staff(request.user),
    )


@register.simple_tag(takes_context=True)
def program_for_reader(context, page):
    """A program page as this reader sees it: places left, their own registrations, whether
    they may download a certificate, and the staff links for program staff."""
    request = context["request"]
    program = queries.program_queryset().filter(pk=page.pk).first() or page
    mine = queries.active_registrations_by_session(request.user, program)
    certificate = any(r.status == r.Status.ATTENDED for r in mine.values()) and \
        queries.certificate_holder(request.user, program) is not None
    sessions = [{"session": s, "mine": mine.get(s.pk), "past": s.has_started()} for s in program.session_list]
    state = program.registration_state()
    # The first session this reader could still register for (or queue for): offered at the top
    # of the page, so "报名" is not screens down under the description.
    next_open = next((row for row in sessions if not row["past"] and not row["mine"] and state == "open"
                      and (row["session"].remaining or program.waitlist_enabled)), None)
    return SimpleNamespace(
        program=program, sessions=sessions, next_open=next_open,
        mine_count=sum(1 for row in sessions if row["mine"]),
        series_registration=mine.get(None), registration_state=state,
        certificate_available=certificate, remaining=program.remaining_places(),
        is_program_staff=services.is_staff(request.user),
        eligible_labels=[str(label) for value, label in User.Kind.choices if value in (program.eligible_kinds or [])],
    )
