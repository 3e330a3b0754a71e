"""Search engines on PostgreSQL: p50/p95/p99 of app.search.search() with the in-process index and with PostgreSQL.

The seed listings plus N synthetic services (bench/run.py add_synthetic, default 10,000) in a new database on a
PostgreSQL server with PostGIS: --server, or else a throw-away cluster (initdb + pg_ctl on a free port, as the
postgres user when run as root, removed at the end: scripts/pg_cluster.py). Goal: p99 < 50 ms with
SEARCH_BACKEND=postgres. Exit status 1 when a goal is missed or the two engines disagree.
"""
import argparse
import os
import statistics
import sys
import time
import uuid
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("RATE_LIMITS", "false")

from run import HENGELO_CENTRUM, add_synthetic  # noqa: E402  (bench/run.py, next to this file)

from scripts.pg_cluster import PgCluster, PostgresOntbreekt  # noqa: E402  (the repo root, just added)

GOAL_P99_MS = 50.0


def new_database(server: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"zoekbench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(server).set(database=name).render_as_string(hide_password=False)


def measure(url: str, args) -> bool:
    from sqlmodel import Session

    from app import search
    from app.db import get_engine
    from app.zoekmachine_postgres import POSTGRES

    queries = {
        "tekst: 'schulden'": search.Query(q="schulden"),
        "tekst: 'ik voel me eenzaam'": search.Query(q="ik voel me eenzaam"),
        "punt + thema: centrum, opvoeden": search.Query(point=HENGELO_CENTRUM, themas=("opvoeden",)),
    }
    ok = True
    with Session(get_engine(url)) as session:
        t0 = time.perf_counter()
        index = search.get_index(session)
        print(f"  index bouwen {(time.perf_counter() - t0) * 1000:.0f} ms ({len(index.docs)} diensten)")
        for name, query in queries.items():
            a = [h.service_id for h in search.search(session, query, search.INDEX).hits]
            b = [h.service_id for h in search.search(session, query, POSTGRES).hits]
            # With 10,000 random points, listings a few centimetres apart in distance can swap places: RD New (the
            # index) and the spheroid (PostGIS) differ by up to 1 m, and distances are whole metres.
            same = set(a) == set(b) and a[:1] == b[:1]
            ok &= same
            print(f"  {name}: {len(a)} treffers; zelfde treffers en eerste: {'ja' if same else 'NEE'}; "
                  f"zelfde volgorde: {'ja' if a == b else f'{sum(x != y for x, y in zip(a, b, strict=False))} plaatsen anders'}")
            for machine in (search.INDEX, POSTGRES):
                times = []
                for _ in range(args.iterations):
                    t = time.perf_counter()
                    search.search(session, query, machine)
                    times.append((time.perf_counter() - t) * 1000)
                cuts = statistics.quantiles(times, n=100)
                p50, p95, p99 = statistics.median(times), cuts[94], cuts[98]
                verdict = ""
                if machine is POSTGRES:
                    verdict = f"  doel p99 < {GOAL_P99_MS:g} ms: {'OK' if p99 < GOAL_P99_MS else 'onder doel'}"
                    ok &= p99 < GOAL_P99_MS
                print(f"    {machine.naam:8} p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  p99 {p99:7.2f} ms"
                      f"  ({len(times)}x){verdict}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", help="SQLAlchemy URL of a PostgreSQL server with PostGIS (a new database is made"
                                         " on it); default: a throw-away cluster")
    parser.add_argument("--synthetic", type=int, default=10000, help="synthetic services (10000)")
    parser.add_argument("--iterations", type=int, default=300, help="searches per query and engine (300)")
    args = parser.parse_args()

    from sqlmodel import Session

    from app.db import get_engine, upgrade_db
    from app.seed import seed

    try:
        cluster = PgCluster("wijkentree-zoek-pg-", postgis=True) if args.server is None else None
    except PostgresOntbreekt as e:
        sys.exit(f"{e}; of geef --server.")
    with cluster or nullcontext():
        url = new_database(args.server if cluster is None else cluster.url)
        upgrade_db(url)
        with Session(get_engine(url)) as session:
            seed(session)
        add_synthetic(url, args.synthetic)
        print(f"PostgreSQL, seed + {args.synthetic} synthetische diensten; nproc {os.cpu_count()}")
        ok = measure(url, args)
        get_engine(url).dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
