"""Who holds a staff role: one answer for services, pages, the API and the admin.

Lives apart from ``core.api`` so that services (the write path) and queries (the read path) can ask
it without importing the API layer.
"""


def has_role(user, group_name: str) -> bool:
    """True when ``user`` is a superuser or belongs to the staff group ``group_name``.

    Reads ``user.groups.all()`` rather than filtering, so a prefetched user costs no query.
    """
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(group.name == group_name for group in user.groups.all())
