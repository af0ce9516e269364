"""CSV files staff open in a spreadsheet (LibreOffice, Excel), written one way everywhere:
UTF-8 with a byte order mark (so accents show), ``;`` between cells (the French list
separator), CRLF line ends, and cells that a spreadsheet would run as a formula neutralised.
"""

import csv
from collections.abc import Iterable

from django.http import StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell a spreadsheet will show as text: formulas (= + - @, tab, CR) get a leading '."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]):
    """The file's lines, one at a time: the header (after the BOM), then each row with
    every cell neutralised. A generator, so a million rows never sit in memory."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(header: list[str], rows: Iterable[list], *, filename: str):
    """A streamed download of the file, never cached."""
    response = StreamingHttpResponse(
        csv_lines(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
