import pytest

from tests.factories import logged_in_client
from tests.gigs import factories


@pytest.fixture
def officer(db):
    return factories.officer()


@pytest.fixture
def officer_client(officer):
    return logged_in_client(officer)
