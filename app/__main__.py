"""Command line: python -m app db upgrade | seed [--refresh] | check-data | import FILE [--dry-run] | serve"""
import argparse
import csv
import getpass
import sys

from sqlmodel import Session

from app.config import get_settings
from app.data.core import ROLLEN
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
    t = sub.add_parser("token", help="machine tokens for the API: create (shown once), list, revoke")
    t.add_argument("action", choices=["create", "list", "revoke"])
    t.add_argument("naam", nargs="?", help="the token's name (revoke)")
    t.add_argument("--naam", dest="naam_optie")
    t.add_argument("--rol", choices=ROLLEN)
    t.add_argument("--organisatie", action="append", default=[], help="ORG_ID (a redacteur's organisation)")
    t.add_argument("--dagen", type=int, default=365)
    t.add_argument("--van-staff-token", action="store_true",
                   help="store today's STAFF_TOKEN as this token, so integrations keep working; then unset STAFF_TOKEN")
    u = sub.add_parser("user", help="a person's account; the password is read from standard input")
    u.add_argument("action", choices=["create"])
    u.add_argument("--email", required=True)
    u.add_argument("--naam", required=True)
    u.add_argument("--rol", choices=ROLLEN, required=True)
    u.add_argument("--organisatie", action="append", default=[])
    i = sub.add_parser("import", help="read listings from a CSV in the format of /api/v1/beheer/export.csv, or an "
                                      "HSDS 3.0 zip (FILE ends in .zip)")
    i.add_argument("file")
    i.add_argument("--dry-run", action="store_true", help="only show what would change, write nothing")
    sub.add_parser("serve", help="start the web server (HOST, PORT)")
    v = sub.add_parser("vertalingen", help="bring the translation catalogues (app/locale) up to date with the texts")
    v.add_argument("talen", nargs="*", help="language codes (default: all)")
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
    elif args.command in ("token", "user"):
        return _accounts(args)
    elif args.command == "import":
        return _importeer(args.file, args.dry_run)
    elif args.command == "vertalingen":
        from app.taal import VERTAALD
        from app.vertalingen import bijwerken

        for code, missen in bijwerken(tuple(args.talen) or VERTAALD).items():
            print(f"{code}: {missen} teksten zonder vertaling")
    elif args.command == "serve":
        import uvicorn

        settings = get_settings()
        # No access log: URLs may hold a postcode, and we keep nothing that ties a postcode to a question.
        uvicorn.run("app.main:app", host=settings.host, port=settings.port, proxy_headers=True, access_log=False,
                    server_header=False)
    return 0


def _accounts(args) -> int:
    from app.data import accounts
    from app.data.core import Wie

    wie = Wie("python -m app " + args.command)
    with Session(get_engine()) as session:
        try:
            if args.command == "user":
                # getpass does not echo on a terminal; piped input is read as one line.
                wachtwoord = getpass.getpass("Wachtwoord: ") if sys.stdin.isatty() else sys.stdin.readline().rstrip("\n")
                user = accounts.maak_gebruiker(session, wie, args.email, args.naam, args.rol, wachtwoord,
                                               args.organisatie)
                print(f"Account gemaakt voor {user.email} ({user.rol}).")
            elif args.action == "create":
                if not (args.naam_optie and args.rol):
                    print("Geef --naam en --rol op.", file=sys.stderr)
                    return 1
                geheim = None
                if args.van_staff_token:
                    geheim = get_settings().staff_token
                    if not geheim:
                        print("STAFF_TOKEN is niet ingesteld: er is niets over te zetten.", file=sys.stderr)
                        return 1
                nieuw = accounts.maak_token(session, wie, args.naam_optie, args.rol, args.organisatie, args.dagen,
                                            geheim=geheim)
                if geheim is None:
                    print(nieuw.geheim)
                print(f"Token '{nieuw.token.naam}' ({nieuw.token.rol}) geldt tot {nieuw.token.verloopt:%d-%m-%Y}. "
                      "Bewaar het nu: het wordt niet nog eens getoond.", file=sys.stderr)
            elif args.action == "list":
                for token, orgs in accounts.tokens(session):
                    staat = "ingetrokken" if token.ingetrokken else f"geldig tot {token.verloopt:%d-%m-%Y}"
                    print(f"{token.naam}\t{token.rol}\t{staat}\t{','.join(sorted(orgs))}")
            else:
                naam = args.naam or args.naam_optie
                if not naam:
                    print("Welk token? python -m app token revoke NAAM", file=sys.stderr)
                    return 1
                accounts.trek_token_in(session, wie, naam)
                print(f"Token '{naam}' is ingetrokken.")
        except accounts.AccountFout as e:
            print(e.bericht, file=sys.stderr)
            return 1
    return 0


def _importeer(pad: str, proef: bool) -> int:
    """The API's import from the command line (as the system): one line per row that changes or is refused."""
    from app.data import uitwisseling
    from app.data.core import Wie

    is_zip = pad.lower().endswith(".zip")
    with Session(get_engine()) as session:
        try:
            with open(pad, "rb") as f:
                inhoud = f.read()
            rijen = uitwisseling.lees_hsds_zip(session, inhoud) if is_zip else uitwisseling.lees_csv(inhoud)
        except (OSError, uitwisseling.Onleesbaar) as e:
            print(e, file=sys.stderr)
            return 1
        verslag = uitwisseling.importeer(session, Wie("python -m app import"), rijen, proef=proef,
                                         bron="services.csv" if is_zip else "")
    for u in verslag["rijen"]:
        if u["actie"] != "ongewijzigd":
            uitleg = "; ".join(f"{f['kolom']}: {f['msg']}" for f in u["fouten"]) or ", ".join(u["velden"])
            print(f"rij {u['rij']} {u['id']}: {u['actie']}" + (f" ({uitleg})" if uitleg else ""))
    print(verslag["detail"], ", ".join(f"{k}: {n}" for k, n in verslag["aantallen"].items()))
    return 1 if verslag["aantallen"]["geweigerd"] else 0


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
