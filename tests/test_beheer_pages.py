"""The beheer pages (/beheer) through real HTTP on the seeded database: list and filters, preview, history, to-do."""
import re

import pytest
from sqlmodel import Session, select

from app.data.core import Wie, schrijf
from app.data.meldingen import SOORTEN
from app.models import Audit, Melding, Organization, Service, zichtbare_dienst


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


def _formulier(html: str, melding_id: str) -> dict | None:
    """The report's "Afgehandeld" form on the to-do page: its action and its CSRF token, or None without one."""
    form = re.search(rf'<form action="(/beheer/meldingen/{melding_id}/afgehandeld)" method="post">\s*'
                     r'<input type="hidden" name="csrf" value="([^"]+)">', html)
    return {"action": form.group(1), "csrf": form.group(2)} if form else None


def test_a_redacteur_handles_a_report_of_their_organisation_on_the_to_do_page(app_on, beheer_login):
    client, engine = app_on
    with Session(engine) as s:
        dienst = s.exec(select(Service).where(zichtbare_dienst()).order_by(Service.name)).first()
        andere = s.exec(select(Organization.id).where(Organization.id != dienst.organization_id)).first()
        dienst_id, org = dienst.id, dienst.organization_id
    assert client.post("/api/v1/meldingen", json={"service_id": dienst_id, "soort": "tijden"}).status_code == 202
    with Session(engine) as s:
        melding_id = s.exec(select(Melding.id).where(Melding.service_id == dienst_id)).one()

    # Who reads but may not handle it sees the report with its label, and no button.
    for rol, orgs in (("medewerker", None), ("redacteur", [andere])):
        pagina = beheer_login(engine, rol, orgs).get("/beheer/te-doen").text
        assert _formulier(pagina, melding_id) is None, rol
    medewerker = beheer_login(engine, "medewerker").get("/beheer/te-doen").text
    assert f"{SOORTEN['tijden']}" in medewerker and ": tijden" not in medewerker

    ander = beheer_login(engine, "redacteur", [andere])
    csrf = re.search(r'name="csrf" value="([^"]+)"', ander.get("/beheer/te-doen").text).group(1)
    r = ander.post(f"/beheer/meldingen/{melding_id}/afgehandeld", data={"csrf": csrf})
    assert r.status_code == 403 and "niet afhandelen" in r.text

    redacteur = beheer_login(engine, "redacteur", [org])
    pagina = redacteur.get("/beheer/te-doen").text
    form = _formulier(pagina, melding_id)
    assert form and SOORTEN["tijden"] in pagina
    assert redacteur.post(form["action"], data={"csrf": "fout"}).status_code == 403
    assert redacteur.post("/beheer/meldingen/bestaat-niet/afgehandeld", data={"csrf": form["csrf"]}).status_code == 404
    with Session(engine) as s:
        assert s.get(Melding, melding_id).afgehandeld is None  # refused forms changed nothing

    r = redacteur.post(form["action"], data={"csrf": form["csrf"]}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/beheer/te-doen?gedaan=afgehandeld"
    terug = redacteur.get(r.headers["location"])
    assert "De melding is afgehandeld." in terug.text and _formulier(terug.text, melding_id) is None
    with Session(engine) as s:
        m = s.get(Melding, melding_id)
        assert m.afgehandeld is not None and m.afgehandeld_door.startswith("redacteur-")
        assert s.exec(select(Audit).where(Audit.object_id == melding_id, Audit.actie == "afgehandeld")).one()
