"""The national public service portal (dichvucong.gov.vn) export: parse each scraped record, import the file.

    text.py          cleaning and splitting helpers
    problems.py      what could not be read, as (field, reason)
    channels.py      the channel table: channel, processing time, fee lines
    documents.py     the required-documents table: cases and their documents
    legal_basis.py   the legal-basis table: titles and document numbers
    record.py        one record (`parse_record`, the `ParsedProcedure` contract) and the JSONL reader
    figures.py       the figures the parser is judged on (`measure`)
    importer.py      `import_file`: the whole export into the database

Everything but `importer` is pure standard library, so the parser can be used without Django set up:
`import_file` and `ImportReport` are loaded from `importer` on first use.
"""

from __future__ import annotations

__all__ = ["ImportReport", "import_file"]


def __getattr__(name: str):
    if name in __all__:
        from . import importer

        return getattr(importer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
