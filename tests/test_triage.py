"""The vraagwijzer's routing rules (app/rules/vraagwijzer.yaml) through the public function advies()."""
import dataclasses
import itertools
import re

import pytest
import yaml

from app.triage import (
    GEWICHT,
    LEEFTIJDEN,
    REGELS_BESTAND,
    THEMAS,
    Advies,
    Antwoorden,
    RegelFout,
    advies,
    laad_regels,
    leeftijd_band,
    maatwerk_regels,
    spoedlijnen,
)


def A(*themas, **kw):
    if "signalen" in kw:
        kw["signalen"] = frozenset(kw["signalen"])
    return Antwoorden(themas=themas, **kw)


# One example per rule: answers for which that rule decides the route, and the route it gives.
VOORBEELDEN = {
    "gevaar": (A(gevaar=True), ("spoed", None, None)),
    "zelfdoding": (A("schulden", signalen={"zelfdoding"}), ("spoed", None, None)),
    "veiligheid_kinderen": (A("veiligheid", voor_wie="kind"), ("gemeente", "jeugd_en_gezin", None)),
    "veiligheid_volwassenen": (A("veiligheid", leeftijd="27-66"), ("gemeente", "wmo", None)),
    "opvang": (A("wonen", signalen={"dakloos"}), ("maatwerk", "wmo", "maatschappelijke_opvang")),
    "schulden_problematisch": (A("schulden", signalen={"deurwaarder"}), ("gemeente", "schuldhulpverlening", None)),
    "beschermd_wonen": (A("wonen", signalen={"beschermd_wonen"}), ("maatwerk", "wmo", "beschermd_wonen")),
    "werk_en_inkomen": (A("werk"), ("gemeente", "werk_en_inkomen", None)),
    "huishoudelijke_ondersteuning": (
        A("ouderen", signalen={"huishoudelijke_hulp"}, leeftijd="67+"),
        ("maatwerk", "wmo", "huishoudelijke_ondersteuning"),
    ),
    "hulpmiddelen": (A(signalen={"hulpmiddel"}), ("maatwerk", "wmo", "hulpmiddelen")),
    "vervoer_indicatie": (A("vervoer", signalen={"vervoer_indicatie"}), ("maatwerk", "wmo", "vervoer")),
    "jeugdhulp": (A("opvoeden", signalen={"jeugdhulp"}), ("maatwerk", "jeugd_en_gezin", "specialistische_jeugdhulp")),
    "geldzorgen": (A("geld"), ("wijkentree", None, None)),
    "werk_via_wijkentree": (A("werk", "verslaving"), ("wijkentree", None, None)),
    "opvoeden": (A("opvoeden", voor_wie="kind"), ("wijkentree", None, None)),
    "verslaving": (A("verslaving"), ("wijkentree", None, None)),
    "gezondheid": (A("gezondheid"), ("wijkentree", None, None)),
    "mantelzorg": (A("mantelzorg"), ("wijkentree", None, None)),
    "wonen": (A("wonen"), ("wijkentree", None, None)),
    "snel_hulp": (A("eenzaamheid", haast=True), ("wijkentree", None, None)),
    "vangnet": (A("anders"), ("wijkentree", None, None)),
    "jongeren": (A("meedoen", leeftijd="12-17"), ("sociale_basis", None, None)),
    "contact_en_meedoen": (A("eenzaamheid"), ("sociale_basis", None, None)),
    "ouderen": (A("ouderen"), ("sociale_basis", None, None)),
    "taal": (A("taal"), ("sociale_basis", None, None)),
    "jeugd": (A("jeugd", leeftijd="0-11"), ("sociale_basis", None, None)),
    "vervoer": (A("vervoer"), ("sociale_basis", None, None)),
}

REGELS = laad_regels().regels
WIJKTEAM_VRAAG = {"verslaving", "gezondheid", "opvoeden", "mantelzorg"}  # see werk_en_inkomen in the rules file
REGEL = {r.id: r for r in REGELS}


def route(a: Advies):
    return (a.soort, a.team, a.voorziening)


# ------------------------------------------------------------------------------------------ one per rule


def test_every_rule_has_an_example():
    assert set(VOORBEELDEN) == set(REGEL)


@pytest.mark.parametrize("regel_id", list(VOORBEELDEN))
def test_each_rule_decides_its_route(regel_id):
    antwoorden, verwacht = VOORBEELDEN[regel_id]
    uit = advies(antwoorden)
    assert uit.regels[0] == regel_id
    assert route(uit) == verwacht
    assert uit.uitleg.startswith(REGEL[regel_id].uitleg)
    assert set(REGEL[regel_id].bronnen) <= set(uit.bronnen)


@pytest.mark.parametrize("regel_id", list(VOORBEELDEN))
def test_route_contract(regel_id):
    uit = advies(VOORBEELDEN[regel_id][0])
    assert (uit.team is not None) == (uit.soort in ("gemeente", "maatwerk"))
    assert (uit.voorziening is not None) == (uit.soort == "maatwerk")
    assert uit.verwijzing.startswith("Verwijzing:")
    assert uit.bronnen and uit.uitleg


# ------------------------------------------------------------------------------------------ danger first


def test_danger_beats_everything():
    alles = A(*THEMAS, gevaar=True, haast=True, voor_wie="ander", leeftijd="12-17",
              signalen=laad_regels().signalen.keys())
    uit = advies(alles)
    assert uit.soort == "spoed"
    assert uit.regels == ("gevaar",)
    assert (uit.team, uit.voorziening, uit.meenemen) == (None, None, ())
    for nummer in ("112", "0800-0113", "0800-2000"):
        assert nummer in uit.uitleg
    assert "iemand anders" in uit.uitleg  # the spoed text itself, not the voor_een_ander sentence
    assert "Kom gerust samen" not in uit.uitleg
    assert uit.bronnen == ("eigen veiligheidsregel (niet uit de seeds)",)


def test_no_danger_no_spoed_unless_own_words_speak_of_suicide():
    for antwoorden, _ in VOORBEELDEN.values():
        if not antwoorden.gevaar and "zelfdoding" not in antwoorden.signalen:
            assert advies(antwoorden).soort != "spoed"
    assert advies(A("schulden", signalen={"zelfdoding"})).soort == "spoed"


# ------------------------------------------------------------------------------------------ priority


def test_rules_file_runs_heavy_to_light():
    gewichten = [GEWICHT[r.soort] for r in REGELS]
    assert gewichten == sorted(gewichten, reverse=True)
    assert REGELS[0].id == "gevaar" and REGELS[0].stop


def _samen(a: Antwoorden, b: Antwoorden) -> Antwoorden:
    return Antwoorden(
        gevaar=a.gevaar or b.gevaar,
        themas=a.themas + b.themas,
        voor_wie=a.voor_wie if a.voor_wie != "mezelf" else b.voor_wie,
        leeftijd=a.leeftijd or b.leeftijd,
        haast=a.haast or b.haast,
        signalen=a.signalen | b.signalen,
    )


@pytest.mark.parametrize("een,twee", list(itertools.combinations(VOORBEELDEN, 2)))
def test_heaviest_route_wins_and_lighter_help_is_mentioned(een, twee):
    a, b = VOORBEELDEN[een][0], VOORBEELDEN[twee][0]
    uit = advies(_samen(a, b))
    zwaarste = max(GEWICHT[advies(a).soort], GEWICHT[advies(b).soort])
    if "werk_en_inkomen" in (een, twee) and set(_samen(a, b).themas) & WIJKTEAM_VRAAG:
        zwaarste = GEWICHT["wijkentree"]  # the documented exception: work next to a wijkteam question
    assert GEWICHT[uit.soort] >= zwaarste
    # every other rule that fired shows its lighter help in the explanation
    for regel_id in uit.regels[1:]:
        if REGEL[regel_id].ook:
            assert REGEL[regel_id].ook in uit.uitleg


def test_debts_plus_loneliness_goes_to_money_help_and_mentions_the_wijkcentrum():
    uit = advies(A("schulden", "eenzaamheid"))
    assert route(uit) == ("wijkentree", None, None)
    assert uit.regels == ("geldzorgen", "contact_en_meedoen")
    assert "wijkcentrum" in uit.uitleg


def test_work_beats_loneliness_but_the_wijkcentrum_is_still_named():
    uit = advies(A("eenzaamheid", "werk"))
    assert route(uit) == ("gemeente", "werk_en_inkomen", None)
    assert "wijkcentrum" in uit.uitleg


def test_two_gemeente_teams_first_in_file_leads_both_referred():
    uit = advies(A("werk", "schulden", signalen={"deurwaarder"}))
    assert uit.team == "schuldhulpverlening"
    assert uit.regels[:2] == ("schulden_problematisch", "werk_en_inkomen")
    assert "schuldhulpverlening" in uit.verwijzing and "Werk en Inkomen" in uit.verwijzing
    assert "Uw cv, of een lijstje van uw werk en opleidingen" in uit.meenemen
    assert len(uit.meenemen) == len(set(uit.meenemen))


def test_iets_anders_with_a_light_theme_goes_to_the_wijkentree():
    uit = advies(A("anders", "eenzaamheid"))
    assert uit.soort == "wijkentree" and uit.regels[0] == "vangnet"


def test_older_person_with_health_question_goes_to_the_wijkentree():
    assert advies(A("ouderen", "gezondheid", leeftijd="67+")).soort == "wijkentree"


# ------------------------------------------------------------------------------------------ seed residents


def test_anja_debts_and_eviction_letter_goes_to_schuldhulpverlening():
    # 004 §5.4.2: "Ze heeft een brief gekregen dat ze uit de woning gezet gaat worden."
    uit = advies(A("schulden", "wonen", signalen={"uitzetting"}, leeftijd=54))
    assert route(uit) == ("gemeente", "schuldhulpverlening", None)
    assert uit.regels[0] == "schulden_problematisch"
    assert "geldzorgen" not in uit.regels  # early money help does not fire for problematic debts
    assert "Brieven over uw schulden of de brief over uitzetting" in uit.meenemen
    assert "schamen" in uit.uitleg  # she was ashamed and threw her post away
    assert "via de wijkentree" in uit.verwijzing
    assert "004 §5.4.2" in uit.bronnen


def test_eviction_letter_without_debts_theme_still_goes_to_schuldhulpverlening():
    assert advies(A("wonen", signalen={"uitzetting"})).team == "schuldhulpverlening"


def test_debts_that_cannot_wait_go_to_schuldhulpverlening():
    assert advies(A("schulden", haast=True)).team == "schuldhulpverlening"
    assert advies(A("schulden")).soort == "wijkentree"
    assert advies(A("geld", haast=True)).soort == "wijkentree"  # money worry + haast: geldzorgen, with priority


def test_jacob_back_from_abroad_asking_benefit_and_work_goes_to_werk_en_inkomen():
    # 004 §5.4.3: "na een mislukt avontuur in het buitenland ... voor het aanvragen van een uitkering"
    uit = advies(A("werk", "geld", signalen={"uitkering", "terug_uit_buitenland"}, leeftijd=56))
    assert route(uit) == ("gemeente", "werk_en_inkomen", None)
    assert "uitkering aanvragen" in uit.uitleg
    assert any("buitenland" in m for m in uit.meenemen)
    assert "004 §5.4.3" in uit.bronnen


def test_benefit_signal_alone_goes_to_werk_en_inkomen():
    uit = advies(A(signalen={"uitkering"}))
    assert uit.team == "werk_en_inkomen"
    assert "vangnet" not in uit.regels


@pytest.mark.parametrize("voor_wie", ["mezelf", "ander"])
def test_wim_lonely_older_man_goes_to_the_sociale_basis(voor_wie):
    # 004 §5.3.2: instead of "een indicatie voor dagbesteding", the Kulturhoes three mornings a week.
    uit = advies(A("eenzaamheid", "ouderen", "vervoer", leeftijd=82, voor_wie=voor_wie))
    assert route(uit) == ("sociale_basis", None, None)
    assert "indicatie" not in uit.uitleg
    assert "wijkcentrum" in uit.uitleg and "Automaatje" in uit.uitleg
    assert ("iemand anders" in uit.uitleg) == (voor_wie == "ander")


def test_parent_with_a_question_about_raising_a_child_goes_to_the_wijkentree():
    # 004 Verhalen (Jayden, 10): the gezinswerker from the wijkteam, not an indicatie for jeugdhulp.
    uit = advies(A("opvoeden", voor_wie="kind", leeftijd=10))
    assert route(uit) == ("wijkentree", None, None)
    assert uit.regels == ("opvoeden",)
    assert "gezinswerker" in uit.uitleg


def test_melissa_drinking_goes_to_the_wijkentree_with_tactus():
    uit = advies(A("verslaving", "gezondheid", leeftijd=24))
    assert uit.soort == "wijkentree" and uit.regels[0] == "verslaving"
    assert "Tactus" in uit.uitleg


# ------------------------------------------------------------------------------------------ other decisions


@pytest.mark.parametrize(
    "antwoorden,team",
    [
        (A("veiligheid"), "wmo"),
        (A(signalen={"geweld"}), "wmo"),
        (A("veiligheid", "opvoeden"), "jeugd_en_gezin"),
        (A(signalen={"geweld"}, voor_wie="kind"), "jeugd_en_gezin"),
        (A("veiligheid", leeftijd="12-17"), "jeugd_en_gezin"),
    ],
)
def test_unsafety_without_danger_goes_to_the_gemeente_with_veilig_thuis(antwoorden, team):
    uit = advies(antwoorden)
    assert (uit.soort, uit.team) == ("gemeente", team)
    assert "0800-2000" in uit.uitleg and "112" in uit.uitleg
    assert not ({"veiligheid_kinderen", "veiligheid_volwassenen"} <= set(uit.regels))


def test_young_people_get_the_sociale_basis_first_adults_the_wijkcentrum():
    assert advies(A("eenzaamheid", leeftijd=15)).regels[0] == "jongeren"
    assert advies(A("meedoen", leeftijd=40)).regels[0] == "contact_en_meedoen"
    assert advies(A("eenzaamheid", leeftijd=15, haast=True)).soort == "wijkentree"


def test_transport_indicatie_replaces_the_light_transport_rule():
    uit = advies(A("vervoer", signalen={"vervoer_indicatie"}))
    assert uit.soort == "maatwerk" and "vervoer" not in uit.regels


def test_nothing_chosen_goes_to_the_wijkentree():
    uit = advies(Antwoorden())
    assert route(uit) == ("wijkentree", None, None)
    assert uit.regels == ("vangnet",)


def test_advies_is_pure_and_frozen():
    a = A("schulden", "werk", haast=True)
    assert advies(a) == advies(a)
    with pytest.raises(dataclasses.FrozenInstanceError):
        advies(a).soort = "spoed"


def test_standaard_rule_when_nothing_fits(tmp_path):
    data = _yaml()
    data["regels"] = [
        {"id": "alleen_thema", "wanneer": {"themas_any": list(THEMAS)}, "soort": "sociale_basis",
         "uitleg": "Kijk in uw buurt.", "verwijzing": "Verwijzing: sociale basis.", "bron": "003"},
        {"id": "alleen_signaal", "wanneer": {"signalen_any": list(data["signalen"])}, "soort": "wijkentree",
         "uitleg": "Ga naar de wijkentree.", "verwijzing": "Verwijzing: wijkentree.", "bron": "003"},
    ][::-1]
    data["standaard"] = "alleen_thema"
    uit = advies(Antwoorden(), regelset=laad_regels(_schrijf(tmp_path, data)))
    assert uit.regels == ("alleen_thema",)


# ------------------------------------------------------------------------------------------ texts (B1)

INFORMEEL = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
JARGON = ("maatwerk", "basisondersteuning", "triage", "tweede schil", "Wmo", "zorgvrager")


def _bewonersteksten():
    rs = laad_regels()
    for r in rs.regels:
        yield f"{r.id}.uitleg", r.uitleg
        if r.ook:
            yield f"{r.id}.ook", r.ook
        for m in r.meenemen:
            yield f"{r.id}.meenemen", m
    for naam, tekst in rs.teksten.items():
        yield f"teksten.{naam}", tekst
    for lijn in rs.spoedlijnen:
        yield f"spoedlijn {lijn['naam']}", lijn["wanneer"]


@pytest.mark.parametrize("waar,tekst", list(_bewonersteksten()))
def test_resident_texts_are_plain_b1(waar, tekst):
    assert "gratis" not in tekst.lower()
    assert not INFORMEEL.search(tekst), "gebruik 'u', niet 'je'"
    for woord in JARGON:
        assert woord.lower() not in tekst.lower(), f"vakwoord {woord!r} in {waar}"
    if "indicatie" in tekst:
        assert "besluit" in tekst, "leg uit wat een indicatie is"
    for zin in re.split(r"(?<=[.?!])\s+", tekst):
        assert len(zin.split()) <= 18, f"te lange zin in {waar}: {zin}"


@pytest.mark.parametrize("regel", REGELS, ids=lambda r: r.id)
def test_every_rule_has_a_source_and_u_form_text(regel):
    assert regel.bronnen and all(b.strip() for b in regel.bronnen)
    assert re.search(r"\b(u|uw)\b", regel.uitleg, re.IGNORECASE)
    assert "gratis" not in (regel.uitleg + (regel.ook or "") + " ".join(regel.meenemen)).lower()


def test_every_rule_has_a_comment_quoting_its_source():
    regels = REGELS_BESTAND.read_text(encoding="utf-8").splitlines()
    for i, regel in enumerate(regels):
        if regel.startswith("  - id: "):
            assert regels[i - 1].lstrip().startswith("#"), f"geen bron-commentaar boven {regel.strip()}"


def test_only_the_safety_rule_has_no_seed_source():
    for r in REGELS:
        if r.id in ("gevaar", "zelfdoding"):
            assert "niet uit de seeds" in r.bronnen[0]
        else:
            assert all(re.match(r"^00[0-4]\b", b) for b in r.bronnen), r.bronnen


# ------------------------------------------------------------------------------------------ spoedlijnen


def test_spoedlijnen():
    lijnen = spoedlijnen()
    assert [(l["naam"], l["telefoon"]) for l in lijnen] == [
        ("Alarmnummer 112", "112"),
        ("113 Zelfmoordpreventie", "0800-0113"),
        ("Veilig Thuis", "0800-2000"),
    ]
    assert all(set(l) == {"naam", "telefoon", "wanneer"} and l["wanneer"] for l in lijnen)
    lijnen[0]["telefoon"] = "kapot"
    assert spoedlijnen()[0]["telefoon"] == "112"  # callers get copies


# ------------------------------------------------------------------------------------------ answers


def test_unknown_theme_raises_a_dutch_error():
    with pytest.raises(ValueError, match="Onbekend thema: 'schuldenn'. Kies uit: opvoeden"):
        A("schuldenn")


@pytest.mark.parametrize(
    "kw,melding",
    [
        ({"signalen": frozenset({"brand"})}, "Onbekend signaal"),
        ({"voor_wie": "buurman"}, "Onbekende keuze voor 'voor wie'"),
        ({"leeftijd": "30-40"}, "Onbekende leeftijdsgroep"),
        ({"themas": "schulden"}, "moet een lijst zijn"),
        ({"gevaar": "ja"}, "moet ja of nee zijn"),
        ({"haast": None}, "moet ja of nee zijn"),
        ({"leeftijd": -1}, "kan niet kloppen"),
    ],
)
def test_wrong_answers_raise_dutch_errors(kw, melding):
    with pytest.raises(ValueError, match=melding):
        Antwoorden(**kw)


def test_answers_are_normalised():
    a = Antwoorden(themas=["geld", "schulden", "geld"], signalen=["uitzetting"], leeftijd=70)
    assert a.themas == ("geld", "schulden")
    assert a.signalen == frozenset({"uitzetting"})
    assert a.leeftijd == "67+"


@pytest.mark.parametrize(
    "jaar,band",
    [(0, "0-11"), (11, "0-11"), (12, "12-17"), (17, "12-17"), (18, "18-26"), (26, "18-26"),
     (27, "27-66"), (66, "27-66"), (67, "67+"), (104, "67+")],
)
def test_leeftijd_band(jaar, band):
    assert leeftijd_band(jaar) == band
    assert band in LEEFTIJDEN


@pytest.mark.parametrize("fout", [-1, 131, 12.5, "12", True])
def test_leeftijd_band_refuses_nonsense(fout):
    with pytest.raises(ValueError):
        leeftijd_band(fout)


# ------------------------------------------------------------------------------------------ loader


def _yaml():
    return yaml.safe_load(REGELS_BESTAND.read_text(encoding="utf-8"))


def _schrijf(tmp_path, data):
    pad = tmp_path / "regels.yaml"
    pad.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return pad


def _regel(data, regel_id):
    return next(r for r in data["regels"] if r["id"] == regel_id)


def test_rules_file_loads_and_validates():
    rs = laad_regels()
    assert len({r.id for r in rs.regels}) == len(rs.regels) == len(VOORBEELDEN)
    assert rs.standaard == "vangnet"
    assert laad_regels(REGELS_BESTAND) == rs  # the checked copy equals a fresh read


def test_round_trip_of_the_rules_file_is_valid(tmp_path):
    assert laad_regels(_schrijf(tmp_path, _yaml())).regels == REGELS


def _breek_bron(d):
    del _regel(d, "opvoeden")["bron"]


def _breek_sleutel(d):
    _regel(d, "opvoeden")["wanneer"] = {"themas_anyy": ["opvoeden"]}


def _breek_thema(d):
    _regel(d, "opvoeden")["wanneer"] = {"themas_any": ["opvoeden", "opvoeding"]}


def _breek_volgorde(d):
    d["regels"].insert(1, d["regels"].pop(next(i for i, r in enumerate(d["regels"]) if r["id"] == "taal")))


def _breek_team(d):
    _regel(d, "taal")["team"] = "wmo"


def _breek_voorziening(d):
    del _regel(d, "hulpmiddelen")["voorziening"]


def _breek_gratis(d):
    _regel(d, "taal")["uitleg"] += " De les is gratis."


def _breek_dubbel(d):
    _regel(d, "taal")["id"] = "jeugd"


def _breek_signaal(d):
    d["signalen"]["brand"] = "Er is brand."


def _breek_standaard(d):
    d["standaard"] = "bestaat_niet"


def _breek_regelsleutel(d):
    _regel(d, "taal")["prioriteit"] = 1


def _breek_soort(d):
    _regel(d, "taal")["soort"] = "bibliotheek"


def _breek_themadekking(d):
    d["regels"] = [r for r in d["regels"] if r["id"] != "taal"]


@pytest.mark.parametrize(
    "breek,melding",
    [
        (_breek_bron, r"'opvoeden'.*ontbrekende sleutel\(s\): bron"),
        (_breek_sleutel, r"'opvoeden'.*wanneer\.themas_anyy: onbekende sleutel"),
        (_breek_thema, r"onbekende waarde 'opvoeding'"),
        (_breek_volgorde, r"van zwaar naar licht"),
        (_breek_team, r"alleen gemeente en maatwerk hebben een team"),
        (_breek_voorziening, r"maatwerk heeft een voorziening nodig"),
        (_breek_gratis, r"'gratis'"),
        (_breek_dubbel, r"id 'jeugd' komt twee keer voor"),
        (_breek_signaal, r"signalen zonder regel: brand"),
        (_breek_standaard, r"'standaard' noemt 'bestaat_niet'"),
        (_breek_regelsleutel, r"onbekende sleutel\(s\): prioriteit"),
        (_breek_soort, r"onbekende soort 'bibliotheek'"),
        (_breek_themadekking, r"thema\('s\) zonder regel: taal"),
    ],
)
def test_loader_rejects_a_bad_rule_with_a_clear_message(tmp_path, breek, melding):
    data = _yaml()
    breek(data)
    with pytest.raises(RegelFout, match=melding):
        laad_regels(_schrijf(tmp_path, data))


def test_loader_errors_are_value_errors(tmp_path):
    kapot = tmp_path / "kapot.yaml"
    kapot.write_text("regels: [\n", encoding="utf-8")
    with pytest.raises(ValueError, match="geen geldige YAML"):
        laad_regels(kapot)
    with pytest.raises(RegelFout, match="kan het regelbestand niet lezen"):
        laad_regels(tmp_path / "bestaat-niet.yaml")


def test_maatwerk_rules_for_signals_name_the_indicatie():
    assert [r.voorziening for r in maatwerk_regels({"hulpmiddel"})] == ["hulpmiddelen"]
    assert [r.voorziening for r in maatwerk_regels({"huishoudelijke_hulp", "dakloos"})] == [
        "maatschappelijke_opvang", "huishoudelijke_ondersteuning"]
    assert all("indicatie" in r.uitleg for r in maatwerk_regels(laad_regels().signalen))
    assert maatwerk_regels({"uitzetting"}) == ()
