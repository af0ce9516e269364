"""What the bank answers about a bank file, read from its ISO 20022 files.

- ``pain.002`` (Customer Payment Status Report): the debits rejected before settlement,
  one by one (``TxInfAndSts`` with ``TxSts`` RJCT), or a whole payment block or file
  rejected at once (``OrgnlPmtInfAndSts/PmtInfSts`` or ``OrgnlGrpInfAndSts/GrpSts`` RJCT).
- ``camt.054`` (Bank to Customer Debit/Credit Notification): the returns and refunds after
  settlement, as debit entries (``CdtDbtInd`` DBIT) whose transactions carry return
  information (``RtrInf/Rsn/Cd``).

Every file is checked against its official schema (``bankfile.schema_check``, the XSDs in
``donations/xsd/``) before anything is read from it. No Django import: the services apply
what this module reads.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from donations.bankfile import SchemaError, schema_check, xml_parse

PAIN002 = "pain.002"
CAMT054 = "camt.054"
# The versions whose official schemas are vendored: pain.002.001.03 answers the
# pain.008.001.02 French banks take; camt.054 in its 2009 (.02) and 2019 (.08) versions.
VERSIONS = {
    "pain.002.001.03": PAIN002,
    "camt.054.001.02": CAMT054,
    "camt.054.001.08": CAMT054,
}
NAMESPACE = "urn:iso:std:iso:20022:tech:xsd:"

REJECTED = "rejected"
RETURNED_OR_REFUNDED = "returned_or_refunded"


class AnswerRefused(ValueError):
    """A file that cannot be read as a bank answer. ``code`` says why (``not_xml``,
    ``doctype``, ``unknown``, ``schema``); ``detail`` is the parser's own words."""

    def __init__(self, code: str, detail: str = "", version: str = "", line: int | None = None):
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.detail = detail
        self.version = version
        self.line = line


@dataclass(frozen=True)
class AnswerLine:
    """One debit the bank says failed: rejected (pain.002), or returned or refunded
    (camt.054; ``return_type`` is the bank's own hint, ``RTRN`` or ``RFND``, when given)."""

    end_to_end_id: str
    outcome: str
    reason_code: str
    on: date
    amount: str = ""
    return_type: str = ""


@dataclass(frozen=True)
class BlockReject:
    """A pain.002 rejecting a whole payment block (``block_id``) or the whole file
    (``block_id`` empty) without naming its transactions."""

    original_message_id: str
    block_id: str
    reason_code: str
    on: date


@dataclass
class BankAnswerDocument:
    kind: str
    version: str
    message_id: str
    created_at: datetime
    original_message_id: str = ""
    lines: list[AnswerLine] = field(default_factory=list)
    blocks: list[BlockReject] = field(default_factory=list)
    ignored: int = 0


def _version(root) -> str:
    namespace = etree.QName(root).namespace or ""
    version = namespace.removeprefix(NAMESPACE)
    if not namespace.startswith(NAMESPACE) or version not in VERSIONS:
        raise AnswerRefused("unknown", namespace)
    return version


def _text(node, path: str, ns: dict) -> str:
    found = node.find(path, ns)
    return (found.text or "").strip() if found is not None else ""


def _reason(node, path: str, ns: dict) -> str:
    """The ISO reason code (``Cd``), or the bank's proprietary one when it gives no other."""
    return (_text(node, f"{path}/p:Cd", ns) or _text(node, f"{path}/p:Prtry", ns))[:4].upper()


def _datetime(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def answer_read(content: bytes) -> BankAnswerDocument:
    """The bank answer in ``content``, checked against its official schema first;
    ``AnswerRefused`` when it is not XML, not a pain.002 or camt.054 in a version we know,
    or does not follow its schema."""
    try:
        root = xml_parse(content)
    except SchemaError as exc:
        code = "doctype" if str(exc) == "DOCTYPE" else "not_xml"
        raise AnswerRefused(code, str(exc)) from None
    version = _version(root)
    try:
        schema_check(content, version)
    except SchemaError as exc:
        raise AnswerRefused("schema", str(exc), version, exc.line) from None
    ns = {"p": NAMESPACE + version}
    if VERSIONS[version] == PAIN002:
        return _pain002(root, version, ns)
    return _camt054(root, version, ns)


def _pain002(root, version: str, ns: dict) -> BankAnswerDocument:
    report = root.find("p:CstmrPmtStsRpt", ns)
    created_at = _datetime(_text(report, "p:GrpHdr/p:CreDtTm", ns))
    on = created_at.date()
    group = report.find("p:OrgnlGrpInfAndSts", ns)
    document = BankAnswerDocument(
        kind=PAIN002,
        version=version,
        message_id=_text(report, "p:GrpHdr/p:MsgId", ns),
        created_at=created_at,
        original_message_id=_text(group, "p:OrgnlMsgId", ns),
    )
    blocks = report.findall("p:OrgnlPmtInfAndSts", ns)
    if _text(group, "p:GrpSts", ns) == "RJCT" and not any(
        block.find("p:TxInfAndSts", ns) is not None for block in blocks
    ):
        document.blocks.append(
            BlockReject(
                document.original_message_id, "", _reason(group, "p:StsRsnInf/p:Rsn", ns), on
            )
        )
        return document
    for block in blocks:
        transactions = block.findall("p:TxInfAndSts", ns)
        if not transactions and _text(block, "p:PmtInfSts", ns) == "RJCT":
            document.blocks.append(
                BlockReject(
                    document.original_message_id,
                    _text(block, "p:OrgnlPmtInfId", ns),
                    _reason(block, "p:StsRsnInf/p:Rsn", ns),
                    on,
                )
            )
            continue
        for tx in transactions:
            status = _text(tx, "p:TxSts", ns) or _text(block, "p:PmtInfSts", ns)
            if status != "RJCT":
                document.ignored += 1
                continue
            document.lines.append(
                AnswerLine(
                    end_to_end_id=_text(tx, "p:OrgnlEndToEndId", ns),
                    outcome=REJECTED,
                    reason_code=_reason(tx, "p:StsRsnInf/p:Rsn", ns),
                    on=on,
                    amount=_text(tx, "p:OrgnlTxRef/p:Amt/p:InstdAmt", ns),
                )
            )
    return document


def _return_type(details) -> str:
    """``RTRN`` or ``RFND`` when the bank says which (``/RTYP/RFND`` in ``AddtlInf``)."""
    for text in details:
        for kind in ("RFND", "RTRN"):
            if f"/RTYP/{kind}" in (text or ""):
                return kind
    return ""


def _camt054(root, version: str, ns: dict) -> BankAnswerDocument:
    message = root.find("p:BkToCstmrDbtCdtNtfctn", ns)
    created_at = _datetime(_text(message, "p:GrpHdr/p:CreDtTm", ns))
    document = BankAnswerDocument(
        kind=CAMT054,
        version=version,
        message_id=_text(message, "p:GrpHdr/p:MsgId", ns),
        created_at=created_at,
    )
    for entry in message.iterfind("p:Ntfctn/p:Ntry", ns):
        booked = (
            _text(entry, "p:BookgDt/p:Dt", ns)
            or _text(entry, "p:BookgDt/p:DtTm", ns)[:10]
            or _text(entry, "p:ValDt/p:Dt", ns)
        )
        on = date.fromisoformat(booked) if booked else created_at.date()
        debit_entry = _text(entry, "p:CdtDbtInd", ns) == "DBIT"
        for tx in entry.iterfind("p:NtryDtls/p:TxDtls", ns):
            code = _reason(tx, "p:RtrInf/p:Rsn", ns)
            end_to_end_id = _text(tx, "p:Refs/p:EndToEndId", ns)
            if not (debit_entry and code and end_to_end_id):
                document.ignored += 1
                continue
            document.lines.append(
                AnswerLine(
                    end_to_end_id=end_to_end_id,
                    outcome=RETURNED_OR_REFUNDED,
                    reason_code=code,
                    on=on,
                    amount=_text(tx, "p:AmtDtls/p:TxAmt/p:Amt", ns)
                    or _text(tx, "p:AmtDtls/p:InstdAmt/p:Amt", ns)
                    or _text(tx, "p:Amt", ns),
                    return_type=_return_type(
                        node.text for node in tx.iterfind("p:RtrInf/p:AddtlInf", ns)
                    ),
                )
            )
    return document
