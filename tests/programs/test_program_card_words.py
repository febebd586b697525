"""The words on a program card mean what they say."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_program_card_names_the_next_session_not_the_next_page(client, make_program):
    program = make_program(places=[3, 3])
    body = client.get(program.get_parent().url).content.decode()
    assert program.title in body
    assert "下一场" in body and "下一页" not in body  # one page of programs: no "next page" anywhere
