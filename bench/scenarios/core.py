"""Core scenarios: the plugin listing and the capacity mechanism under a booking race.

The race posts to ``/bench/claim/race/`` (a view that exists only in bench.urls) with 200
concurrent clients for 50 places: exactly 50 must be confirmed, the rest get 409 "full", and no
request may fail with a 5xx.
"""

from bench.lib import race_http

RACERS = 200
PLACES = 50
KEY = "bench:race"

SCENARIOS = [
    ("core: communities", "/api/v3/communities/"),
]


def setup(stdout):
    from core import capacity

    capacity.define(KEY, PLACES)
    stdout.write(f"core: capacity {KEY} with {PLACES} places\n")


def capacity_race(base_url):
    from django.db import connection

    from core.models import Capacity

    Capacity.objects.filter(key=KEY).update(taken=0, total=PLACES)
    connection.close()
    figures = race_http([("POST", f"{base_url}/bench/claim/race/", None, {})] * RACERS)
    taken = Capacity.objects.get(key=KEY).taken
    connection.close()
    figures.update(
        name="core: capacity claim, 200 racers for 50 places",
        confirmed=figures["statuses"].get(200, 0),
        expected=PLACES,
        db_taken=taken,
        ok=figures["statuses"].get(200, 0) == PLACES == taken and figures["errors_5xx"] == 0,
    )
    return figures


RACES = [capacity_race]
