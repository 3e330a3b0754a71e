"""app.search.search on the real seeded database: words, synonyms, typos, filters, distance, open now."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from app import geo, text
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
ALWAYS_OPEN = {"Alarmnummer 112", "113 Zelfmoordpreventie", "Veilig Thuis Twente", "De Luisterlijn"}


def names(session: Session) -> dict[str, str]:
    return {s.id: s.name for s in session.exec(select(Service))}


def hit_names(session: Session, result) -> list[str]:
    by_id = names(session)
    return [by_id[h.service_id] for h in result.hits]


def active_ids(session: Session) -> set[str]:
    return {s.id for s in session.exec(select(Service).where(Service.status == "active"))}


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


def test_wijk_filter(session):
    wijk = "WK016408"  # Slangenbeek
    result = search(session, Query(wijk=wijk))
    expected = {sid for sid, locs in locations_of(session).items() if any(l.wijk_code == wijk for l in locs)}
    assert {h.service_id for h in result.hits} == expected & active_ids(session)
    assert "Wijkcentrum Slangenbeek" in hit_names(session, result)
    locs = {l.id: l for l in session.exec(select(Location))}
    assert all(locs[h.location_id].wijk_code == wijk for h in result.hits)


def test_text_and_filters_combine(session):
    result = search(session, Query(q="koffie", themas=("geld",)))
    geld = ids_with_term(session, "thema", "geld")
    assert result.hits
    assert {h.service_id for h in result.hits} <= geld
    assert hit_names(session, result)[0] == "Warme Winter Woonkamer en uitgestelde koffie (Bibliotheek Hengelo)"
    assert search(session, Query(q="koffie", laag=("spoed",))).hits == []


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
        svc.name = "Fietsenmakerij De Tempel"
        svc.last_modified = datetime.now(UTC) + timedelta(seconds=1)
        session.add(svc)
        session.commit()
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
        svc.status = "inactive"
        svc.last_modified = datetime.now(UTC) + timedelta(seconds=1)
        session.add(svc)
        session.commit()
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
            svc.name, svc.last_modified = "Fietsenmakerij De Tempel", datetime.now(UTC) + timedelta(seconds=1)
            session.commit()
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
