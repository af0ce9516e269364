"""The bank file: an ISO 20022 pain.008 (SEPA Direct Debit Initiation) built with sepaxml,
completed where sepaxml stops (amendments, the file's own identifiers and time), and
checked against its official schema with lxml before anyone gets it.

The pain.008 schemas are the ISO 20022 ones sepaxml ships (``sepaxml/schemas/pain.008.001.02.xsd``
and ``.08``, downloaded by its authors from the iso20022.org message archive, as the head of
each file says); the bank's answers (pain.002, camt.054) are checked against the official
schemas vendored in ``donations/xsd/`` (their origin is in docs/donations.md). Nothing here touches the database: ``services.bank_file_create`` gives the
debits as they are sent (``SentDebit``) and stores the bytes.
"""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path

import sepaxml
from lxml import etree
from sepaxml import SepaDD

SCHEMAS = Path(sepaxml.__file__).resolve().parent / "schemas"
# The official schemas of the bank's answers, vendored (docs/donations.md says from where).
VENDORED_SCHEMAS = Path(__file__).resolve().parent / "xsd"
VERSIONS = ("pain.008.001.02", "pain.008.001.08")
# Same mandate, new debtor agent: the debtor moved the mandate to another bank (EPC
# implementation guidelines, "Original Debtor Account", since the November 2016 rulebook).
SMNDA = "SMNDA"


class SchemaError(ValueError):
    """A file that does not follow its schema: never given to anyone. ``line`` is where
    the first error is, when known."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Amendment:
    """A change of the debtor's account carried by a debit: the original IBAN when the
    account changed within the same bank, ``SMNDA`` when it moved to another bank."""

    original_iban: str = ""
    other_bank: bool = False


@dataclass(frozen=True)
class SentDebit:
    end_to_end_id: str
    amount: Decimal
    sequence_type: str
    due_on: date
    rum: str
    mandate_signed_on: date
    debtor_name: str
    iban: str
    bic: str
    remittance: str
    country: str
    street: str = ""
    postal_code: str = ""
    town: str = ""
    structured_address: bool = False
    amendment: Amendment | None = None


@dataclass(frozen=True)
class Creditor:
    name: str
    iban: str
    bic: str
    creditor_id: str


def _ns(version: str) -> dict:
    return {"p": f"urn:iso:std:iso:20022:tech:xsd:{version}"}


@cache
def schema(name: str) -> etree.XMLSchema:
    """The official schema of ``name`` (``pain.008.001.02``, ``camt.054.001.02``…)."""
    path = VENDORED_SCHEMAS / f"{name}.xsd"
    if not path.exists():
        path = SCHEMAS / f"{name}.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def xml_parse(content: bytes):
    """The root element of ``content``: no entities expanded, no DTD, nothing fetched;
    ``SchemaError`` when it is not XML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        tree = etree.fromstring(content, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise SchemaError(str(exc)) from None
    if tree.getroottree().docinfo.doctype:
        raise SchemaError("DOCTYPE")
    return tree


def schema_check(content: bytes, name: str) -> etree._ElementTree:
    """The parsed document if it follows the schema ``name``; ``SchemaError`` otherwise."""
    tree = xml_parse(content)
    checker = schema(name)
    if not checker.validate(tree):
        error = checker.error_log[0]
        raise SchemaError(error.message, line=error.line)
    return tree


def _cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).to_integral_value())


def pain008_build(
    *,
    debits: list[SentDebit],
    creditor: Creditor,
    message_id: str,
    created_at: datetime,
    version: str,
) -> bytes:
    """The pain.008 file of ``debits``: one payment block per sequence type (FRST, RCUR)
    and due date, the amendments in each debit's mandate information, a structured town
    and country for debtors outside the EEA. Checked against the schema."""
    if version not in VERSIONS:
        raise ValueError(f"Unknown pain.008 version {version!r}")
    if not debits:
        raise ValueError("A bank file needs at least one debit")
    document = SepaDD(
        {
            "name": creditor.name,
            "IBAN": creditor.iban,
            "BIC": creditor.bic,
            "batch": True,
            "creditor_id": creditor.creditor_id,
            "currency": "EUR",
        },
        schema=version,
        clean=True,
    )
    for debit in debits:
        payment = {
            "name": debit.debtor_name,
            "IBAN": debit.iban,
            "amount": _cents(debit.amount),
            "type": debit.sequence_type,
            "collection_date": debit.due_on,
            "mandate_id": debit.rum,
            "mandate_date": debit.mandate_signed_on,
            "description": debit.remittance,
            "endtoend_id": debit.end_to_end_id,
        }
        if debit.bic:
            payment["BIC"] = debit.bic
        if debit.structured_address:
            payment["address"] = {
                key: value
                for key, value in {
                    "street_name": debit.street[:70],
                    "postcode": debit.postal_code[:16],
                    "town": debit.town[:35],
                    "country": debit.country,
                }.items()
                if value
            }
        document.add_payment(payment)
    raw = document.export(validate=False)
    tree = etree.fromstring(raw)
    _complete(tree, debits=debits, message_id=message_id, created_at=created_at, version=version)
    content = etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
    schema_check(content, version)
    return content


def _complete(tree, *, debits, message_id, created_at, version):
    """What sepaxml leaves random or out: our message id and creation time, stable payment
    block ids, and the amendment details (``AmdmntInd``, ``AmdmntInfDtls``)."""
    ns = _ns(version)
    tree.find(".//p:GrpHdr/p:MsgId", ns).text = message_id
    tree.find(".//p:GrpHdr/p:CreDtTm", ns).text = created_at.replace(microsecond=0).isoformat()
    blocks = tree.findall(".//p:PmtInf", ns)
    # Blocks in a stable order: FRST before RCUR, then by date.
    parent = blocks[0].getparent()
    for block in blocks:
        parent.remove(block)
    blocks.sort(
        key=lambda b: (
            b.find("p:PmtTpInf/p:SeqTp", ns).text != "FRST",
            b.find("p:ReqdColltnDt", ns).text,
        )
    )
    for number, block in enumerate(blocks, start=1):
        block.find("p:PmtInfId", ns).text = f"{message_id}-{number}"[:35]
        parent.append(block)
        # Transactions in the order they were given (the end-to-end ids sort them).
        transactions = block.findall("p:DrctDbtTxInf", ns)
        for tx in transactions:
            block.remove(tx)
        transactions.sort(key=lambda tx: tx.find("p:PmtId/p:EndToEndId", ns).text)
        for tx in transactions:
            block.append(tx)
    by_id = {debit.end_to_end_id: debit for debit in debits}
    for tx in tree.iterfind(".//p:DrctDbtTxInf", ns):
        debit = by_id[tx.find("p:PmtId/p:EndToEndId", ns).text]
        if debit.amendment is not None:
            _amendment_add(tx, debit.amendment, ns)


def _amendment_add(tx, amendment: Amendment, ns: dict):
    """``AmdmntInd`` true and the original account: ``OrgnlDbtrAcct/Id/IBAN`` for a new
    account in the same bank, ``OrgnlDbtrAcct/Id/Othr/Id`` = ``SMNDA`` for another bank.
    Placed after ``DtOfSgntr``, where the schema puts them."""
    uri = ns["p"]

    def el(parent, tag, text=None):
        node = etree.SubElement(parent, f"{{{uri}}}{tag}")
        if text is not None:
            node.text = text
        return node

    signed = tx.find("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr", ns)
    indicator = etree.Element(f"{{{uri}}}AmdmntInd")
    indicator.text = "true"
    details = etree.Element(f"{{{uri}}}AmdmntInfDtls")
    account = el(el(details, "OrgnlDbtrAcct"), "Id")
    if amendment.other_bank or not amendment.original_iban:
        el(el(account, "Othr"), "Id", SMNDA)
    else:
        el(account, "IBAN", amendment.original_iban)
    signed.addnext(indicator)
    indicator.addnext(details)


def pain008_transactions(content: bytes, version: str) -> list[dict]:
    """The transactions of a pain.008 as read back (for tests and the batch's checks)."""
    tree = etree.fromstring(content)
    ns = _ns(version)
    rows = []
    for block in tree.iterfind(".//p:PmtInf", ns):
        for tx in block.iterfind("p:DrctDbtTxInf", ns):
            rows.append(
                {
                    "block_id": block.find("p:PmtInfId", ns).text,
                    "sequence_type": block.find("p:PmtTpInf/p:SeqTp", ns).text,
                    "due_on": block.find("p:ReqdColltnDt", ns).text,
                    "end_to_end_id": tx.find("p:PmtId/p:EndToEndId", ns).text,
                    "amount": Decimal(tx.find("p:InstdAmt", ns).text),
                }
            )
    return rows
