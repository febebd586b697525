"""The certificate page, like the API, answers 404 for a draft or private program's id, as for an
unknown one (it redirected with "not completed", telling that the id exists)."""

import pytest
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def test_certificate_page_of_a_draft_or_private_program_is_404_like_an_unknown_id(client, make_program,
                                                                                   make_member):
    draft = make_program(places=[3], days=0)
    draft.unpublish()
    private = make_program(places=[3], days=0)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    public = make_program(places=[3], days=0)
    client.force_login(make_member())
    for program_id in (draft.pk, private.pk, 999999):
        assert client.get(f"/programs/{program_id}/certificate.pdf").status_code == 404, program_id
    # A published program the member has not completed: the page says so (a redirect with a message).
    assert client.get(f"/programs/{public.pk}/certificate.pdf").status_code == 302
