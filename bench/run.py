"""Benchmark for Wijkentree Hengelo: HTTP load with wrk, page weights, a mixed residents' workload on SQLite and on
PostgreSQL, and the search function. See bench/README.md.

Everything runs on this machine against 127.0.0.1, on throw-away SQLite databases in a temp directory and a
throw-away PostgreSQL cluster (scripts/pg_cluster.py).
Run: make bench   (or: uv run --frozen python bench/run.py --help)
"""
import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scripts.pg_cluster import PgCluster, PostgresOntbreekt, free_port  # noqa: E402  (the repo root, just added)

VRAAGWIJZER_BODY = {"gevaar": False, "themas": ["schulden"], "voor_wie": "mezelf", "haast": False, "postcode": "7551AB"}
# (method, path, group); the group decides the goal: requests/s as a share of /healthz in the same run.
ENDPOINTS = [
    ("GET", "/healthz", "basis"),
    ("GET", "/api/v1/services?search=schulden", "zoek-API"),
    ("GET", "/api/v1/services?postcode=7551AB&thema=opvoeden", "zoek-API"),
    ("GET", "/", "pagina"),
    ("GET", "/zoeken?q=schulden", "pagina"),
    ("GET", "/locaties/mfa-t-berflo", "pagina"),  # a building with several services
    ("GET", "/wijken/berflo-es", "pagina"),
    ("GET", "/api/v1/locaties.geojson", "kaart"),  # the map's data: every placed location
    ("POST", "/api/v1/vraagwijzer", "vraagwijzer"),
]
RATIO_GOALS = {"zoek-API": 0.5, "pagina": 0.4, "kaart": 0.4, "vraagwijzer": 0.5}
PAGE_GOAL_NO_MAP_KB, PAGE_GOAL_MAP_KB = 60, 250  # 1 KB = 1000 bytes, gzip-transferred
SEARCH_GOAL_SEED_MS, SEARCH_GOAL_10K_MS = 2.0, 20.0
HENGELO_BBOX = ((52.22, 52.31), (6.72, 6.84))  # (lat range, lon range)
HENGELO_CENTRUM = (52.2658, 6.7931)
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def app_env(url: str) -> dict[str, str]:
    """The app's environment: our database, no geocoder (loopback only), production settings, no rate limits
    (wrk asks from one address thousands of times). cwd is the temp dir, so no .env is read."""
    env = {k: v for k, v in os.environ.items() if k not in ("GEOCODER_URL", "DATABASE_URL", "STAFF_TOKEN")}
    return env | {"DATABASE_URL": url, "PYTHONPATH": str(ROOT), "ENVIRONMENT": "production", "RATE_LIMITS": "false"}


def prepare_db(tmp: Path, url: str, label: str) -> str:
    for args in (["db", "upgrade"], ["seed"]):
        done = subprocess.run([sys.executable, "-m", "app", *args], cwd=tmp, env=app_env(url),
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            sys.exit(f"'python -m app {' '.join(args)}' faalde:\n{done.stdout}{done.stderr}")
    print(f"  {label}: gemigreerd en gevuld ({done.stdout.strip()})")
    return url


def start_server(tmp: Path, url: str, port: int) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port),
           "--log-level", "warning", "--no-access-log"]
    # The app logs a line per request (as in production): to a file, so the tables stay readable.
    log = tmp / f"server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=tmp, env=app_env(url), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server stopte meteen (exit {proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError("server gaf binnen 30 s geen antwoord op /healthz")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def run_wrk(url: str, args, script: Path | None) -> dict:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.duration}s", "--latency", "--timeout", "10s"]
    cmd += ["-s", str(script)] if script else []
    out = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=args.duration + 60).stdout
    rps = re.search(r"Requests/sec:\s*([\d.]+)", out)
    pct = dict(re.findall(r"^\s*(50|99)(?:\.0+)?%\s+(\S+)", out, re.M))
    if not rps or not {"50", "99"} <= pct.keys():
        raise RuntimeError(f"wrk-uitvoer niet te lezen:\n{out}")
    bad = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": float(rps.group(1)), "p50": to_ms(pct["50"]), "p99": to_ms(pct["99"]),
            "note": "; ".join(filter(None, [bad and f"{bad.group(1)} niet-2xx", errors and errors.group(0)]))}


def http_bench(base: str, args, tmp: Path) -> None:
    lua = tmp / "post.lua"
    lua.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                   f"wrk.body = [[{json.dumps(VRAAGWIJZER_BODY)}]]\n")
    print(f"\n== HTTP: wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency, één uvicorn-worker ==")
    rows = []
    for method, path, group in ENDPOINTS:  # one check each (also warms the search index)
        try:
            status = httpx.request(method, base + path, timeout=30,
                                   json=VRAAGWIJZER_BODY if method == "POST" else None).status_code
        except httpx.HTTPError as e:
            status = type(e).__name__
        print(f"  controle {method:4} {path}: {status}")
        ok = isinstance(status, int) and 200 <= status < 300
        result = None
        if ok:
            try:
                result = run_wrk(base + path, args, lua if method == "POST" else None)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                status = f"{status}, wrk faalde: {str(e).splitlines()[0]}"
        rows.append((f"{method} {path}" if method == "POST" else path, group, status, result))

    base_rps = rows[0][3]["rps"] if rows[0][3] else None
    print(f"\n  {'endpoint':52} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  doel")
    for name, group, status, r in rows:
        if r is None:
            print(f"  {name:52} niet beschikbaar (status {status})")
            continue
        ratio = r["rps"] / base_rps if base_rps else float("nan")
        goal = RATIO_GOALS.get(group)
        verdict = "maatstaf" if goal is None else f"≥ {goal:.1f} {'OK' if ratio >= goal else 'onder doel'}"
        note = f"  ({r['note']})" if r["note"] else ""
        print(f"  {name:52} {r['rps']:9.0f} {r['p50']:8.2f} {r['p99']:8.2f} {ratio:6.2f}  {verdict}{note}")


class AssetParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").lower().split():
            url = a.get("href")
        elif tag in ("script", "img"):
            url = a.get("src")
        else:
            return
        if url and not url.startswith("data:") and url not in self.urls:
            self.urls.append(url)


def is_map_asset(url: str) -> bool:
    parts = urlsplit(url).path.split("/")
    return parts[-1] == "kaart.js" or any(p.lower().startswith("leaflet") for p in parts)


def page_weight(client: httpx.Client, base: str, path: str) -> dict | None:
    """Gzip-transferred bytes of the HTML and the CSS/JS/images it references (map assets apart)."""
    r = client.get(base + path)
    if r.status_code != 200:
        print(f"  {path}: niet beschikbaar (status {r.status_code})")
        return None
    parser = AssetParser()
    parser.feed(r.text)
    w = {"html": r.num_bytes_downloaded, "rest": 0, "map": 0, "n": 0, "extern": [], "mis": []}
    for url in parser.urls:
        full = urljoin(base + path, url)
        if urlsplit(full).netloc != urlsplit(base).netloc:
            w["extern"].append(url)
            continue
        a = client.get(full)
        if a.status_code != 200:
            w["mis"].append(f"{url} ({a.status_code})")
        w["map" if is_map_asset(url) else "rest"] += a.num_bytes_downloaded
        w["n"] += 1
    extra = f"; extern, niet geteld: {', '.join(w['extern'])}" if w["extern"] else ""
    extra += f"; ONTBREEKT: {', '.join(w['mis'])}" if w["mis"] else ""
    print(f"  {path}: html {w['html'] / 1000:.1f} KB, {w['n']} bestand(en), zonder kaart "
          f"{(w['html'] + w['rest']) / 1000:.1f} KB, kaartbestanden {w['map'] / 1000:.1f} KB{extra}")
    return w


def page_weights(base: str) -> None:
    print("\n== Paginagewicht (gzip over de lijn, 1 KB = 1000 bytes, zonder kaarttegels) ==")
    with httpx.Client(headers={"Accept-Encoding": "gzip"}, timeout=30) as client:
        pages = {p: page_weight(client, base, p) for p in ("/", "/zoeken?q=schulden")}
    home = pages["/"]
    if home:
        kb = (home["html"] + home["rest"]) / 1000
        print(f"  startpagina zonder kaart: {kb:.1f} KB, doel ≤ {PAGE_GOAL_NO_MAP_KB} KB: "
              f"{'OK' if kb <= PAGE_GOAL_NO_MAP_KB else 'onder doel'}")
    with_map = {p: (w["html"] + w["rest"] + w["map"]) / 1000 for p, w in pages.items() if w and w["map"]}
    for p, kb in with_map.items():
        print(f"  {p} met kaart: {kb:.1f} KB, doel ≤ {PAGE_GOAL_MAP_KB} KB: "
              f"{'OK' if kb <= PAGE_GOAL_MAP_KB else 'onder doel'}")
    if not with_map:
        print("  pagina met kaart: geen pagina gevonden die leaflet/kaart.js laadt")


# The mixed workload: what residents do, in these shares. Search words are residents' own (B1, as typed).
MIXED_SHARES = {"zoeken": 0.6, "locatiepagina": 0.2, "vraagwijzer": 0.1, "kaartdata": 0.1}
RESIDENT_WORDS = [
    "schulden", "geld tekort", "rekeningen niet betalen", "eenzaam", "alleen thuis", "opvoeding", "puber", "huiswerk",
    "taalles", "nederlands leren", "werk zoeken", "vrijwilligerswerk", "mantelzorg", "dementie", "rolstoel",
    "hulp in de huishouding", "ruzie thuis", "somber", "alcohol", "voedselbank", "kleding", "formulieren invullen",
    "belasting", "scheiding", "huur betalen", "inloop", "koffie", "sporten", "zwanger", "jongeren",
]
POSTCODES = ["7551 AB", "7552", "7553", "7555", "7556", "7558", "7559"]
VRAAGWIJZER_ANSWERS = [  # API bodies and page-flow answers: (themes, own words, voor wie, haast, postcode)
    (["schulden"], None, "mezelf", False, "7551AB"),
    (["opvoeden"], None, "kind", False, "7552"),
    ([], "ik kan mijn huur niet meer betalen", "mezelf", True, "7553"),
    ([], "mijn moeder wordt vergeetachtig en ik zorg voor haar", "mezelf", False, "7555"),
    (["eenzaamheid"], None, "ander", False, "7556"),
    (["werk"], "ik zoek werk maar spreek nog weinig nederlands", "mezelf", False, ""),
]
PG_MAX_CONNECTIONS = 100  # PostgreSQL's default; one worker uses at most pool + overflow (15) of them


def vraagwijzer_token(client: httpx.Client, themas: list[str], voor_wie: str, haast: bool, postcode: str) -> str:
    """The result page's URL, made the way a resident gets it: the five form steps of the vraagwijzer."""
    token, location = "", ""
    steps = [("", {"gevaar": "nee"}), ("/onderwerp", {"thema": themas or ["anders"]}),
             ("/voor-wie", {"voor_wie": voor_wie}), ("/haast", {"haast": "ja" if haast else "nee"}),
             ("/postcode", {"postcode": postcode})]
    for step, fields in steps:
        r = client.post("/vraagwijzer" + step, data={**fields, "s": token}, follow_redirects=False)
        location = r.headers.get("location", "")
        if r.status_code != 303 or "s=" not in location:
            raise RuntimeError(f"vraagwijzer-stap {step or '/'} gaf {r.status_code}")
        token = re.search(r"[?&]s=([^&]+)", location).group(1)
    return location


def mixed_plan(base: str, url: str) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Per group the real requests to choose from: (method, path, JSON body). Slugs and wijk codes come from the
    seeded database; every request is checked once here (this also fills the caches, as a running site has them)."""
    from sqlmodel import Session, select

    from app.db import get_engine
    from app.models import Location, Wijk, zichtbare_locatie

    engine = get_engine(url)
    with Session(engine) as s:
        slugs = s.exec(select(Location.slug).where(zichtbare_locatie()).order_by(Location.slug)).all()
        wijken = s.exec(select(Wijk.code).order_by(Wijk.code)).all()
    engine.dispose()
    search = [f"/zoeken?q={w}" for w in RESIDENT_WORDS]
    search += [f"/zoeken?q={w}&postcode={p}" for w, p in zip(RESIDENT_WORDS[::3], POSTCODES * 2, strict=False)]
    with httpx.Client(base_url=base, timeout=30) as client:
        pages = [vraagwijzer_token(client, t, v, h, p) for t, _, v, h, p in VRAAGWIJZER_ANSWERS]
    api = [{"gevaar": False, "themas": t, "voor_wie": v, "haast": h, "postcode": p or None,
            **({"vraag": q} if q else {})} for t, q, v, h, p in VRAAGWIJZER_ANSWERS]
    plan = {
        "zoeken": [("GET", u, None) for u in search],
        "locatiepagina": [("GET", f"/locaties/{slug}", None) for slug in slugs],
        # The page flow's result and the API, one of each per answer set.
        "vraagwijzer": [("GET", u, None) for u in pages] + [("POST", "/api/v1/vraagwijzer", b) for b in api],
        # What templates/_kaart.html makes the map ask: every location (home, /wijken), a wijk's, a search's, and
        # the wijk outlines.
        "kaartdata": [("GET", "/api/v1/locaties.geojson", None), ("GET", "/api/v1/wijken", None),
                      ("GET", "/api/v1/locaties.geojson?search=schulden", None)]
                     + [("GET", f"/api/v1/locaties.geojson?wijk={code}", None) for code in wijken],
    }
    with httpx.Client(base_url=base, timeout=30) as client:
        for group, requests in plan.items():
            for method, path, body in requests:
                status = client.request(method, path, json=body).status_code
                if status != 200:
                    raise RuntimeError(f"{group}: {method} {path} gaf {status}")
    return plan


async def load(base: str, plan: dict[str, list], shares: dict[str, float], seconds: float, clients: int) -> dict:
    """`clients` clients, each sending its next request as soon as the last is answered, for `seconds`: per group
    the latencies (ms) and the failures (a status other than 200, or no answer)."""
    groups, weights = list(shares), list(shares.values())
    out = {g: {"ms": [], "errors": Counter()} for g in groups}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def one_client(client: httpx.AsyncClient, rng: random.Random, deadline: float) -> None:
        while time.monotonic() < deadline:
            group = rng.choices(groups, weights)[0]
            method, path, body = rng.choice(plan[group])
            t = time.perf_counter()
            try:
                status = (await client.request(method, path, json=body)).status_code
            except httpx.HTTPError as e:
                status = type(e).__name__
            out[group]["ms"].append((time.perf_counter() - t) * 1000)
            if status != 200:
                out[group]["errors"][f"{method} {path.split('?')[0]}: {status}"] += 1

    async with httpx.AsyncClient(base_url=base, timeout=10, limits=limits) as client:
        started, cpu = time.monotonic(), time.process_time()
        deadline = started + seconds
        await asyncio.gather(*(one_client(client, random.Random(i), deadline) for i in range(clients)))
        out["_elapsed"] = time.monotonic() - started
        # The load generator's own CPU share: near 100 % it, not the server, sets the pace.
        out["_cpu"] = (time.process_time() - cpu) / out["_elapsed"]
    return out


def summarise(ms: list[float], elapsed: float) -> dict:
    cuts = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    return {"n": len(ms), "rps": len(ms) / elapsed, "p50": cuts[49], "p99": cuts[98]}


def mixed_bench(base: str, url: str, label: str, args) -> dict:
    """The mixed workload on one database, after /healthz with the same clients as the yardstick."""
    plan = mixed_plan(base, url)
    sizes = ", ".join(f"{g} {len(r)}" for g, r in plan.items())
    print(f"\n  {label}: {args.clients} clients, {args.mixed_seconds:g} s gemengd (verschillende verzoeken: {sizes})")
    health = asyncio.run(load(base, {"basis": [("GET", "/healthz", None)]}, {"basis": 1.0},
                              min(5.0, args.mixed_seconds), args.clients))
    mixed = asyncio.run(load(base, plan, MIXED_SHARES, args.mixed_seconds, args.clients))
    elapsed, cpu = mixed.pop("_elapsed"), mixed.pop("_cpu")
    base_row = summarise(health["basis"]["ms"], health["_elapsed"])
    total = summarise([m for g in MIXED_SHARES for m in mixed[g]["ms"]], elapsed)
    errors = sum((mixed[g]["errors"] for g in MIXED_SHARES), Counter()) + health["basis"]["errors"]
    print(f"    {'groep':16} {'aandeel':>8} {'verzoeken':>10} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'fouten':>7}")
    for group, share in MIXED_SHARES.items():
        r = summarise(mixed[group]["ms"], elapsed)
        print(f"    {group:16} {r['n'] / total['n']:7.0%} {r['n']:10} {r['rps']:8.0f} {r['p50']:8.2f} "
              f"{r['p99']:8.2f} {sum(mixed[group]['errors'].values()):7}   (doel {share:.0%})")
    print(f"    {'gemengd totaal':16} {'':>8} {total['n']:10} {total['rps']:8.0f} {total['p50']:8.2f} "
          f"{total['p99']:8.2f} {sum(errors.values()) - sum(health['basis']['errors'].values()):7}")
    print(f"    {'/healthz':16} {'':>8} {base_row['n']:10} {base_row['rps']:8.0f} {base_row['p50']:8.2f} "
          f"{base_row['p99']:8.2f} {sum(health['basis']['errors'].values()):7}   (maatstaf, zelfde clients)")
    print(f"    CPU van de lader zelf: {health['_cpu']:.0%} bij /healthz, {cpu:.0%} gemengd (van één kern)")
    for what, n in errors.most_common(5):
        print(f"    FOUT {n}x {what}")
    return {"label": label, **total, "errors": sum(errors.values()), "ratio": total["rps"] / base_row["rps"]}


def mixed_summary(rows: list[dict], args) -> None:
    print(f"\n== Gemengde belasting: samenvatting ({args.clients} clients, {args.mixed_seconds:g} s per database) ==")
    print(f"  {'database':12} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'fouten':>7} {'ratio':>6}")
    for r in rows:
        print(f"  {r['label']:12} {r['rps']:8.0f} {r['p50']:8.2f} {r['p99']:8.2f} {r['errors']:7} {r['ratio']:6.2f}"
              f"  {'OK' if r['errors'] == 0 else 'FOUTEN: moet 0 zijn'}")


def mixed_on_postgres(tmp: Path, args) -> dict | None:
    try:
        cluster = PgCluster("wijkentree-bench-pg-", max_connections=PG_MAX_CONNECTIONS)
    except PostgresOntbreekt as e:
        print(f"\n  {e}; overgeslagen")
        return None
    with cluster:
        print(f"  PostgreSQL {cluster.version}: tijdelijk cluster op 127.0.0.1:{cluster.port}")
        url = prepare_db(tmp, cluster.url, "PostgreSQL")
        port = free_port()
        server = start_server(tmp, url, port)
        try:
            return mixed_bench(f"http://127.0.0.1:{port}", url, "PostgreSQL", args)
        finally:
            stop_server(server)


def add_synthetic(url: str, n: int) -> None:
    """N made-up services, each at its own random point in Hengelo, with 1-3 themes and a laag. One commit."""
    from sqlmodel import Session, select

    from app.db import get_engine
    from app.models import Attribute, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm, new_id
    from app.seed import rows

    rng = random.Random(20251)
    vocab = sorted({w for r in rows() for w in re.findall(r"[a-zà-ÿ]{3,}", r["omschrijving_b1"].lower())})
    with Session(get_engine(url)) as s:
        terms = {(tax, code): tid for tid, code, tax in s.exec(
            select(TaxonomyTerm.id, TaxonomyTerm.code, Taxonomy.name).where(TaxonomyTerm.taxonomy_id == Taxonomy.id))}
        themas = sorted(c for t, c in terms if t == "thema")
        lagen = sorted(c for t, c in terms if t == "laag" and c != "spoed")
        objects = []
        for i in range(n):
            sid, lid = new_id(), new_id()
            name = " ".join(rng.sample(vocab, rng.randint(2, 4))).capitalize()
            description = " ".join(rng.choices(vocab, k=rng.randint(15, 40))).capitalize() + "."
            objects += [
                Service(id=sid, slug=f"synthetisch-{i}", name=name, description=description),
                Location(id=lid, slug=f"synthetisch-{i}", name=name, plaatsing="exact",
                         latitude=rng.uniform(*HENGELO_BBOX[0]), longitude=rng.uniform(*HENGELO_BBOX[1])),
                ServiceAtLocation(service_id=sid, location_id=lid),
                Attribute(link_id=sid, taxonomy_term_id=terms[("laag", rng.choice(lagen))]),
            ]
            objects += [Attribute(link_id=sid, taxonomy_term_id=terms[("thema", t)])
                        for t in rng.sample(themas, rng.randint(1, 3))]
        s.add_all(objects)
        s.commit()


def time_search(url: str, label: str, goal_ms: float | None, args) -> None:
    from sqlmodel import Session

    from app import search
    from app.db import get_engine

    queries = {"Query(q='schulden')": search.Query(q="schulden"),
               "Query(point=centrum, themas=('opvoeden',))": search.Query(point=HENGELO_CENTRUM, themas=("opvoeden",))}
    with Session(get_engine(url)) as session:
        t0 = time.perf_counter()
        index = search.get_index(session)  # the first call builds the index
        print(f"  {label}: index bouwen {(time.perf_counter() - t0) * 1000:.0f} ms ({len(index.docs)} diensten)")
        for name, query in queries.items():
            times, deadline = [], time.monotonic() + args.search_seconds
            while len(times) < args.iterations and (len(times) < 20 or time.monotonic() < deadline):
                t = time.perf_counter()
                result = search.search(session, query)
                times.append((time.perf_counter() - t) * 1000)
            median, p95 = statistics.median(times), statistics.quantiles(times, n=20)[-1]
            verdict = ("geen doel bij dit aantal" if goal_ms is None else
                       f"doel mediaan < {goal_ms:g} ms: {'OK' if median < goal_ms else 'onder doel'}")
            print(f"    {name:44} mediaan {median:7.2f} ms  p95 {p95:7.2f} ms  "
                  f"({len(times)}x, {len(result.hits)} treffers)  {verdict}")


def machine_facts(args) -> None:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else "?"
    wrk = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[:1] \
        if shutil.which("wrk") else []
    print("== Machine ==")
    print(f"  nproc {len(os.sched_getaffinity(0))} ({cpu}); Python {platform.python_version()}; "
          f"{platform.platform()}; {(wrk or ['wrk ?'])[0].split(' Copyright')[0]}")
    print(f"  instellingen: -t{args.threads} -c{args.connections} -d{args.duration}s; "
          f"synthetisch {'overgeslagen' if args.skip_synthetic else args.synthetic}; gemengd {args.clients} clients "
          f"{args.mixed_seconds:g} s per database{' (alleen SQLite)' if args.skip_postgres else ''}")


def main() -> int:
    p = argparse.ArgumentParser(description="Wijkentree Hengelo benchmark (alleen 127.0.0.1)")
    p.add_argument("--duration", type=int, default=5, help="seconden wrk per endpoint (5)")
    # One wrk thread: on a 2-core machine a second one takes the core the (single) server needs.
    p.add_argument("--threads", type=int, default=1, help="wrk-threads (1)")
    p.add_argument("--connections", type=int, default=8, help="wrk-verbindingen (8)")
    p.add_argument("--mixed-seconds", type=float, default=20.0, help="seconden gemengde belasting per database (20)")
    p.add_argument("--clients", type=int, default=8, help="gelijktijdige clients bij de gemengde belasting (8)")
    p.add_argument("--skip-postgres", action="store_true", help="gemengde belasting alleen op SQLite")
    p.add_argument("--mixed-only", action="store_true", help="alleen de gemengde belasting (geen wrk, paginagewicht "
                                                             "of zoekfunctie)")
    p.add_argument("--synthetic", type=int, default=10_000, help="aantal synthetische diensten (10000)")
    p.add_argument("--skip-synthetic", action="store_true", help="sla de meting met synthetische diensten over")
    p.add_argument("--iterations", type=int, default=300, help="hoogstens zoveel zoekopdrachten per meting (300)")
    p.add_argument("--search-seconds", type=float, default=3.0, help="hoogstens zo lang per zoekmeting (3)")
    args = p.parse_args()
    args.threads = min(args.threads, args.connections)
    if not args.mixed_only and not shutil.which("wrk"):
        sys.exit("wrk ontbreekt: sudo apt-get install -y wrk (of: make bench)")

    started = time.monotonic()
    machine_facts(args)
    tmp = Path(tempfile.mkdtemp(prefix="wijkentree-bench-"))
    try:
        print("\n== Database ==")
        db = prepare_db(tmp, f"sqlite:///{tmp / 'bench.db'}", "bench.db")
        port = free_port()
        server = start_server(tmp, db, port)
        try:
            if not args.mixed_only:
                http_bench(f"http://127.0.0.1:{port}", args, tmp)
                page_weights(f"http://127.0.0.1:{port}")
            print("\n== Gemengde belasting: zoeken 60 %, locatiepagina's 20 %, vraagwijzer 10 %, kaartdata 10 % "
                  "(httpx, asynchroon) ==")
            mixed = [mixed_bench(f"http://127.0.0.1:{port}", db, "SQLite", args)]
        finally:
            stop_server(server)
        if not args.skip_postgres:
            mixed += filter(None, [mixed_on_postgres(tmp, args)])
        mixed_summary(mixed, args)

        os.environ.pop("GEOCODER_URL", None)
        if not args.mixed_only:
            print("\n== Zoekfunctie in het proces (app.search.search, geen HTTP) ==")
            time_search(db, "seed", SEARCH_GOAL_SEED_MS, args)
        if not args.mixed_only and not args.skip_synthetic and args.synthetic > 0:
            synth = prepare_db(tmp, f"sqlite:///{tmp / 'synthetisch.db'}", "synthetisch.db")
            t0 = time.perf_counter()
            add_synthetic(synth, args.synthetic)
            print(f"  {args.synthetic} synthetische diensten toegevoegd in {time.perf_counter() - t0:.1f} s")
            goal = SEARCH_GOAL_10K_MS if args.synthetic <= 10_000 else None
            time_search(synth, f"seed + {args.synthetic} synthetisch", goal, args)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nKlaar in {time.monotonic() - started:.0f} s.")
    failed = [r["label"] for r in mixed if r["errors"]]
    if failed:
        print(f"Fouten bij de gemengde belasting op {', '.join(failed)}: die moeten 0 zijn.", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
