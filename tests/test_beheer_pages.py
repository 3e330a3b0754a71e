"""The beheer pages (/beheer) through real HTTP on the seeded database: list and filters, preview, history, to-do."""
import re

import pytest
from sqlmodel import Session, select

from app.data.core import Wie, schrijf
from app.models import Melding, Service


@pytest.fixture
def staf(client, tokens):
    # A medewerker: every role may read beheer; changing is checked per organisation.
    client.headers.update(tokens["medewerker"])
    yield client
    del client.headers["authorization"]


def _namen(html: str) -> list[str]:
    return re.findall(r'<h2 class="result__title"><a href="/beheer/diensten/[^"]+/voorbeeld">(.*?)</a>', html)


@pytest.mark.parametrize("pad", ["/beheer", "/beheer/te-doen"])
def test_without_login_to_the_login(client, pad):
    client.cookies.clear()
    r = client.get(pad, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == f"/beheer/inloggen?terug={pad}"


def test_list_pages_and_filters(staf, session):
    r = staf.get("/beheer")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    totaal = int(re.search(r"(\d+) diensten gevonden", r.text).group(1))
    assert totaal == len(session.exec(select(Service).where(Service.verwijderd.is_(None))).all())
    assert len(_namen(r.text)) == min(totaal, 25)
    if totaal > 25:
        assert 'href="/beheer?pagina=2"' in r.text
        assert len(_namen(staf.get("/beheer?pagina=2").text)) == min(totaal - 25, 25)

    dienst = session.exec(select(Service).where(Service.verwijderd.is_(None)).order_by(Service.name)).first()
    r = staf.get("/beheer", params={"q": dienst.name.lower()})
    assert dienst.name in [n.replace("&#39;", "'").replace("&amp;", "&") for n in _namen(r.text)]
    r = staf.get("/beheer", params={"organisatie": dienst.organization_id})
    eigen = session.exec(select(Service.name).where(Service.organization_id == dienst.organization_id,
                                                     Service.verwijderd.is_(None))).all()
    assert f"{len(eigen)} dienst" in r.text
    assert "0 diensten gevonden" in staf.get("/beheer", params={"q": "zzgeenzoekwoordzz"}).text
    # Wijk and thema narrow, never widen
    for params in ({"wijk": "WK016405"}, {"thema": "geld"}, {"filter": "ongecontroleerd"}):
        n = int(re.search(r"(\d+) diensten? gevonden", staf.get("/beheer", params=params).text).group(1))
        assert n <= totaal


def test_deleted_and_reported_filters(app_on, rol_tokens):
    client, engine = app_on
    client.headers.update(rol_tokens(engine)["medewerker"])
    with Session(engine) as s:
        dienst = s.exec(select(Service).order_by(Service.name)).first()
        with schrijf(s, Wie("test"), versie_ophogen=False):
            s.add(Melding(service_id=dienst.id, organization_id=dienst.organization_id, wat="telefoon",
                          opmerking="Nummer <klopt> niet"))
        naam, dienst_id = dienst.name, dienst.id
    assert _namen(client.get("/beheer?filter=melding").text) == [naam.replace("'", "&#39;")]
    todo = client.get("/beheer/te-doen").text
    assert "Nummer &lt;klopt&gt; niet" in todo  # a resident's words are shown as text, never as HTML

    from app.data.core import verwijder
    with Session(engine) as s:
        verwijder(s, Wie("redacteur@wijkracht.nl"), "service", dienst_id)
    assert naam not in client.get("/beheer").text
    verwijderd = client.get("/beheer?filter=verwijderd").text
    assert "1 dienst gevonden" in verwijderd and "Verwijderd</span>" in verwijderd
    voorbeeld = client.get(f"/beheer/diensten/{dienst_id}/voorbeeld").text
    assert "Inwoners zien dit nu niet: het is verwijderd" in voorbeeld
    geschiedenis = client.get(f"/beheer/diensten/{dienst_id}/geschiedenis").text
    assert "Verwijderd door redacteur@wijkracht.nl" in geschiedenis
    rij = re.search(r"<th scope=\"row\">verwijderd</th><td>(.*?)</td><td>(.*?)</td>", geschiedenis)
    assert rij and rij.group(1) == "(leeg)" and rij.group(2).startswith("20")


def test_history_newest_first_field_by_field(app_on, rol_tokens):
    client, engine = app_on
    client.headers.update(rol_tokens(engine)["medewerker"])
    with Session(engine) as s:
        dienst = s.exec(select(Service).order_by(Service.name)).first()
        for nieuw in ("Eerste omschrijving", "Tweede omschrijving"):
            with schrijf(s, Wie("a@wijkracht.nl")) as w:
                voor = w.foto("service", dienst.id)
                dienst.description = nieuw
                s.add(dienst)
                w.vastleggen("gewijzigd", "service", dienst.id, voor)
        dienst_id = dienst.id
    r = client.get(f"/beheer/diensten/{dienst_id}/geschiedenis")
    assert r.status_code == 200
    assert r.text.index("<td>Eerste omschrijving</td><td>Tweede omschrijving</td>") < r.text.index(
        "<td>Eerste omschrijving</td>", r.text.index("Tweede omschrijving</td>") + 1)
    assert "last_modified" not in r.text
    assert "Tweede omschrijving" in client.get(f"/beheer/diensten/{dienst_id}/voorbeeld").text


def test_unknown_listing_is_a_dutch_404(staf):
    r = staf.get("/beheer/diensten/bestaat-niet/voorbeeld")
    assert r.status_code == 404 and "Deze pagina bestaat niet" in r.text
