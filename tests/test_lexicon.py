"""The one Dutch lexicon (app/rules/lexicon.yaml) through app.lexicon: themes, signals, roles, compounds,
typos, negation and words said in passing."""
import pytest

from app.lexicon import herken, themes_for_text


@pytest.mark.parametrize(
    "said, thema",
    [
        ("geldzorgen", "schulden"),
        ("rekeningen", "schulden"),
        ("Er staat een deurwaarder voor de deur", "schulden"),
        ("ik ben zo alleen", "eenzaamheid"),
        ("Eenzaam", "eenzaamheid"),
        ("ik zoek een baan", "werk"),
        ("hulp bij solliciteren", "werk"),
        ("te veel drank", "verslaving"),
        ("drugs", "verslaving"),
        ("gokken", "verslaving"),
        ("mijn kind luistert niet", "opvoeden"),
        ("puber", "opvoeden"),
        ("opvoeding", "opvoeden"),
    ],
)
def test_residents_words_point_to_a_theme(said, thema):
    assert thema in themes_for_text(said)


def test_a_plain_theme_word_points_only_to_its_own_theme():
    assert themes_for_text("schulden") == ["schulden"]
    assert themes_for_text("eenzaamheid") == ["eenzaamheid"]
    assert themes_for_text("deurwaarder") == ["schulden"]
    assert themes_for_text("solliciteren") == ["werk"]


def test_themes_come_in_order_of_first_mention_without_duplicates():
    assert themes_for_text("gokken en schulden en nog meer schulden") == ["verslaving", "schulden"]


def test_two_word_entries_are_recognised():
    assert "veiligheid" in themes_for_text("huiselijk geweld")


@pytest.mark.parametrize("typo, thema", [("schulde", "schulden"), ("eenzaamheit", "eenzaamheid"), ("solicitere", "werk")])
def test_typos_still_point_to_the_theme(typo, thema):
    assert thema in themes_for_text(typo)


@pytest.mark.parametrize("nonsense", ["xqzwv blorp", "qqqqqqq", "", "ik en de"])
def test_nonsense_points_to_no_theme(nonsense):
    assert themes_for_text(nonsense) == []



@pytest.mark.parametrize("said, thema, signaal", [
    ("Ik heb een huurachterstand", "schulden", None),
    ("mijn energierekening is te hoog", "schulden", None),
    ("ik wil hulp in de huishouding", None, "huishoudelijke_hulp"),
    ("Huishoudhulp aanvragen", None, "huishoudelijke_hulp"),
    ("ik kan niet meer zelf schoonmaken", None, "huishoudelijke_hulp"),
    ("ik heb een traplift nodig", None, "hulpmiddel"),
    ("een rolstoel lenen", None, "hulpmiddel"),
    ("kan ik de regiotaxi krijgen", None, "vervoer_indicatie"),
    ("ik zoek beschermd wonen", None, "beschermd_wonen"),
    ("ik heb geen slaapplek vannacht", "wonen", "dakloos"),
    ("therapie voor mijn kind", "opvoeden", "jeugdhulp"),
    ("ik word uit mijn huis gezet", "schulden", "uitzetting"),
    ("Er staat een deurwaarder voor de deur", "schulden", "deurwaarder"),
    ("ik ben terug uit het buitenland", "werk", "terug_uit_buitenland"),
    ("ik heb geen inkomen meer", None, "uitkering"),
])
def test_compounds_phrases_and_maatwerk_words(said, thema, signaal):
    h = herken(said)
    if thema:
        assert thema in h.themas
    if signaal:
        assert signaal in h.signalen


@pytest.mark.parametrize("said, niet", [
    ("Ik zorg voor mijn vader met dementie en ik werk ook", "werk"),
    ("mijn zoon zit na school alleen thuis omdat wij werken", "werk"),
    ("mijn zoon zit na school alleen thuis omdat wij werken", "eenzaamheid"),
    ("ik heb geen schulden maar wel weinig geld", "schulden"),
    ("ik ben niet eenzaam, ik zoek een cursus", "eenzaamheid"),
    ("mijn dochter hangt op straat na school", "wonen"),
    ("we zijn net komen wonen in Hengelo", "wonen"),
    ("ik zoek naschoolse opvang", "wonen"),
])
def test_a_word_in_passing_or_negated_does_not_count(said, niet):
    assert niet not in herken(said).themas
    assert "dakloos" not in herken(said).signalen or niet != "wonen"


def test_the_carer_is_a_carer_and_the_first_named_theme_comes_first():
    assert herken("Ik zorg voor mijn vader met dementie en ik werk ook").themas == ("mantelzorg", "gezondheid")


def test_ruzie_points_to_parenting_only_when_a_child_is_involved():
    assert herken("thuis veel ruzie, mijn zoon van 10 trekt zich terug").themas == ("opvoeden",)
    assert "opvoeden" not in herken("veel ruzie met mijn partner").themas
    assert herken("thuis veel ruzie", over_kind=True).themas == ("opvoeden",)


def test_role_and_age_from_own_words():
    h = herken("Mijn dochter van 14 verveelt zich na school")
    assert (h.voor_wie, h.leeftijd, h.themas) == ("kind", 14, ("jeugd",))
    assert herken("mijn vriend slaat mijn kinderen").voor_wie == "kind"
    assert herken("Mijn moeder wordt vergeetachtig").voor_wie == "ander"
    assert herken("Ik ben 82 en voel me alleen").leeftijd == 82


def test_herkend_names_lexicon_terms_never_other_words_of_the_text():
    h = herken("Mijn buurvrouw Truus Jansen zegt dat ik schulden heb")
    assert h.herkend == ("schulden",)
    assert "truus" not in " ".join(h.herkend)
