"""Dutch text handling for search: folding, filler words, residents' words -> themes."""
import pytest

from app import text


@pytest.mark.parametrize(
    "raw, folded",
    [
        ("Één Café", "een cafe"),
        ("Repair Café Hengelo", "repair cafe hengelo"),
        ("Scouting Dr. Ariëns", "scouting dr. ariens"),
        ("CLIËNTENRAAD", "clientenraad"),
        ("çà ñ ÖÜ", "ca n ou"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold_removes_accents_and_case(raw, folded):
    assert text.fold(raw) == folded


def test_words_drops_dutch_filler_words_and_keeps_the_meaning():
    assert text.words("Ik zoek hulp bij mijn schulden") == ["schulden"]
    assert text.words("Waar kan ik een taalcafé vinden?") == ["taalcafe", "vinden"]
    assert text.words("Wie helpt mij met de rekeningen van het huis") == ["helpt", "rekeningen", "huis"]


def test_words_folds_splits_on_punctuation_and_drops_single_letters():
    assert text.words("Café/Bibliotheek, Hengelo-Noord! a b 7551AB") == [
        "cafe", "bibliotheek", "hengelo", "noord", "7551ab",
    ]
    assert text.words("") == []
    assert text.words("ik en de het") == []


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
        ("ouder", "opvoeden"),
    ],
)
def test_residents_words_point_to_a_theme(said, thema):
    assert thema in text.themes_for_text(said)


def test_a_plain_theme_word_points_only_to_its_own_theme():
    assert text.themes_for_text("schulden") == ["schulden"]
    assert text.themes_for_text("eenzaamheid") == ["eenzaamheid"]
    assert text.themes_for_text("deurwaarder") == ["schulden"]
    assert text.themes_for_text("solliciteren") == ["werk"]


def test_themes_come_in_order_of_first_mention_without_duplicates():
    assert text.themes_for_text("gokken en schulden en nog meer schulden") == ["verslaving", "schulden"]


def test_two_word_entries_are_recognised():
    assert "veiligheid" in text.themes_for_text("huiselijk geweld")


@pytest.mark.parametrize("typo, thema", [("schulde", "schulden"), ("eenzaamheit", "eenzaamheid"), ("solicitere", "werk")])
def test_typos_still_point_to_the_theme(typo, thema):
    assert thema in text.themes_for_text(typo)


@pytest.mark.parametrize("nonsense", ["xqzwv blorp", "qqqqqqq", "", "ik en de"])
def test_nonsense_points_to_no_theme(nonsense):
    assert text.themes_for_text(nonsense) == []


def test_closest_corrects_long_words_only():
    vocabulary = ["schulden", "eenzaamheid", "kind"]
    assert text.closest("eenzaamheit", vocabulary) == "eenzaamheid"
    assert text.closest("schulde", vocabulary) == "schulden"
    # Short words are never fuzzy-matched: "kinb" is not "kind".
    assert text.closest("kinb", vocabulary) is None
    assert text.closest("xqzwvbl", vocabulary) is None
    assert text.closest("schulde", []) is None
