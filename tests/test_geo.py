"""Postcodes, point-in-polygon and distances (geo/ data, no database)."""
import math

import pytest
from shapely.geometry import Point

from app import geo

STADHUIS = (52.26607, 6.79144)  # Burgemeester Jansenplein 1, Binnenstad (seed/bron/hengelo-places-geo.csv)
AMSTERDAM_DAM = (52.3731, 4.8926)


@pytest.mark.parametrize(
    "raw, pc4, letters, shown",
    [
        ("7551 AB", "7551", "AB", "7551 AB"),
        ("7551ab", "7551", "AB", "7551 AB"),
        ("  7559 nm ", "7559", "NM", "7559 NM"),
        ("7551", "7551", None, "7551"),
    ],
)
def test_parse_postcode_accepts_the_usual_spellings(raw, pc4, letters, shown):
    pc = geo.parse_postcode(raw)
    assert (pc.pc4, pc.letters) == (pc4, letters)
    assert str(pc) == shown
    assert pc.compact == shown.replace(" ", "")


@pytest.mark.parametrize("raw", ["ABCD", "123", "", "   ", None, "0551 AB", "7551 A", "7551 ABC", "75512"])
def test_parse_postcode_rejects_what_is_not_a_postcode_in_dutch(raw):
    with pytest.raises(geo.PostcodeError) as err:
        geo.parse_postcode(raw)
    message = str(err.value)
    assert "geen postcode" in message
    assert "bijvoorbeeld 7551 AB" in message


def test_postcode_error_is_a_value_error():
    assert issubclass(geo.PostcodeError, ValueError)


@pytest.mark.parametrize("raw", ["1012 AB", "7500", "7574 AA"])
def test_postcode_outside_hengelo_is_refused(raw):
    pc = geo.parse_postcode(raw)  # a valid Dutch postcode ...
    with pytest.raises(geo.PostcodeError) as err:
        geo.postcode_point(pc)  # ... but not one of Hengelo
    assert "niet in Hengelo" in str(err.value)
    assert str(pc) in str(err.value)


def test_every_hengelo_pc4_has_a_point_inside_hengelo():
    points = geo.pc4_points()
    assert set(points) == {str(n) for n in range(7550, 7560)}
    for pc4 in points:
        lat, lon = geo.postcode_point(geo.parse_postcode(pc4))
        wijk, buurt = geo.locate(lat, lon)
        assert wijk is not None and buurt is not None, pc4


def test_postcode_point_ignores_the_letters():
    assert geo.postcode_point(geo.parse_postcode("7559 NM")) == geo.postcode_point(geo.parse_postcode("7559"))
    assert geo.postcode_point(geo.parse_postcode("7559")) == (52.2936, 6.8072)


def test_locate_finds_the_buurt_of_the_stadhuis():
    wijk, buurt = geo.locate(*STADHUIS)
    assert wijk == "WK016400"  # Binnenstad
    assert buurt is not None and buurt.startswith("BU016400")
    area = geo.area_by_code(buurt)
    assert area.wijk_code == wijk
    assert area.geometry.contains(Point(STADHUIS[1], STADHUIS[0]))
    assert geo.area_by_code(wijk).naam == "Binnenstad"


def test_locate_outside_hengelo_is_none():
    assert geo.locate(*AMSTERDAM_DAM) == (None, None)
    assert geo.locate(0.0, 0.0) == (None, None)


def test_locate_takes_lat_then_lon():
    # Swapped coordinates are somewhere in the Indian Ocean, not in Hengelo.
    assert geo.locate(STADHUIS[1], STADHUIS[0]) == (None, None)


def test_area_point_lies_inside_its_area_for_every_wijk_and_buurt():
    areas = [*geo.wijken(), *geo.buurten()]
    assert len(geo.wijken()) == 10
    for area in areas:
        lat, lon = geo.area_point(area.code)
        assert area.geometry.intersects(Point(lon, lat)), area.code
    for buurt in geo.buurten():
        assert geo.locate(*geo.area_point(buurt.code)) == (buurt.wijk_code, buurt.code)


def test_area_point_of_unknown_code_raises():
    with pytest.raises(KeyError):
        geo.area_point("WK999999")


def _haversine_m(a, b):
    r = 6_371_000
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * r * math.asin(math.sqrt(h))


def test_distance_between_two_pc4_points_is_a_few_km():
    centrum = geo.postcode_point(geo.parse_postcode("7551"))
    slangenbeek = geo.postcode_point(geo.parse_postcode("7559"))
    d = geo.distance_m(centrum, slangenbeek)
    assert isinstance(d, int)
    assert 3000 < d < 3500
    # RD New is accurate to well under a percent around Hengelo.
    assert abs(d - _haversine_m(centrum, slangenbeek)) < 0.005 * d
    assert geo.distance_m(slangenbeek, centrum) == d


def test_distance_to_the_same_point_is_zero():
    assert geo.distance_m(STADHUIS, STADHUIS) == 0


def test_short_distance_is_accurate_to_the_metre():
    # 0.001 degree of latitude is about 111 m.
    d = geo.distance_m((52.26, 6.79), (52.261, 6.79))
    assert abs(d - _haversine_m((52.26, 6.79), (52.261, 6.79))) <= 1
    assert 105 <= d <= 115


def test_to_rd_gives_dutch_grid_metres():
    # Amersfoort, the origin of the RD grid, is (155000, 463000).
    x, y = geo.to_rd(52.15517440, 5.38720621)
    assert abs(x - 155000) < 1 and abs(y - 463000) < 1
    x, y = geo.to_rd(*STADHUIS)
    assert 245_000 < x < 260_000 and 470_000 < y < 480_000
