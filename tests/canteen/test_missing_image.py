"""A dish whose photo lost its file: slots and menus leave the photo out (null) and log it.

Before core.images, /api/v3/canteen/slots/<id>/, the slot list and the weekly menu answered 500."""

import logging

import pytest
from django.core.cache import cache

from tests.canteen.factories import TODAY
from tests.images import lose_file, make_image

pytestmark = pytest.mark.django_db


def test_a_missing_dish_photo_is_left_out_and_logged(client, canteen, slot, items, caplog):
    cache.clear()  # the slot's items are cached by id; another test's may be there
    dish = items["番茄炒蛋"].dish
    dish.photo = lose_file(make_image("番茄炒蛋照片"))
    dish.save()
    with caplog.at_level(logging.WARNING, logger="core.images"):
        answers = [client.get(f"/api/v3/canteen/slots/{slot.pk}/"),
                   client.get("/api/v3/canteen/slots/", {"date_from": TODAY.isoformat()}),
                   client.get(f"/api/v3/canteen/canteens/{canteen.pk}/menu/", {"week": slot.date.isoformat()})]
    for response in answers:
        assert response.status_code == 200, (response.request["PATH_INFO"], response.content[:300])
    photos = {item["name"]: item["photo"] for item in answers[0].json()["items"]}
    assert photos["番茄炒蛋"] is None
    assert any("is missing" in record.getMessage() for record in caplog.records)
    assert client.get(f"/canteen/{canteen.slug}/", {"week": TODAY.isoformat()}).status_code == 200
