"""Files sent as downloads: streamed CSV that spreadsheets open safely."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponseBase, StreamingHttpResponse
from django.utils.cache import add_never_cache_headers

#: A spreadsheet takes a cell starting with one of these for a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> object:
    """Neutralise text a spreadsheet would run as a formula (OWASP's advice).

    Numbers are left alone: number columns stay numeric.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns what it was given: csv.writer into a generator."""

    def write(self, value: str) -> str:
        return value


def csv_text(rows: Iterable[list], *, rows_per_chunk: int = 200) -> Iterator[str]:
    """CSV text in chunks, starting with a byte order mark so Excel reads UTF-8."""
    writer = csv.writer(_Echo())
    chunk = ["\ufeff"]
    for row in rows:
        chunk.append(writer.writerow(row))
        if len(chunk) >= rows_per_chunk:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)


def as_attachment(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """Send as a download that no cache keeps: these files are personal."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


def csv_download(rows: Iterable[list], filename: str) -> HttpResponseBase:
    response = StreamingHttpResponse(
        csv_text(rows), content_type="text/csv; charset=utf-8"
    )
    return as_attachment(response, filename)
