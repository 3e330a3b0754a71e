"""The wijkanalyse in a real browser, logged in with a medewerker token: axe finds nothing serious, the map draws."""
from tests.browser.checks import assert_axe_clean
from tests.browser.conftest import DESKTOP


def test_wijkanalyse_is_axe_clean(make_page, run_axe, tokens):
    page = make_page(**DESKTOP, extra_http_headers=tokens["medewerker"])
    response = page.goto("/beheer/wijkanalyse?measure=aanbod")
    assert response.status == 200
    page.locator(".wijkanalyse__label").first.wait_for(state="attached")
    assert page.locator(".wijkanalyse__wijk").count() == 10
    assert_axe_clean(page, run_axe, "/beheer/wijkanalyse")
