"""Template helpers that only read (the rules live in queries and models)."""

from django import template

from volunteers import queries
from volunteers.models import star_level

register = template.Library()


@register.simple_tag
def upcoming_shifts(opportunity):
    return queries.upcoming_shifts(opportunity)


@register.simple_tag
def places_left(shifts):
    return sum(s.remaining for s in shifts)


@register.filter
def stars(minutes):
    return "★" * star_level(minutes or 0)


@register.filter
def hours(minutes):
    return f"{(minutes or 0) / 60:.1f}"
