"""Printed sheets fit on one A4 page: the wijk folders (with the emergency numbers and the QR code) and the
listing pages, printed by chromium as a resident's browser would."""
import re

import pytest

WIJKEN = ["binnenstad", "hengelose-es", "noord", "hasseler-es", "groot-driene", "berflo-es", "wilderinkshoek",
          "woolde", "slangenbeek", "buitengebied"]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("slug", WIJKEN)
def test_wijk_folder_prints_on_one_a4_with_emergency_numbers(desktop_page, slug):
    page = desktop_page
    page.goto(f"/wijken/{slug}/folder")
    tekst = page.inner_text("main")
    assert "112" in tekst and "0800-0113" in tekst and "0800-2000" in tekst
    namen = page.locator(".folder li .folder__naam").all_inner_texts()
    assert len(namen) == len(set(namen)), "a listing is in the folder twice"
    page.emulate_media(media="print")
    assert _pages(page.pdf(format="A4")) == 1
