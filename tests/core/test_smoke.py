def test_home_and_api_respond(client, db):
    assert client.get("/").status_code == 200
    assert client.get("/api/v3/plugins/").status_code == 200
