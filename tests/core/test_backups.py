"""The backup procedure of docs/backups.md, for real: pg_dump a populated database, restore
it with pg_restore into a new one, compare every row, read every IBAN back, and replay an
erasure journaled after the dump (PostgreSQL client tools; ``CI_STRICT`` fails the skip)."""

import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from core.personal_data import person_erase
from donations.models import Debit, DebitBatch, Mandate, MandateAmendment
from donations.services import bank_file_create
from tests.factories import (
    CaseFactory,
    DebitFactory,
    DonorFactory,
    MandateFactory,
    MobilisationFigureFactory,
    OutcomeEventFactory,
    PetitionFactory,
    SignatureFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

IBANS = ["FR7630006000011234567890189", "DE89370400440532013000", "BE68539007547034"]
ROOT = Path(__file__).resolve().parents[2]


def _tools():
    missing = [tool for tool in ("pg_dump", "pg_restore", "createdb", "dropdb", "psql")
               if shutil.which(tool) is None]  # fmt: skip
    if missing:
        pytest.skip(
            f"needs the PostgreSQL client tools ({', '.join(missing)} missing): "
            "apt-get install postgresql-client"
        )


def _conninfo(name: str) -> dict:
    db = connection.settings_dict
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": str(db["PORT"] or 5432),
        "user": db["USER"] or "postgres",
        "password": db["PASSWORD"] or "",
        "dbname": name,
    }


def _env() -> dict:
    info = _conninfo(connection.settings_dict["NAME"])
    return {**os.environ, "PGHOST": info["host"], "PGPORT": info["port"],
            "PGUSER": info["user"], "PGPASSWORD": info["password"]}  # fmt: skip


def _run(*args):
    subprocess.run(args, check=True, env=_env(), capture_output=True, text=True)


def _rows(dbname: str) -> dict[str, list[str]]:
    """Every row of every table of the database, as JSON text, sorted."""
    with psycopg.connect(**_conninfo(dbname)) as db:
        tables = [row[0] for row in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        )]  # fmt: skip
        return {
            table: sorted(
                row[0]
                for row in db.execute(f'SELECT row_to_json(t)::text FROM "{table}" t')  # noqa: S608
            )
            for table in tables
        }


def _populate():
    for n in range(3):
        case = CaseFactory(slug=f"cas-{n}")
        OutcomeEventFactory(case=case)
        MobilisationFigureFactory(case=case)
    petition = PetitionFactory(slug="liberez-ana")
    for n in range(4):
        SignatureFactory(petition=petition, email=f"signe{n}@exemple.fr",
                         confirmed_at=timezone.now() if n % 2 else None)  # fmt: skip
    mandates = [MandateFactory(iban=iban, donor=DonorFactory()) for iban in IBANS]
    for mandate in mandates:
        DebitFactory(mandate=mandate, due_on=date(2026, 12, 7))
    bank_file_create(due_on=date(2026, 12, 7), today=date(2026, 12, 1))
    MandateAmendment.objects.create(
        mandate=mandates[0], changed_on=date(2026, 11, 2), old_iban=IBANS[2]
    )


def test_a_dump_restored_into_a_new_database_gives_back_every_row_and_every_iban(tmp_path):
    _tools()
    _populate()
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"
    dump = tmp_path / "victoires.dump"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={dump}", source)
    taken_at = timezone.now()
    # After the dump: a signer asks to be erased (journaled).
    person_erase(email="signe1@exemple.fr", channel="command")
    journal = tmp_path / "journal.csv"
    since = taken_at.isoformat()
    copy_out = (
        "\\copy (SELECT kind, channel, at, identity_checked, apps, summary, erased_ids "  # noqa: S608
        f"FROM core_privacyrequest WHERE at >= '{since}') TO '{journal}' CSV"
    )
    _run("psql", "-d", source, "-c", copy_out)
    before_erasure = _rows(source)

    _run("dropdb", "--if-exists", restored)
    _run("createdb", restored)
    try:
        _run("pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump))
        after = _rows(restored)
        # Every table, every row, as it was at the dump (the erasure came after).
        assert set(after) == set(before_erasure)
        for table in ("cases_case", "petitions_signature", "donations_mandate",
                      "donations_debit", "donations_debitbatch", "donations_mandateamendment"):  # fmt: skip
            assert after[table], table
        counts = {"cases_case": 3, "petitions_signature": 4, "donations_mandate": 3,
                  "donations_debit": 3}  # fmt: skip
        assert {table: len(after[table]) for table in counts} == counts
        for table, rows in after.items():
            if table != "core_privacyrequest" and table != "petitions_signature":
                assert rows == before_erasure[table], table

        # Every IBAN reads back with the key kept apart from the dump.
        with psycopg.connect(**_conninfo(restored)) as db:
            stored = dict(db.execute("SELECT rum, iban FROM donations_mandate").fetchall())
            sent = [row[0] for row in db.execute("SELECT sent_iban FROM donations_debit")]
            (old,) = db.execute("SELECT old_iban FROM donations_mandateamendment").fetchone()
            (content,) = db.execute("SELECT content FROM donations_debitbatch").fetchone()
        iban = Mandate._meta.get_field("iban")
        read = {rum: iban.from_db_value(value, None, connection) for rum, value in stored.items()}
        assert read == {m.rum: m.iban for m in Mandate.objects.all()}
        assert sorted(iban.from_db_value(v, None, connection) for v in sent) == sorted(IBANS)
        assert iban.from_db_value(old, None, connection) == IBANS[2]
        batch = DebitBatch.objects.get()
        assert iban.from_db_value(content, None, connection) == batch.content
        assert Debit.objects.count() == 3

        # The erasure made after the dump is replayed on the restored database.
        with psycopg.connect(**_conninfo(restored)) as db:
            signer = "SELECT count(*) FROM petitions_signature WHERE email = 'signe1@exemple.fr'"
            assert db.execute(signer).fetchone()[0] == 1
        _run("psql", "-d", restored, "-c",
             "\\copy core_privacyrequest (kind, channel, at, identity_checked, apps, summary, "
             f"erased_ids) FROM '{journal}' CSV")  # fmt: skip
        db_url = "postgres://{user}:{password}@{host}:{port}/{dbname}".format(**_conninfo(restored))
        replay = subprocess.run(
            [sys.executable, "manage.py", "personal_data", "replay",
             "--since", taken_at.strftime("%Y-%m-%dT%H:%MZ")],
            cwd=ROOT, capture_output=True, text=True, check=False,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DEBUG": "1",
                 "DATABASE_URL": db_url, "FIELD_ENCRYPTION_KEY": settings.FIELD_ENCRYPTION_KEY},
        )  # fmt: skip
        assert replay.returncode == 0, replay.stderr
        assert "Effacements rejoués : 1." in replay.stdout
        with psycopg.connect(**_conninfo(restored)) as db:
            assert db.execute(signer).fetchone()[0] == 0
    finally:
        _run("dropdb", "--if-exists", restored)
