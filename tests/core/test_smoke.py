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


def test_too_large_a_page_is_refused_in_the_callers_language(member_client):
    too_many = {"limit": 51}
    for url in ["/api/v3/members/organisations/", "/api/v3/pages/"]:
        response = member_client.get(url, too_many)
        assert response.status_code == 400, url
    detail = member_client.get("/api/v3/members/organisations/", too_many).json()["detail"]
    assert detail == "每页最多 50 条（limit 不能大于 50）。"
    english = member_client.get("/api/v3/members/organisations/", too_many, headers={"Accept-Language": "en"})
    assert english.json()["detail"] == "limit cannot be higher than 50"
