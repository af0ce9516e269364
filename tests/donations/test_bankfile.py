import hashlib
import os
import stat
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from lxml import etree

from donations import bankfile
from donations.models import Debit, DebitBatch, DebitBatchDownload, Mandate
from donations.services import BankFileRefused, bank_file_create, batch_download
from tests.factories import DebitFactory, DonorFactory, MandateFactory

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=PARIS)
DUE = date(2026, 12, 7)
CREDITOR = bankfile.Creditor(
    name="Victoires", iban="FR1420041010050500013M02606", bic="PSSTFRPPPAR",
    creditor_id="FR72ZZZ123456",
)  # fmt: skip


def _sent(number, **overrides):
    values = {
        "end_to_end_id": f"DON-{number}-202612",
        "amount": Decimal("15.00"),
        "sequence_type": "RCUR",
        "due_on": DUE,
        "rum": f"DON-{number}",
        "mandate_signed_on": date(2026, 1, 10),
        "debtor_name": "Camille Martin",
        "iban": "FR7630006000011234567890189",
        "bic": "",
        "remittance": "Don mensuel Victoires décembre 2026",
        "country": "FR",
    }
    values.update(overrides)
    return bankfile.SentDebit(**values)


def _xpath(content, expression, version="pain.008.001.02"):
    tree = etree.fromstring(content)
    return tree.xpath(expression, namespaces={"p": f"urn:iso:std:iso:20022:tech:xsd:{version}"})


def _build(debits, version="pain.008.001.02"):
    return bankfile.pain008_build(
        debits=debits, creditor=CREDITOR, message_id="MSG-1", created_at=NOW, version=version
    )


@pytest.mark.parametrize("version", bankfile.VERSIONS)
def test_first_and_recurrent_debits_go_in_their_own_blocks_and_follow_the_schema(version):
    content = _build(
        [_sent(1, sequence_type="FRST"), _sent(2), _sent(3, amount=Decimal("25.50"))], version
    )
    bankfile.schema_check(content, version)
    assert _xpath(content, "//p:PmtInf/p:PmtTpInf/p:SeqTp/text()", version) == ["FRST", "RCUR"]
    assert _xpath(content, "//p:PmtInf/p:NbOfTxs/text()", version) == ["1", "2"]
    assert _xpath(content, "//p:GrpHdr/p:CtrlSum/text()", version) == ["55.50"]
    assert _xpath(content, "//p:GrpHdr/p:MsgId/text()", version) == ["MSG-1"]
    assert _xpath(content, "//p:GrpHdr/p:CreDtTm/text()", version) == ["2026-12-01T10:00:00+01:00"]
    assert _xpath(content, "//p:CdtrSchmeId//p:Othr/p:Id/text()", version) == [
        "FR72ZZZ123456",
        "FR72ZZZ123456",
    ]


@pytest.mark.parametrize("version", bankfile.VERSIONS)
def test_an_amendment_to_another_bank_carries_smnda_where_the_schema_puts_it(version):
    content = _build([_sent(1, amendment=bankfile.Amendment(other_bank=True)), _sent(2)], version)
    bankfile.schema_check(content, version)
    info = "//p:DrctDbtTxInf[p:PmtId/p:EndToEndId='DON-1-202612']//p:MndtRltdInf"
    assert _xpath(content, f"{info}/p:AmdmntInd/text()", version) == ["true"]
    assert _xpath(
        content, f"{info}/p:AmdmntInfDtls/p:OrgnlDbtrAcct/p:Id/p:Othr/p:Id/text()", version
    ) == ["SMNDA"]
    other = "//p:DrctDbtTxInf[p:PmtId/p:EndToEndId='DON-2-202612']//p:MndtRltdInf"
    assert _xpath(content, f"{other}/p:AmdmntInd", version) == []


def test_an_amendment_in_the_same_bank_carries_the_original_account():
    content = _build(
        [_sent(1, amendment=bankfile.Amendment(original_iban="FR7630006000019876543210173"))]
    )
    bankfile.schema_check(content, "pain.008.001.02")
    assert _xpath(content, "//p:AmdmntInfDtls/p:OrgnlDbtrAcct/p:Id/p:IBAN/text()") == [
        "FR7630006000019876543210173"
    ]


def test_a_debtor_outside_the_eea_gets_a_structured_town_and_country():
    content = _build(
        [
            _sent(
                1,
                iban="CH9300762011623852957",
                bic="UBSWCHZH80A",
                country="CH",
                street="Bahnhofstrasse 1",
                postal_code="8001",
                town="Zurich",
                structured_address=True,
            ),
            _sent(2),
        ]
    )
    bankfile.schema_check(content, "pain.008.001.02")
    address = "//p:DrctDbtTxInf[p:PmtId/p:EndToEndId='DON-1-202612']/p:Dbtr/p:PstlAdr"
    assert _xpath(content, f"{address}/p:TwnNm/text()") == ["Zurich"]
    assert _xpath(content, f"{address}/p:Ctry/text()") == ["CH"]
    assert _xpath(content, "//p:DrctDbtTxInf[2]/p:Dbtr/p:PstlAdr") == []


def test_a_file_that_breaks_the_schema_is_refused():
    content = _build([_sent(1)])
    broken = content.replace(b"<SeqTp>RCUR</SeqTp>", b"<SeqTp>XXXX</SeqTp>")
    with pytest.raises(bankfile.SchemaError):
        bankfile.schema_check(broken, "pain.008.001.02")


# --- batches ------------------------------------------------------------------------------


@pytest.fixture
def due_debits(db):
    french = MandateFactory(account_holder="Kılıç & Fils – N’Diaye")
    swiss = MandateFactory(
        donor=DonorFactory(country="CH", city="Zürich", postal_code="8001"),
        iban="CH9300762011623852957",
        bic="UBSWCHZH80A",
        sequence_type="RCUR",
    )
    return [
        DebitFactory(mandate=french, due_on=DUE, sequence_type="FRST"),
        DebitFactory(mandate=swiss, due_on=DUE, amount=Decimal("25.50")),
    ]


def test_a_batch_is_made_once_and_no_debit_is_ever_in_two(due_debits):
    first = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert len(first) == 1
    batch = first[0]
    assert batch.debit_count == 2 and batch.total == Decimal("40.50")
    content = batch.content.encode()
    bankfile.schema_check(content, batch.version)
    assert _xpath(content, "//p:Dbtr/p:Nm/text()") == ["Kilic + Fils - N'Diaye", "Camille Martin"]
    for debit in due_debits:
        debit.refresh_from_db()
        assert debit.status == Debit.Status.SENT and debit.batch == batch
        assert debit.sent_iban == debit.mandate.iban
    assert Mandate.objects.get(pk=due_debits[0].mandate_id).sequence_type == "RCUR"
    # A new call for the same date takes only the debits never sent: none here.
    assert bank_file_create(due_on=DUE, today=date(2026, 12, 1)) == []
    late = DebitFactory(due_on=DUE)
    again = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert [b.debit_count for b in again] == [1]
    assert list(again[0].debits.all()) == [late]
    assert Debit.objects.filter(batch__isnull=False).count() == 3


def test_downloading_again_gives_the_same_bytes_and_is_recorded(due_debits):
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    # Changing the mandate afterwards changes nothing in what was sent.
    Mandate.objects.filter(pk=due_debits[0].mandate_id).update(account_holder="Quelqu'un")
    batch = DebitBatch.objects.get(pk=batch.pk)
    one = batch_download(batch=batch)
    two = batch_download(batch=batch)
    assert one == two
    assert hashlib.sha256(one).hexdigest() == batch.sha256
    assert b"Quelqu" not in one
    assert DebitBatchDownload.objects.filter(batch=batch).count() == 2


def test_the_files_split_above_the_configured_size(due_debits, settings):
    settings.SEPA_BATCH_MAX_DEBITS = 1
    batches = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert [(b.part, b.debit_count) for b in batches] == [(1, 1), (2, 1)]
    assert len({b.message_id for b in batches}) == 2


def test_a_due_date_too_close_is_refused(due_debits, settings):
    settings.SEPA_SUBMISSION_DAYS = 3
    # From Thursday 3 December, the 7th is two TARGET2 days away (Friday, Monday).
    with pytest.raises(BankFileRefused, match="trop proche"):
        bank_file_create(due_on=DUE, today=date(2026, 12, 3))
    assert not DebitBatch.objects.exists()
    assert bank_file_create(due_on=DUE, today=date(2026, 12, 2))


def test_the_version_is_a_setting(due_debits, settings):
    settings.SEPA_PAIN008_VERSION = "pain.008.001.08"
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert batch.version == "pain.008.001.08"
    bankfile.schema_check(batch.content.encode(), "pain.008.001.08")


def test_a_first_debit_may_be_sent_as_recurrent(due_debits, settings):
    settings.SEPA_FIRST_DEBIT_AS_RCUR = True
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert _xpath(batch.content.encode(), "//p:SeqTp/text()") == ["RCUR"]


def test_the_command_writes_the_file_for_its_owner_only(due_debits, tmp_path):
    target = tmp_path / "remise.xml"
    old = os.umask(0o022)
    try:
        with time_machine.travel(NOW):
            call_command("bank_file", "--due", "2026-12-07", "--output", str(target))
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    batch = DebitBatch.objects.get()
    assert target.read_bytes() == batch.content.encode()
    assert DebitBatchDownload.objects.get(batch=batch).channel == "command"


def test_the_command_never_writes_under_media_root(due_debits, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(CommandError, match="MEDIA_ROOT"):
        call_command("bank_file", "--due", "2026-12-07", "--output", str(tmp_path / "x.xml"))
    assert not DebitBatch.objects.exists()


def test_the_command_refuses_a_malformed_date(db):
    with pytest.raises(CommandError, match="date invalide"):
        call_command("bank_file", "--due", "07/12/2026")


def test_a_change_of_account_is_carried_once_by_the_next_debit(db):
    from donations.models import MandateAmendment
    from donations.services import mandate_bank_change

    mandate = MandateFactory(sequence_type="RCUR")
    mandate_bank_change(mandate=mandate, iban="DE89370400440532013000", today=date(2026, 11, 20))
    DebitFactory(mandate=mandate, due_on=DUE)
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    content = batch.content.encode()
    bankfile.schema_check(content, batch.version)
    assert _xpath(content, "//p:MndtRltdInf/p:AmdmntInd/text()") == ["true"]
    assert _xpath(content, "//p:OrgnlDbtrAcct/p:Id/p:Othr/p:Id/text()") == ["SMNDA"]
    assert _xpath(content, "//p:DbtrAcct/p:Id/p:IBAN/text()") == ["DE89370400440532013000"]
    assert _xpath(content, "//p:SeqTp/text()") == ["RCUR"]
    assert MandateAmendment.objects.get().sent_on == DUE
    DebitFactory(mandate=mandate, due_on=date(2027, 1, 5))
    (later,) = bank_file_create(due_on=date(2027, 1, 5), today=date(2026, 12, 28))
    assert _xpath(later.content.encode(), "//p:AmdmntInd") == []


def test_a_change_of_account_in_the_same_bank_names_the_original_account(db):
    from donations.services import mandate_bank_change

    mandate = MandateFactory()
    mandate_bank_change(mandate=mandate, iban="FR7630006000019876543210173")
    DebitFactory(mandate=mandate, due_on=DUE)
    (batch,) = bank_file_create(due_on=DUE, today=date(2026, 12, 1))
    assert _xpath(batch.content.encode(), "//p:OrgnlDbtrAcct/p:Id/p:IBAN/text()") == [
        "FR7630006000011234567890189"
    ]
