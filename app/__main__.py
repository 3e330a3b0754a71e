"""Command line: python -m app db upgrade | seed [--refresh] | check-data | serve"""
import argparse
import csv
import sys

from sqlmodel import Session

from app.config import get_settings
from app.db import get_engine, upgrade_db
from app.seed import check_data, seed
from app.wijkentree import CSV_COLUMNS, import_wijkentrees


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app", description="Wijkentree Hengelo")
    sub = parser.add_subparsers(dest="command", required=True)
    db = sub.add_parser("db", help="database")
    db.add_argument("action", choices=["upgrade"])
    s = sub.add_parser("seed", help="load the seed data (adds what is missing)")
    s.add_argument("--refresh", action="store_true", help="also overwrite seed fields of existing listings")
    sub.add_parser("check-data", help="validate the seed files and list what each listing misses")
    w = sub.add_parser("wijkentree", help="mark the wijkentree locations from a CSV file (the official list)")
    w.add_argument("file", help="CSV with columns: " + ", ".join(CSV_COLUMNS))
    w.add_argument("--alleen-deze", action="store_true", help="unmark every wijkentree not in the file")
    o = sub.add_parser("opruimen", help="delete contact requests past their retention period")
    o.add_argument("--dry-run", action="store_true", help="only count, delete nothing")
    sub.add_parser("sleutel-roteren", help="re-encrypt every contact request with the first CONTACT_SLEUTELS key")
    sub.add_parser("serve", help="start the web server (HOST, PORT)")
    args = parser.parse_args(argv)

    if args.command == "db":
        upgrade_db()
        print("Database is bijgewerkt.")
    elif args.command == "seed":
        with Session(get_engine()) as session:
            counts = seed(session, refresh=args.refresh)
        print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    elif args.command == "check-data":
        return _check_data()
    elif args.command == "wijkentree":
        with open(args.file, encoding="utf-8-sig", newline="") as f, Session(get_engine()) as session:
            try:
                counts = import_wijkentrees(session, list(csv.DictReader(f)), only_these=args.alleen_deze)
            except ValueError as e:
                print(e, file=sys.stderr)
                return 1
        print(f"{counts['gemarkeerd']} wijkentree-locaties gemarkeerd, waarvan {counts['nieuw']} nieuw.")
    elif args.command in ("opruimen", "sleutel-roteren"):
        from app.data import contact

        with Session(get_engine()) as session:
            if args.command == "sleutel-roteren":
                print(f"{contact.herversleutelen(session)} contactverzoeken opnieuw versleuteld.")
            else:
                n = contact.opruimen(session, dry_run=args.dry_run)
                print(f"{'Zou verwijderen' if args.dry_run else 'Verwijderd'}: {n['afgehandeld']} afgehandelde en "
                      f"{n['niet_afgehandeld']} niet-afgehandelde contactverzoeken.")
    elif args.command == "serve":
        import uvicorn

        settings = get_settings()
        # No access log: URLs may hold a postcode, and we keep nothing that ties a postcode to a question.
        uvicorn.run("app.main:app", host=settings.host, port=settings.port, proxy_headers=True, access_log=False,
                    server_header=False)
    return 0


def _check_data() -> int:
    problems, totals = check_data()
    errors = [p for p in problems if p.errors]
    for p in problems:
        line = f"{p.id}: mist " + ", ".join(p.missing) if p.missing else p.id
        if p.errors:
            line += " | FOUT: " + "; ".join(p.errors)
        print(line)
    print(f"\n{totals['rijen']} vermeldingen in {totals['bestanden']} bestanden; "
          f"{len(problems)} met iets dat ontbreekt; {len(errors)} met een fout.")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
