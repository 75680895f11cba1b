def test_it_reports_ok_with_the_database_vendor(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["X-Request-ID"]


def test_it_echoes_a_well_formed_request_id_and_replaces_a_hostile_one(client, db):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"})["X-Request-ID"] == "abc-123"
    hostile = client.get("/healthz", headers={"X-Request-ID": "x\u202e<script>"})["X-Request-ID"]
    assert hostile != "x\u202e<script>" and len(hostile) == 32
