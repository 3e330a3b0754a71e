"""Accounts and machine tokens (app/data/accounts.py, app/toegang.py): made by the CLI, used through HTTP."""
import io
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.__main__ import main
from app.data import accounts
from app.data.core import SYSTEEM
from app.models import ApiToken, Audit, Gebruiker, Organization, Sessie, utcnow

STATS = "/api/v1/statistiek/vraagwijzer"


def _token(capsys, *args: str) -> str:
    assert main(["token", "create", *args]) == 0
    return capsys.readouterr().out.strip()


def test_a_token_made_by_the_cli_opens_the_staff_statistics_and_is_stored_only_as_a_hash(client, engine, capsys):
    token = _token(capsys, "--naam", "kcc-test", "--rol", "medewerker", "--dagen", "30")
    assert token.startswith("wkt_")
    assert client.get(STATS, headers={"authorization": f"Bearer {token}"}).status_code == 200
    with Session(engine) as s:
        row = s.exec(select(ApiToken).where(ApiToken.naam == "kcc-test")).one()
        assert row.token_hash == accounts.sha256(token) and token not in row.token_hash
        audit = s.exec(select(Audit).where(Audit.object_id == row.id)).one()
        assert audit.actie == "aangemaakt" and token not in (audit.na or "")
    assert main(["token", "list"]) == 0
    assert "kcc-test\tmedewerker\tgeldig tot" in capsys.readouterr().out
    assert main(["token", "revoke", "kcc-test"]) == 0
    revoked = client.get(STATS, headers={"authorization": f"Bearer {token}"})
    assert revoked.status_code == 401 and "Log in" in revoked.json()["detail"]


def test_a_redacteur_token_may_not_read_the_staff_statistics(client, engine, capsys):
    with Session(engine) as s:
        org_id = s.exec(select(Organization.id)).first()
    token = _token(capsys, "--naam", "redactie-test", "--rol", "redacteur", "--organisatie", org_id)
    answer = client.get(STATS, headers={"authorization": f"Bearer {token}"})
    assert answer.status_code == 403 and "medewerker" in answer.json()["detail"]


def test_an_unknown_or_expired_token_gets_401(client, engine, capsys):
    token = _token(capsys, "--naam", "verlopen-test", "--rol", "beheerder")
    with Session(engine) as s:
        row = s.exec(select(ApiToken).where(ApiToken.naam == "verlopen-test")).one()
        row.verloopt = utcnow() - timedelta(days=1)
        s.add(row)
        s.commit()
    for bad in (token, "wkt_verzonnen", "x" * 500):
        assert client.get(STATS, headers={"authorization": f"Bearer {bad}"}).status_code == 401


def test_wrong_tokens_are_throttled_per_address(client, rate_limits_on, monkeypatch):
    monkeypatch.setattr(rate_limits_on, "limiet_inloggen_adres", 3)
    codes = [client.get(STATS, headers={"authorization": "Bearer wkt_fout"}).status_code for _ in range(5)]
    assert codes[:3] == [401, 401, 401] and codes[-1] == 429
    last = client.get(STATS, headers={"authorization": "Bearer wkt_fout"})
    assert int(last.headers["retry-after"]) > 0 and "te vaak" in last.json()["detail"]


@pytest.mark.parametrize("args, message", [
    (["--naam", "x1", "--rol", "redacteur"], "organisatie"),
    (["--naam", "x2", "--rol", "medewerker", "--dagen", "0"], "dagen"),
    (["--rol", "medewerker"], "--naam"),
])
def test_the_cli_refuses_a_wrong_token_in_dutch(capsys, args, message):
    assert main(["token", "create", *args]) == 1
    assert message in capsys.readouterr().err


def test_user_create_reads_the_password_from_stdin_and_stores_an_argon2_hash(engine, monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("een-lang-wachtwoord-2026\n"))
    assert main(["user", "create", "--email", "Beheer@Wijkracht.nl", "--naam", "Beheer", "--rol", "beheerder"]) == 0
    with Session(engine) as s:
        user = s.exec(select(Gebruiker).where(Gebruiker.email == "beheer@wijkracht.nl")).one()
        assert user.wachtwoord_hash.startswith("$argon2id$")
        assert accounts.controleer_wachtwoord(s, "beheer@wijkracht.nl", "een-lang-wachtwoord-2026").id == user.id
        assert accounts.controleer_wachtwoord(s, "beheer@wijkracht.nl", "fout") is None
        assert accounts.controleer_wachtwoord(s, "niemand@wijkracht.nl", "een-lang-wachtwoord-2026") is None
    monkeypatch.setattr("sys.stdin", io.StringIO("kort\n"))
    assert main(["user", "create", "--email", "b@wijkracht.nl", "--naam", "B", "--rol", "medewerker"]) == 1
    assert "12" in capsys.readouterr().err


def test_a_session_expires_when_idle_or_too_old_and_ends_on_logout(fresh_db):
    with Session(fresh_db) as s:
        user = accounts.maak_gebruiker(s, SYSTEEM, "m@wijkracht.nl", "M", "medewerker", "een-lang-wachtwoord")
        idle, maximum = timedelta(minutes=30), timedelta(hours=12)
        cookie = accounts.nieuwe_sessie(s, user)
        sessie, _ = accounts.sessie_van(s, cookie, idle, maximum)
        assert sessie.id == accounts.sha256(cookie)
        assert accounts.sessie_van(s, cookie, idle, maximum, nu=utcnow() + timedelta(minutes=31)) is None
        assert s.get(Sessie, accounts.sha256(cookie)) is None  # an expired session is removed
        cookie = accounts.nieuwe_sessie(s, user)
        assert accounts.sessie_van(s, cookie, idle, maximum, nu=utcnow() + timedelta(hours=13)) is None
        cookie = accounts.nieuwe_sessie(s, user)
        accounts.beeindig_sessie(s, accounts.sha256(cookie))
        assert accounts.sessie_van(s, cookie, idle, maximum) is None


def test_the_shared_staff_token_moves_into_a_named_token_and_keeps_working(client, engine, capsys):
    # STAFF_TOKEN is "test-medewerker-token" in the tests: after the move it is a token of its own, which a
    # beheerder can revoke alone, and the shared setting can be unset.
    assert main(["token", "create", "--naam", "kcc-oud", "--rol", "medewerker", "--van-staff-token"]) == 0
    uit = capsys.readouterr()
    assert "test-medewerker-token" not in uit.out + uit.err
    with Session(engine) as s:
        row = s.exec(select(ApiToken).where(ApiToken.naam == "kcc-oud")).one()
        assert row.token_hash == accounts.sha256("test-medewerker-token")
    assert main(["token", "create", "--naam", "kcc-twee", "--rol", "medewerker", "--van-staff-token"]) == 1
    assert "al opgeslagen" in capsys.readouterr().err
    assert main(["token", "revoke", "kcc-oud"]) == 0
