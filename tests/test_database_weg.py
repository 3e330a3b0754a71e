"""A database that goes away: /healthz says 503, pages and the API answer a Dutch 503 (the page with the emergency
numbers), and everything works again when it is back, without a restart."""


def test_a_database_that_cannot_be_opened_gives_a_dutch_503_and_recovers(client, database_weg):
    with database_weg():
        health = client.get("/healthz")
        assert health.status_code == 503 and health.headers["retry-after"] == "60"
        api = client.get("/api/v1/services?search=schulden")
        assert api.status_code == 503 and "niet bereikbaar" in api.json()["detail"]
        page = client.get("/zoeken?q=schulden")
        assert page.status_code == 503 and "niet bereikbaar" in page.text
        assert "0800-0113" in page.text and "0800-2000" in page.text and 'href="tel:112"' in page.text
    assert client.get("/healthz").status_code == 200
    assert client.get("/zoeken?q=schulden").status_code == 200
