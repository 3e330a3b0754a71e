"""Every message is Dutch, the framework's own defaults too, for the API (JSON) and the site (a page)."""
import pytest

ENGELS = ("Not Found", "Method Not Allowed", "Bad Request", "There was an error", "Internal Server Error")


@pytest.mark.parametrize("method, url", [("GET", "/api/v1/bestaat-niet"), ("DELETE", "/api/v1/services"),
                                         ("PUT", "/api/v1/vraagwijzer"), ("GET", "/bestaat-niet"), ("PUT", "/zoeken")])
def test_framework_errors_are_dutch(client, method, url):
    r = client.request(method, url)
    assert r.status_code in (404, 405)
    assert not any(e in r.text for e in ENGELS), r.text[:300]
    if url.startswith("/api/"):
        assert r.json()["detail"].startswith(("Deze pagina", "Deze methode"))


def test_a_body_that_is_no_json_gets_a_dutch_422(client):
    r = client.post("/api/v1/vraagwijzer", content="{kapot", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert "klopt niet" in r.json()["detail"][0]["msg"]
