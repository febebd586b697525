def test_home_and_api_respond(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/api/v3/plugins/").status_code == 200


def test_anonymous_writes_are_throttled(client, db, settings):
    from django.core.cache import cache

    cache.clear()
    settings.FENGCHAO_ANON_WRITE_RATE = "3/m"
    codes = [client.post("/api/v3/members/organisations/", {"name": "x"}, content_type="application/json").status_code
             for _ in range(5)]
    assert codes == [401, 401, 401, 429, 429]
    # reads and logged-in writes are not affected
    assert client.get("/api/v3/plugins/").status_code == 200
