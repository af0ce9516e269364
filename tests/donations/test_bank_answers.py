"""The bank's answers: pain.002 (rejects before settlement) and camt.054 (returns and
refunds after it), checked against their official schemas and applied once."""

from datetime import date
from pathlib import Path
from string import Template

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from donations import bankanswer, bankfile, debits
from donations.models import BankAnswer, Debit, Mandate
from donations.services import (
    BankAnswerRefused,
    bank_answer_import,
    bank_file_create,
    batch_collect,
)
from tests.factories import DebitFactory, MandateFactory

FILES = Path(__file__).parent / "files"
DUE = date(2026, 12, 7)


def fixture(name: str, **values) -> bytes:
    """A bank answer built to its schema (``tests/donations/files``), filled in."""
    return Template((FILES / name).read_text()).substitute(values).encode()


@pytest.fixture
def batch(db):
    """A bank file of three debits due on 7 December 2026."""
    for _number in range(3):
        DebitFactory(mandate=MandateFactory(), due_on=DUE)
    (made,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    return made


def _rows(batch):
    return bankfile.pain008_transactions(batch.content.encode(), batch.version)


def _status_report(batch, message_id="STS-2026-12-08-1"):
    rows = _rows(batch)
    return fixture(
        "pain002_rejects.xml",
        message_id=message_id,
        batch=batch.message_id,
        block=rows[0]["block_id"],
        insufficient=rows[0]["end_to_end_id"],
        closed=rows[1]["end_to_end_id"],
    )


# --- the rule: a return or a refund ---------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "hint", "booked_on", "outcome"),
    [
        ("AC04", "", date(2026, 12, 9), debits.RETURN),
        ("AM04", "", date(2026, 12, 14), debits.RETURN),  # 5 TARGET2 days after
        ("MD01", "", date(2026, 12, 15), debits.REFUND),  # 6 TARGET2 days after
        ("MD06", "", date(2026, 12, 9), debits.REFUND),  # the debtor asked: always a refund
        ("MD01", "RTRN", date(2027, 2, 15), debits.RETURN),  # the bank's own word wins
        ("AM04", "RFND", date(2026, 12, 8), debits.REFUND),
    ],
)
def test_money_taken_back_is_a_return_within_five_target2_days_and_a_refund_after(
    code, hint, booked_on, outcome
):
    assert debits.return_or_refund(code, return_type=hint, due_on=DUE, booked_on=booked_on) == (
        outcome
    )


# --- pain.002 --------------------------------------------------------------------------------


def test_a_status_report_rejects_the_debits_it_names_once(
    batch, django_capture_on_commit_callbacks
):
    rows = _rows(batch)
    content = _status_report(batch)
    with django_capture_on_commit_callbacks(execute=True):
        answer, created = bank_answer_import(content=content, filename="rejets.xml")
    assert created
    assert (answer.kind, answer.message_id, answer.original_message_id) == (
        "pain.002",
        "STS-2026-12-08-1",
        batch.message_id,
    )
    assert (answer.rejected, answer.returned, answer.refunded, answer.not_applied) == (2, 0, 0, 0)
    insufficient = Debit.objects.get(end_to_end_id=rows[0]["end_to_end_id"])
    closed = Debit.objects.get(end_to_end_id=rows[1]["end_to_end_id"])
    untouched = Debit.objects.get(end_to_end_id=rows[2]["end_to_end_id"])
    assert (insufficient.status, insufficient.reason_code) == ("rejected", "AM04")
    assert insufficient.failed_on == date(2026, 12, 8)
    assert (closed.status, closed.reason_code) == ("rejected", "AC04")
    assert untouched.status == "sent"
    # AC04 (closed account) ends the mandate at once; one AM04 alone does not.
    assert closed.mandate.state == "cancelled"
    assert insufficient.mandate.state == "active"
    # A rejected first debit: the next one is a first one again.
    assert insufficient.mandate.sequence_type == "FRST"
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [insufficient.mandate.donor.email, closed.mandate.donor.email]
    )

    # The same file again changes nothing and emails no one.
    with django_capture_on_commit_callbacks(execute=True):
        again, created = bank_answer_import(content=content, filename="rejets.xml")
    assert not created and again == answer
    assert BankAnswer.objects.count() == 1
    assert len(mail.outbox) == 2
    assert Debit.objects.filter(status="rejected").count() == 2


def test_a_file_rejected_as_a_whole_rejects_each_of_its_debits(batch):
    content = fixture("pain002_file_rejected.xml", message_id="STS-FILE-1", batch=batch.message_id)
    answer, _created = bank_answer_import(content=content)
    assert answer.rejected == 3
    assert set(batch.debits.values_list("status", "reason_code")) == {("rejected", "FF01")}
    # FF01 neither ends nor suspends a mandate.
    assert set(Mandate.objects.values_list("state", flat=True)) == {"active"}


def test_a_line_naming_no_debit_of_ours_is_reported_not_applied(batch):
    rows = _rows(batch)
    content = fixture(
        "pain002_rejects.xml",
        message_id="STS-2",
        batch=batch.message_id,
        block=rows[0]["block_id"],
        insufficient=rows[0]["end_to_end_id"],
        closed="SOMEONE-ELSE-202612",
    )
    answer, _created = bank_answer_import(content=content)
    assert (answer.rejected, answer.not_applied) == (1, 1)
    assert answer.report == (
        "SOMEONE-ELSE-202612\u00a0: aucun prélèvement du site ne porte cette référence."
    )


# --- camt.054 --------------------------------------------------------------------------------


def test_a_notification_returns_and_refunds_debits_after_settlement(
    batch, django_capture_on_commit_callbacks
):
    batch_collect(batch=batch, today=date(2026, 12, 8))
    returned, refunded, collected = (
        Debit.objects.get(end_to_end_id=row["end_to_end_id"]) for row in _rows(batch)
    )
    content = fixture(
        "camt054_return_refund.xml",
        message_id="NTF-2027-02-16-1",
        returned=returned.end_to_end_id,
        returned_rum=returned.mandate.rum,
        refunded=refunded.end_to_end_id,
        refunded_rum=refunded.mandate.rum,
        collected=collected.end_to_end_id,
    )
    with django_capture_on_commit_callbacks(execute=True):
        answer, created = bank_answer_import(content=content, by=None, channel="command")
    assert created and answer.kind == "camt.054"
    assert (answer.rejected, answer.returned, answer.refunded) == (0, 1, 1)
    returned.refresh_from_db()
    refunded.refresh_from_db()
    collected.refresh_from_db()
    assert (returned.status, returned.reason_code, returned.failed_on) == (
        "returned",
        "AC04",
        date(2026, 12, 9),
    )
    assert (refunded.status, refunded.reason_code, refunded.failed_on) == (
        "refunded",
        "MD01",
        date(2027, 2, 15),
    )
    # The credit entry of the collection is not a failure.
    assert collected.status == "collected"
    # AC04 ends a mandate; MD01 on a refund (an unauthorised debit) too.
    assert returned.mandate.state == "cancelled"
    assert refunded.mandate.state == "cancelled"
    assert collected.mandate.state == "active"
    assert len(mail.outbox) == 2
    # Imported once: the second time changes nothing.
    _again, created = bank_answer_import(content=content)
    assert not created
    assert BankAnswer.objects.count() == 1


# --- refused files ---------------------------------------------------------------------------


def test_a_file_that_breaks_its_schema_is_refused_and_changes_nothing(batch):
    broken = _status_report(batch).replace(b"<TxSts>RJCT</TxSts>", b"<TxSts>NOPE</TxSts>", 1)
    with pytest.raises(BankAnswerRefused) as refused:
        bank_answer_import(content=broken)
    assert str(refused.value).startswith(
        "Ce fichier ne respecte pas le schéma officiel pain.002.001.03, ligne 24\u00a0: Element "
        "'{urn:iso:std:iso:20022:tech:xsd:pain.002.001.03}TxSts': [facet 'enumeration'] The "
        "value 'NOPE' is not an element of the set"
    )
    assert BankAnswer.objects.count() == 0
    assert set(batch.debits.values_list("status", flat=True)) == {"sent"}


@pytest.mark.parametrize(
    ("content", "start"),
    [
        (b"not xml at all", "Ce fichier n’est pas un fichier XML lisible"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>',
            "Ce fichier déclare un DOCTYPE\u00a0: une réponse de la banque n’en a jamais.",
        ),
        (
            b'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"/>',
            "Ce fichier n’est pas une réponse de la banque que le site sait lire",
        ),
    ],
)
def test_a_file_that_is_no_bank_answer_is_refused_in_french(db, content, start):
    with pytest.raises(BankAnswerRefused) as refused:
        bank_answer_import(content=content)
    assert str(refused.value).startswith(start)


def test_the_reader_gives_what_the_file_says(batch):
    document = bankanswer.answer_read(_status_report(batch))
    assert [(line.outcome, line.reason_code, line.on) for line in document.lines] == [
        ("rejected", "AM04", date(2026, 12, 8)),
        ("rejected", "AC04", date(2026, 12, 8)),
    ]


# --- the command -----------------------------------------------------------------------------


def test_the_command_imports_a_file_once(batch, tmp_path, capsys):
    path = tmp_path / "rejets.xml"
    path.write_bytes(_status_report(batch))
    call_command("bank_answer", str(path))
    assert "rejetés : 2" in capsys.readouterr().out
    call_command("bank_answer", str(path))
    assert "déjà importé" in capsys.readouterr().out
    assert BankAnswer.objects.get().channel == "command"


def test_the_command_refuses_an_invalid_file(db, tmp_path, capsys):
    path = tmp_path / "bad.xml"
    path.write_bytes(b"<nope/>")
    with pytest.raises(CommandError):
        call_command("bank_answer", str(path))
    assert "pas une réponse de la banque" in capsys.readouterr().err


# --- the admin -------------------------------------------------------------------------------


def _staff(username, group_name=None):
    user = get_user_model().objects.create_user(username=username, password="x", is_staff=True)
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


URL = "/admin/donations/bankanswer/add/"


def _upload(client, content, name="reponse.xml"):
    return client.post(URL, {"file": SimpleUploadedFile(name, content, "text/xml")})


def test_dons_upload_a_bank_answer_in_the_admin(batch, client):
    client.force_login(_staff("dons", "Dons"))
    page = client.get(URL)
    assert page.status_code == 200
    assert "Fichier de la banque" in page.content.decode()
    response = _upload(client, _status_report(batch))
    answer = BankAnswer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/donations/bankanswer/{answer.pk}/change/"
    assert answer.by.username == "dons"
    follow = client.get(response["Location"])
    assert (
        "Fichier STS-2026-12-08-1 importé\u00a0: 2 prélèvements rejetés, 0 prélèvement retourné, "
        "0 prélèvement remboursé, 0 déjà noté, 0 non appliqué."
    ) in follow.content.decode()


def test_a_wrong_file_gets_a_french_message_next_to_the_field_and_changes_nothing(batch, client):
    client.force_login(_staff("dons", "Dons"))
    broken = (
        _status_report(batch)
        .replace(b"<MsgId>", b"<MessageId>", 1)
        .replace(b"</MsgId>", b"</MessageId>", 1)
    )
    response = _upload(client, broken)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_file_errors"' in html
    assert "Ce fichier ne respecte pas le schéma officiel pain.002.001.03, ligne 8" in html
    assert 'aria-invalid="true"' in html
    response = _upload(client, b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert response.status_code == 200
    assert "Ce fichier n’est pas un fichier XML lisible" in response.content.decode()
    assert BankAnswer.objects.count() == 0
    assert set(batch.debits.values_list("status", flat=True)) == {"sent"}


def test_a_file_uploaded_twice_is_said_already_imported(batch, client):
    client.force_login(_staff("dons", "Dons"))
    _upload(client, _status_report(batch))
    response = _upload(client, _status_report(batch), name="encore.xml")
    assert response.status_code == 200
    assert "a déjà été importé le" in response.content.decode()
    assert BankAnswer.objects.count() == 1


@pytest.mark.parametrize("group_name", ["Éditeurs", "Mobilisation", None])
def test_only_dons_import_bank_answers(batch, client, group_name):
    client.force_login(_staff("other", group_name))
    assert client.get(URL).status_code == 403
    assert _upload(client, _status_report(batch)).status_code == 403
    assert BankAnswer.objects.count() == 0


# --- the same file imported at once (PostgreSQL) --------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_file_imported_four_times_at_once_is_applied_once():
    from tests.concurrency import in_threads

    for _number in range(3):
        DebitFactory(mandate=MandateFactory(), due_on=DUE)
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    content = _status_report(batch)
    created = []

    def work(index):
        _answer, was_created = bank_answer_import(content=content, notify=False)
        created.append(was_created)

    errors = in_threads(4, work)

    assert errors == []
    assert sorted(created) == [False, False, False, True]
    answer = BankAnswer.objects.get()
    assert (answer.rejected, answer.unchanged, answer.not_applied) == (2, 0, 0)
    assert Debit.objects.filter(status="rejected").count() == 2
