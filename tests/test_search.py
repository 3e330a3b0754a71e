"""app.search.search on the real seeded database: words, synonyms, typos, filters, distance, open now."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from app import geo, text
from app.data.core import SYSTEEM, schrijf
from app.models import (
    Attribute,
    Location,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from app.search import Query, search
from app.seed import seed

TZ = ZoneInfo("Europe/Amsterdam")
MONDAY_1030 = datetime(2025, 3, 3, 10, 30, tzinfo=TZ)
SLANGENBEEK_7559 = (52.2936, 6.8072)  # PC4 point of 7559, where Wijkcentrum Slangenbeek is placed
ENDED = {"warme-winter-woonkamer-bibliotheek"}  # "In de winter van 2022 was ..."
ALWAYS_OPEN = {"Alarmnummer 112", "113 Zelfmoordpreventie", "Veilig Thuis Twente", "De Luisterlijn"}


def names(session: Session) -> dict[str, str]:
    return {s.id: s.name for s in session.exec(select(Service))}


def hit_names(session: Session, result) -> list[str]:
    by_id = names(session)
    return [by_id[h.service_id] for h in result.hits]


def active_ids(session: Session) -> set[str]:
    """Active listings whose period has not ended: what residents can find."""
    return {s.id for s in session.exec(select(Service).where(Service.status == "active"))
            if s.slug not in ENDED}


def ids_with_term(session: Session, taxonomy: str, code: str) -> set[str]:
    rows = session.exec(
        select(Attribute.link_id)
        .join(TaxonomyTerm, TaxonomyTerm.id == Attribute.taxonomy_term_id)
        .join(Taxonomy, Taxonomy.id == TaxonomyTerm.taxonomy_id)
        .where(Taxonomy.name == taxonomy, TaxonomyTerm.code == code)
    )
    return set(rows) & active_ids(session)


def locations_of(session: Session) -> dict[str, list[Location]]:
    out: dict[str, list[Location]] = {}
    for sal, loc in session.exec(select(ServiceAtLocation, Location).join(Location)):
        out.setdefault(sal.service_id, []).append(loc)
    return out


# --- words -----------------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["bibliotheek", "cafe", "wijkcentrum"])
def test_word_in_the_name_ranks_above_word_only_in_the_description(session, word):
    result = search(session, Query(q=word))
    found = hit_names(session, result)
    in_name = [text.fold(n).find(word) >= 0 for n in found]
    assert any(in_name) and not all(in_name), found
    # Every listing with the word in its name comes before every listing without it.
    assert in_name == sorted(in_name, reverse=True), found
    scores = [h.score for h in result.hits]
    assert scores == sorted(scores, reverse=True)
    assert min(h.score for h, n in zip(result.hits, in_name, strict=False) if n) > max(
        h.score for h, n in zip(result.hits, in_name, strict=False) if not n
    )


def test_bibliotheek_finds_the_speel_o_theek_through_its_description_but_last(session):
    found = hit_names(session, search(session, Query(q="bibliotheek")))
    assert found[-1] == "Speel-o-theek De Wissel (Kulturhus Hasselo)"
    assert "Bibliotheek Hengelo Stad" in found[:5]


def test_synonym_finds_services_of_the_theme(session):
    result = search(session, Query(q="deurwaarder"))
    assert result.themas_herkend == ["schulden"]
    schulden = ids_with_term(session, "thema", "schulden")
    assert schulden, "the seed has services with thema schulden"
    # No listing says "deurwaarder": everything found is found through the theme, and all of the theme is found.
    assert {h.service_id for h in result.hits} == schulden
    assert all(h.score > 0 for h in result.hits)


def test_filler_words_do_not_change_the_search(session):
    plain = search(session, Query(q="schulden"))
    sentence = search(session, Query(q="Ik zoek hulp bij mijn schulden"))
    assert [h.service_id for h in sentence.hits] == [h.service_id for h in plain.hits]
    assert sentence.hits


def test_typo_is_corrected_and_recorded(session):
    result = search(session, Query(q="eenzaamheit"))
    assert result.verbeterd == {"eenzaamheit": "eenzaamheid"}
    assert "eenzaamheid" in result.themas_herkend
    found = hit_names(session, result)
    assert found[0] == "Bezoekdienst tegen eenzaamheid (Hulpdienst Hengelo)"
    assert {h.service_id for h in result.hits} >= ids_with_term(session, "thema", "eenzaamheid")


def test_correct_spelling_records_no_correction(session):
    result = search(session, Query(q="eenzaamheid"))
    assert result.verbeterd == {}
    assert hit_names(session, result)[0] == "Bezoekdienst tegen eenzaamheid (Hulpdienst Hengelo)"


@pytest.mark.parametrize("q", ["cafe", "café", "CAFÉ", "Cafe"])
def test_diacritics_and_case_do_not_matter(session, q):
    found = hit_names(session, search(session, Query(q=q)))
    assert "Repair Café Hengelo" in found[:2]
    assert "Alzheimer Café Hengelo" in found[:2]


def test_no_results_gives_suggestions_that_do_find_something(session):
    result = search(session, Query(q="xqzwvbl"))
    assert result.hits == []
    assert result.suggesties
    assert len(result.suggesties) <= 4
    for suggestion in result.suggesties:
        assert search(session, Query(q=suggestion)).hits, suggestion


def test_suggestions_only_when_nothing_is_found(session):
    assert search(session, Query(q="schulden")).suggesties == []


def test_empty_query_lists_every_active_service_in_name_order(session):
    result = search(session, Query())
    assert {h.service_id for h in result.hits} == active_ids(session)
    found = hit_names(session, result)
    assert found == sorted(found)
    assert result.themas_herkend == [] and result.verbeterd == {} and result.suggesties == []


# --- filters ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["verslaving", "schulden", "taal"])
def test_thema_filter(session, code):
    result = search(session, Query(themas=(code,)))
    assert {h.service_id for h in result.hits} == ids_with_term(session, "thema", code)


def test_thema_filter_takes_any_of_several(session):
    result = search(session, Query(themas=("verslaving", "vervoer")))
    expected = ids_with_term(session, "thema", "verslaving") | ids_with_term(session, "thema", "vervoer")
    assert {h.service_id for h in result.hits} == expected


def test_laag_filter(session):
    result = search(session, Query(laag=("spoed",)))
    assert {h.service_id for h in result.hits} == ids_with_term(session, "laag", "spoed")
    assert "Alarmnummer 112" in hit_names(session, result)


def test_wijk_filter_keeps_the_wijk_and_what_serves_all_of_hengelo(session):
    wijk = "WK016408"  # Slangenbeek
    result = search(session, Query(wijk=wijk))
    expected = {sid for sid, locs in locations_of(session).items() if any(l.wijk_code == wijk for l in locs)}
    in_wijk = {h.service_id for h in result.hits if h.bereik is None}
    assert in_wijk == expected & active_ids(session)
    assert "Wijkcentrum Slangenbeek" in hit_names(session, result)
    locs = {l.id: l for l in session.exec(select(Location))}
    assert all(locs[h.location_id].wijk_code == wijk for h in result.hits if h.bereik is None)
    # The others have no place in any wijk: by phone or online, or for all of Hengelo.
    others = [h for h in result.hits if h.bereik is not None]
    assert others and all(not locs[h.location_id].wijk_code for h in others)
    by_name = dict(zip(hit_names(session, result), result.hits, strict=True))
    assert by_name["Team BudgetAlert (schuldhulp gemeente)"].bereik == "telefonisch of online"
    assert by_name["Caritas Parochie De Goede Herder"].bereik == "heel Hengelo"
    assert "Wijkcentrum De Sterrentuin" not in by_name  # unplaced, but a wijk's centre: not citywide


def test_buitengebied_with_schulden_finds_the_citywide_debt_help(client):
    found = [s["name"] for s in client.get("/api/v1/services", params={
        "search": "schulden", "wijk": "WK016409"}).json()["contents"]]
    assert "Team BudgetAlert (schuldhulp gemeente)" in found[:3], found
    page = client.get("/zoeken", params={"q": "schulden", "wijk": "buitengebied"})
    assert page.status_code == 200
    assert "Team BudgetAlert" in page.text and "Telefonisch of online" in page.text and "Heel Hengelo" in page.text


def test_text_and_filters_combine(session):
    result = search(session, Query(q="koffie", themas=("geld",)))
    geld = ids_with_term(session, "thema", "geld")
    assert result.hits
    assert {h.service_id for h in result.hits} <= geld
    assert hit_names(session, result)[0] == "Repair Café Hengelo"  # "koffie" in its description
    assert search(session, Query(q="koffie", laag=("spoed",))).hits == []


# --- ended periods ---------------------------------------------------------------------------


def test_a_listing_whose_period_ended_is_hidden(session, client):
    assert all("Warme Winter" not in n for n in hit_names(session, search(session, Query(q="winter woonkamer"))))
    assert all("Warme Winter" not in n for n in hit_names(session, search(session, Query())))
    api = client.get("/api/v1/services", params={"search": "warme winter woonkamer"}).json()
    assert all("Warme Winter" not in s["name"] for s in api["contents"])
    assert "Warme Winter" not in client.get("/zoeken", params={"q": "koffie"}).text
    # The winter opvang's period ("in de winter, van begin oktober tot eind april") has no year: it keeps running.
    assert "Winteropvang voor daklozen (in Enschede)" in hit_names(session, search(session, Query(q="winteropvang")))


def test_the_period_of_a_listing_comes_from_its_schedules_or_a_dated_season():
    from datetime import date, time

    from app.listings import einde
    from app.models import Schedule

    svc = Service(slug="x", name="Zomerschool", description="In de zomer van 2025 elke week.")
    assert einde(svc, []) == date(2025, 12, 31)
    assert einde(Service(slug="y", name="Winterhulp", description="De winter van 2022."), []) == date(2023, 3, 31)
    plain = Service(slug="z", name="Inloop", description="Elke week open.")
    assert einde(plain, []) is None
    weekly = [Schedule(freq="WEEKLY", byday="MO", opens_at=time(9), closes_at=time(12), valid_to=date(2024, 6, 1)),
              Schedule(freq="WEEKLY", byday="TU", opens_at=time(9), closes_at=time(12), valid_to=date(2024, 7, 1))]
    assert einde(plain, weekly) == date(2024, 7, 1)
    assert einde(plain, [*weekly, Schedule(freq="WEEKLY", byday="WE")]) is None  # one rule keeps running


# --- filters that leave nothing ---------------------------------------------------------------


def test_open_now_that_leaves_nothing_names_the_filter_to_remove(session, client):
    result = search(session, Query(q="schulden", open_nu=True, now=datetime(2025, 3, 4, 3, 0, tzinfo=TZ)))
    assert result.hits == [] and result.zonder == ["open_nu"] and result.suggesties == []
    # The Stadsbank, the only maatwerk for debts, has no hours: never "open now", whatever the clock says.
    page = client.get("/zoeken", params={"q": "schulden", "laag": "maatwerk", "open": "nu"}).text
    assert 'Zonder de keuze "Alleen wat nu open is"' in page
    assert 'href="/zoeken?q=schulden&amp;laag=maatwerk"' in page
    assert "langsgaan bij de wijkentree" in page and "Zoek bijvoorbeeld op" not in page


def test_two_filters_that_leave_nothing_name_each_one_that_helps(session, client):
    result = search(session, Query(q="taal", laag=("spoed",), wijk="WK016409"))
    assert result.hits == []
    assert set(result.zonder) == {"laag"}  # Beckum has no language help, but citywide phone help stays
    page = client.get("/zoeken", params={"q": "taal", "laag": "spoed"}).text
    assert 'Zonder de keuze "Soort hulp"' in page and "Zoek bijvoorbeeld op" not in page


# --- distance --------------------------------------------------------------------------------


def test_point_sorts_nearest_first_and_unplaced_last(session):
    result = search(session, Query(point=SLANGENBEEK_7559))
    found = hit_names(session, result)
    assert found[0] == "Wijkcentrum Slangenbeek"
    assert result.hits[0].distance_m == 0
    distances = [h.distance_m for h in result.hits]
    placed = [d for d in distances if d is not None]
    assert placed == sorted(placed)
    first_none = distances.index(None)
    assert all(d is None for d in distances[first_none:])
    assert placed and first_none == len(placed)
    assert len(result.hits) == len(active_ids(session))


def test_distances_are_to_the_listed_location(session):
    result = search(session, Query(point=SLANGENBEEK_7559))
    locs = {l.id: l for l in session.exec(select(Location))}
    for h in result.hits:
        loc = locs[h.location_id]
        if loc.latitude is None:
            assert h.distance_m is None
        else:
            assert abs(h.distance_m - geo.distance_m(SLANGENBEEK_7559, (loc.latitude, loc.longitude))) <= 1


def test_max_distance(session):
    limit = 2000
    result = search(session, Query(point=SLANGENBEEK_7559, max_distance_m=limit))
    assert result.hits
    assert all(h.distance_m is not None and h.distance_m <= limit for h in result.hits)
    expected = {
        sid for sid, locs in locations_of(session).items()
        if any(l.latitude is not None and geo.distance_m(SLANGENBEEK_7559, (l.latitude, l.longitude)) <= limit
               for l in locs)
    } & active_ids(session)
    assert {h.service_id for h in result.hits} == expected
    assert len(expected) < len(active_ids(session))


def test_text_search_with_a_point_keeps_only_matches_sorted_by_distance(session):
    result = search(session, Query(q="wijkcentrum", point=SLANGENBEEK_7559))
    plain = search(session, Query(q="wijkcentrum"))
    assert {h.service_id for h in result.hits} == {h.service_id for h in plain.hits}
    assert hit_names(session, result)[0] == "Wijkcentrum Slangenbeek"
    placed = [h.distance_m for h in result.hits if h.distance_m is not None]
    assert placed == sorted(placed)


# --- open now --------------------------------------------------------------------------------


def test_open_now_on_monday_morning(session):
    assert MONDAY_1030.weekday() == 0
    found = set(hit_names(session, search(session, Query(open_nu=True, now=MONDAY_1030))))
    assert "Wijkcentrum Slangenbeek" in found  # koffieochtend maandag 10.00-11.00
    assert ALWAYS_OPEN <= found
    assert "Taalcafé Bibliotheek Hengelo" not in found  # dinsdag en vrijdag
    assert "Repair Café Hengelo" not in found  # hours only as text: unknown, never "open"


def test_open_now_at_monday_noon_excludes_the_koffieochtend(session):
    noon = MONDAY_1030.replace(hour=12, minute=0)
    found = set(hit_names(session, search(session, Query(open_nu=True, now=noon))))
    assert "Wijkcentrum Slangenbeek" not in found
    assert ALWAYS_OPEN <= found


def test_open_now_at_night_only_the_lines_that_never_close(session):
    night = datetime(2025, 3, 4, 3, 0, tzinfo=TZ)
    found = set(hit_names(session, search(session, Query(open_nu=True, now=night))))
    assert found == ALWAYS_OPEN


def test_open_now_accepts_utc(session):
    in_utc = MONDAY_1030.astimezone(UTC)
    found = set(hit_names(session, search(session, Query(open_nu=True, now=in_utc))))
    assert "Wijkcentrum Slangenbeek" in found


# --- the index follows the data --------------------------------------------------------------


def test_index_is_rebuilt_after_a_change(fresh_db):
    with Session(fresh_db) as session:
        seed(session)
    with Session(fresh_db) as session:
        before = search(session, Query(q="repair"))
        assert hit_names(session, before)[0] == "Repair Café Hengelo"
        assert search(session, Query(q="fietsenmakerij")).hits == []

    with Session(fresh_db) as session:
        svc = session.exec(select(Service).where(Service.slug == "repair-cafe-hengelo")).one()
        with schrijf(session, SYSTEEM) as w:
            svc.name = "Fietsenmakerij De Tempel"
            w.vastleggen("gewijzigd", "service", svc.id)
        service_id = svc.id

    with Session(fresh_db) as session:
        result = search(session, Query(q="fietsenmakerij"))
        assert [h.service_id for h in result.hits] == [service_id]
        # "repair" is no longer in the name, only in the organisation's name: it weighs less now.
        after = {h.service_id: h.score for h in search(session, Query(q="repair")).hits}
        assert after[service_id] < before.hits[0].score
        assert hit_names(session, result) == ["Fietsenmakerij De Tempel"]


def test_index_drops_a_service_that_is_no_longer_active(fresh_db):
    with Session(fresh_db) as session:
        seed(session)
        assert "Repair Café Hengelo" in hit_names(session, search(session, Query(q="repair")))
        svc = session.exec(select(Service).where(Service.slug == "repair-cafe-hengelo")).one()
        with schrijf(session, SYSTEEM) as w:
            svc.status = "inactive"
            w.vastleggen("gewijzigd", "service", svc.id)
    with Session(fresh_db) as session:
        assert "Repair Café Hengelo" not in hit_names(session, search(session, Query(q="repair")))
        assert len(search(session, Query()).hits) == len(active_ids(session))


def test_index_checks_for_changes_at_most_every_freshness_interval(fresh_db, monkeypatch):
    from app import search as search_module
    from app.config import get_settings

    monkeypatch.setenv("SEARCH_FRESHNESS_SECONDS", "60")
    get_settings.cache_clear()
    try:
        with Session(fresh_db) as session:
            seed(session)
            search(session, Query(q="repair"))
            svc = session.exec(select(Service).where(Service.slug == "repair-cafe-hengelo")).one()
            with schrijf(session, SYSTEEM) as w:
                svc.name = "Fietsenmakerij De Tempel"
                w.vastleggen("gewijzigd", "service", svc.id)
        with Session(fresh_db) as session:
            assert search(session, Query(q="fietsenmakerij")).hits == []  # within the interval: not yet
            search_module._cache[str(fresh_db.url)].checked_at -= 61
            assert len(search(session, Query(q="fietsenmakerij")).hits) == 1
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_with_a_point_relevance_order_can_be_asked_for(session):
    point = geo.postcode_point(geo.parse_postcode("7559"))
    by_distance = search(session, Query(q="schulden", point=point))
    by_relevance = search(session, Query(q="schulden", point=point, sort="relevantie"))
    assert {h.service_id for h in by_distance.hits} == {h.service_id for h in by_relevance.hits}
    scores = [h.score for h in by_relevance.hits]
    assert scores == sorted(scores, reverse=True)
    assert any(h.distance_m is not None for h in by_relevance.hits)  # distances are still given
    assert [h.service_id for h in by_distance.hits] != [h.service_id for h in by_relevance.hits]


# --- residents' own words: the help is in the top 3 ------------------------------------------

SCHULDHULP = {"Team BudgetAlert (schuldhulp gemeente)", "Stadsbank Oost Nederland", "Sociaal Raadslieden (Wijkracht)",
              "Het Juridisch Loket"}
OPVOEDEN = {"Loes Opvoedondersteuning", "Wijkteam Hengelo Zuid (Wijkracht) in MFA 't Berflo",
            "GGD Twente – jeugdgezondheidszorg en consultatiebureau"}
TAAL = {"Taal & Leercentrum Bibliotheek Hengelo", "Taalcafé Bibliotheek Hengelo"}
ZORG = {"Zorgloket gemeente Hengelo"}
RESIDENTS = [
    ("schulden", SCHULDHULP),
    ("ik heb schulden", SCHULDHULP),
    ("ik kan mijn huur niet betalen", {"Team BudgetAlert (schuldhulp gemeente)", "Het Juridisch Loket"}),
    ("brief van de deurwaarder", SCHULDHULP),
    ("huurachterstand", SCHULDHULP),
    ("uithuiszetting", SCHULDHULP),
    ("energierekening te hoog", SCHULDHULP),
    ("hulp bij belastingaangifte", {"Sociaal Raadslieden (Wijkracht)", "Hulpdienst Hengelo"}),
    ("formulieren invullen", {"Hulpdienst Hengelo", "Sociaal Raadslieden (Wijkracht)"}),
    ("voedselpakket", {"Voedselbank Midden Twente (uitgiftepunt Hengelo)"}),
    ("geen geld voor eten", {"Voedselbank Midden Twente (uitgiftepunt Hengelo)"}),
    ("mijn moeder wordt vergeetachtig", {"Alzheimer Café Hengelo", *ZORG}),
    ("dementie", {"Alzheimer Café Hengelo"}),
    ("mantelzorg", {"Steunpunt Mantelzorg Hengelo"}),
    ("traplift", ZORG),
    ("hulp in de huishouding", ZORG),
    ("taalles", TAAL),
    ("nederlands leren", TAAL),
    ("inburgeren", TAAL),
    ("ik voel me eenzaam", {"Bezoekdienst tegen eenzaamheid (Hulpdienst Hengelo)"}),
    ("ruzie met de buren", {"Buurtbemiddeling Hengelo"}),
    ("mijn kind wordt gepest", OPVOEDEN),
    ("mijn puber luistert niet", OPVOEDEN),
    ("ik zoek werk", {"Werk en Inkomen Hengelo, Borne en Haaksbergen"}),
    ("bijstand aanvragen", {"Werk en Inkomen Hengelo, Borne en Haaksbergen"}),
    ("juridisch advies", {"Het Juridisch Loket"}),
    ("ik drink te veel", {"Tactus polikliniek Hengelo"}),
    ("vrijwilligerswerk doen", {"Servicepunt Vrijwilligerswerk Hengelo"}),
    ("geen slaapplek", {"Winteropvang voor daklozen (in Enschede)", "De Voordeur – aanmelding maatschappelijke opvang Twente"}),
]


@pytest.mark.parametrize(("q", "helps"), RESIDENTS)
def test_the_help_for_a_residents_words_is_in_the_top_3(client, q, helps):
    top = [s["name"] for s in client.get("/api/v1/services", params={"search": q}).json()["contents"][:3]]
    assert helps & set(top), (q, top)


@pytest.mark.parametrize("q", ["schulden", "brief van de deurwaarder", "uithuiszetting"])
def test_debt_help_comes_before_a_parish_or_a_client_council(client, q):
    found = [s["name"] for s in client.get("/api/v1/services", params={"search": q}).json()["contents"]]
    first_help = min(found.index(n) for n in SCHULDHULP)
    assert first_help < found.index("Caritas Parochie De Goede Herder")
    assert all(found.index(n) < found.index("Cliëntenraad Minima en WMO Hengelo") for n in SCHULDHULP), found
    assert found.index("Team BudgetAlert (schuldhulp gemeente)") < 5, found


def test_emergency_lines_do_not_top_an_everyday_question(client):
    top = [s["name"] for s in client.get("/api/v1/services", params={"search": "traplift"}).json()["contents"][:3]]
    assert not {"Alarmnummer 112", "113 Zelfmoordpreventie"} & set(top), top


def test_the_search_page_ranks_like_the_api_and_says_why(client):
    page = client.get("/zoeken", params={"q": "schulden"}).text
    order = [page.find(n) for n in ("Team BudgetAlert", "Caritas Parochie")]
    assert -1 not in order and order[0] < order[1]
    assert "Past bij uw vraag over: schulden" in page
    assert "Telefonisch of online" in page


def test_equal_scores_are_not_ordered_by_name(session):
    result = search(session, Query(q="schulden"))
    found = hit_names(session, result)
    assert found != sorted(found)
    assert found.index("Team BudgetAlert (schuldhulp gemeente)") < found.index("Caritas Parochie De Goede Herder")
    assert result.hits[0].helpt and result.hits[0].themas == ("schulden",)


# --- the vraagwijzer's suggestions -----------------------------------------------------------


def test_debts_with_an_eviction_letter_suggest_the_help_that_acts_on_it(client):
    body = client.post("/api/v1/vraagwijzer", json={
        "gevaar": False, "themas": ["schulden", "wonen"], "signalen": ["uitzetting"], "postcode": "7559 NM"}).json()
    names = [s["name"] for s in body["suggesties"]]
    assert len(set(names) & SCHULDHULP) >= 3, names
    assert not [n for n in names if n.startswith(("Wijkraad", "Dorpsraad", "BewonersOverleg"))], names
    assert all("Warme Winter" not in n for n in names)


def test_loneliness_suggests_help_that_acts_on_it_not_an_ended_winter_room(client):
    body = client.post("/api/v1/vraagwijzer", json={"gevaar": False, "themas": ["eenzaamheid"]}).json()
    names = [s["name"] for s in body["suggesties"]]
    assert "Bezoekdienst tegen eenzaamheid (Hulpdienst Hengelo)" in names[:2], names
    assert all("Warme Winter" not in n for n in names)


def test_a_route_team_pulls_in_the_help_that_acts_on_it(session):
    from app.search import Query as Q
    plain = {h.service_id for h in search(session, Q(themas=("wonen",))).hits}
    with_team = search(session, Q(themas=("wonen",), behoeften=("schuldhulpverlening",), sort="relevantie"))
    pulled = set(hit_names(session, with_team)) - {n for i, n in names(session).items() if i in plain}
    assert "Stadsbank Oost Nederland" in pulled  # acts on debts, not tagged "wonen"
    assert with_team.hits[0].helpt
