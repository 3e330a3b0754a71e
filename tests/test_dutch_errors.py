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


def test_a_forged_host_is_refused_and_never_echoed(client):
    for url in ("/zoeken/", "/api/v1/services"):
        r = client.get(url, headers={"host": "evil.example"}, follow_redirects=False)
        assert r.status_code == 400
        assert "evil.example" not in r.text and "evil.example" not in r.headers.get("location", "")
        assert "Host" in r.text


def test_an_oversized_body_gets_a_dutch_413_and_is_not_read(client):
    groot = b"{" + b" " * 1_100_000 + b"}"
    r = client.post("/api/v1/vraagwijzer", content=groot, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "te groot" in r.json()["detail"]
    page = client.post("/vraagwijzer", content=b"gevaar=nee&" + b"x" * 1_100_000,
                       headers={"content-type": "application/x-www-form-urlencoded"})
    assert page.status_code == 413 and "112" in page.text  # the emergency numbers even on this page
