"""No dead ends for residents: every page that cannot give a place, a number or an answer says how to go on."""


def test_wijk_page_names_a_wijkentree_without_a_place_and_never_promises_walk_in(client):
    page = client.get("/wijken/noord").text
    assert "Wijkcentrum De Sterrentuin" in page and "Neptunusstraat 51" in page
    assert "staat nog niet op de kaart" in page
    assert "zonder afspraak" not in page  # no source says so
    assert "nog niet bekend. Bel eerst" in page


def test_a_listing_without_phone_or_mail_says_how_to_get_there_anyway(client):
    page = client.get("/locaties/budgetalert-gemeente-hengelo").text
    assert "Zo komt u toch verder" in page and "Heel Hengelo" in page
    assert 'href="tel:14074"' in page and "Dit is een telefoonnummer of website" not in page
    voedselbank = client.get("/locaties/voedselbank-midden-twente-hengelo").text
    assert "Zo komt u toch verder" in voedselbank and "voedselbankmiddentwente.nl" in voedselbank
    assert "Zo komt u toch verder" not in client.get("/locaties/mfa-t-berflo").text  # it has a phone number


def test_a_search_for_a_maatwerk_word_explains_the_indicatie(client):
    for q, woord in [("traplift", "hulpmiddel"), ("hulp in de huishouding", "huishouden"), ("regiotaxi", "Regiotaxi")]:
        page = client.get("/zoeken", params={"q": q}).text
        assert "Dit is maatwerk: u heeft een indicatie nodig" in page and woord in page, q
    assert "Dit is maatwerk" not in client.get("/zoeken", params={"q": "schulden"}).text
