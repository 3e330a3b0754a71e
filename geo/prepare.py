"""Prepare the wijk and buurt geometry the app loads.

    uv run python geo/prepare.py [BUURTEN_FILE] [--wijken WIJKEN_FILE] [--simplify METRES]

Reads a CBS buurt layer (any CRS geopandas can read; default geo/bron/hengelo-buurten.geojson),
keeps gemeente Hengelo (GM0164), repairs invalid polygons, optionally simplifies in RD New (metres),
dissolves the buurten into wijken (so wijken and buurten fit exactly) and writes
geo/buurten.geojson and geo/wijken.geojson in WGS84. A finer official file replaces the
generalised one with this one command.
"""
import argparse
import re
from pathlib import Path

import geopandas as gpd

HERE = Path(__file__).resolve().parent
RD_NEW = "EPSG:28992"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", "")).strip("-")


def prepare(source: Path, wijk_source: Path, out_dir: Path, simplify_m: float = 0.0) -> tuple[int, int]:
    buurten = gpd.read_file(source)
    if "code" not in buurten.columns and "statcode" in buurten.columns:
        buurten = buurten.rename(columns={"statcode": "code", "statnaam": "naam"})
    buurten = buurten[buurten["code"].str.startswith("BU0164")].copy()
    buurten = buurten.to_crs(RD_NEW)
    buurten["geometry"] = buurten.geometry.make_valid()
    if simplify_m:
        buurten["geometry"] = buurten.geometry.simplify(simplify_m, preserve_topology=True)
    buurten["wijkcode"] = "WK" + buurten["code"].str[2:8]

    wijken = buurten.dissolve(by="wijkcode", as_index=False)[["wijkcode", "geometry"]]
    wijk_names = _wijk_names(wijk_source)
    wijken = wijken.rename(columns={"wijkcode": "code"})
    wijken["naam"] = wijken["code"].map(lambda c: wijk_names.get(c, c))
    wijken["slug"] = wijken["naam"].map(slugify)

    out_dir.mkdir(parents=True, exist_ok=True)
    buurten[["code", "naam", "wijkcode", "geometry"]].to_crs("EPSG:4326").to_file(
        out_dir / "buurten.geojson", driver="GeoJSON", COORDINATE_PRECISION=6
    )
    wijken[["code", "naam", "slug", "geometry"]].to_crs("EPSG:4326").to_file(
        out_dir / "wijken.geojson", driver="GeoJSON", COORDINATE_PRECISION=6
    )
    return len(wijken), len(buurten)


def _wijk_names(path: Path) -> dict[str, str]:
    """The CBS wijk names ("Berflo Es") live in the wijk layer, not in the buurt layer."""
    wijken = gpd.read_file(path)
    return dict(zip(wijken["code"], wijken["naam_kort"], strict=False))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=HERE / "bron" / "hengelo-buurten.geojson")
    parser.add_argument("--wijken", type=Path, default=HERE / "bron" / "hengelo-wijken.geojson",
                        help="CBS wijk layer, only its names are used")
    parser.add_argument("--simplify", type=float, default=0.0, help="tolerance in metres (RD New)")
    parser.add_argument("--out", type=Path, default=HERE)
    args = parser.parse_args()
    n_wijken, n_buurten = prepare(args.source, args.wijken, args.out, args.simplify)
    print(f"{n_wijken} wijken en {n_buurten} buurten geschreven naar {args.out}")
