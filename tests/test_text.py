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


def test_closest_corrects_long_words_only():
    vocabulary = ["schulden", "eenzaamheid", "kind"]
    assert text.closest("eenzaamheit", vocabulary) == "eenzaamheid"
    assert text.closest("schulde", vocabulary) == "schulden"
    # Short words are never fuzzy-matched: "kinb" is not "kind".
    assert text.closest("kinb", vocabulary) is None
    assert text.closest("xqzwvbl", vocabulary) is None
    assert text.closest("schulde", []) is None
