"""The raw suite: what the extractors landed, before dbt touches it.

Reads only current rows: raw keeps every version of a changed file, and only the current one has
to be one-per-file-and-record. The text itself never reaches pandas; its length is computed in SQL.
"""
from __future__ import annotations

from collections.abc import Sequence

import great_expectations as gx
from great_expectations.expectations.expectation import Expectation

from expectations import thresholds as t
from expectations.spec import ReferenceSets, TableCheck, check

E = gx.expectations


def _document_expectations(refs: ReferenceSets) -> Sequence[Expectation]:
    return [
        check("critical", "raw_doc_id_not_null", "Every document is addressable.",
              E.ExpectColumnValuesToNotBeNull(column="doc_id")),
        check("critical", "raw_doc_id_unique", "The same bytes give the same id, stored once.",
              E.ExpectColumnValuesToBeUnique(column="doc_id")),
        check("critical", "raw_text_not_empty",
              "A document with no text yields nothing; it should have been quarantined.",
              E.ExpectColumnValuesToBeBetween(column="text_length", min_value=1)),
        check("critical", "raw_char_count_matches_text",
              "char_count is the length of text in code points, which every offset relies on.",
              E.ExpectColumnPairValuesToBeEqual(column_A="char_count", column_B="text_length")),
        check("critical", "raw_encoding_known", "An unknown encoding means the decoder guessed.",
              E.ExpectColumnValuesToBeInSet(column="encoding", value_set=list(t.KNOWN_ENCODINGS))),
        check("critical", "raw_source_format_known", "Contract: the formats the extractors read.",
              E.ExpectColumnValuesToBeInSet(column="source_format", value_set=list(t.KNOWN_SOURCE_FORMATS))),
        check("critical", "raw_one_row_per_file_and_record",
              "A file (or a corpus file's record) is one current document; two means a double load.",
              E.ExpectColumnValuesToBeUnique(column="file_record")),
    ]


CHECKS: tuple[TableCheck, ...] = (
    TableCheck(
        layer="raw",
        name="documents",
        description="Current raw documents: text present and decoded, one per file and record.",
        requires={"raw.documents": ("doc_id", "source_path", "source_format", "encoding", "record_key",
                                    "text", "char_count", "is_current")},
        # record_key is null for single-document files; '' keeps those in the uniqueness check
        # (GX skips nulls), and the unit separator cannot occur in a path.
        select_sql="""
            select doc_id, source_path, source_format, encoding, char_count,
                   length(text) as text_length,
                   source_path || chr(31) || coalesce(record_key, '') as file_record
            from raw.documents
            where coalesce(is_current, true)
        """,
        expectations=_document_expectations,
        key_column="doc_id",
        # Never chunked: two uniqueness expectations on different keys cannot share one hash
        # partition, and one narrow row per document (no text) stays small at any corpus size.
        partition_by=None,
        locate_sql="""
            select doc_id, any_value(source_path), null, any_value(coalesce(record_key, title))
            from raw.documents where doc_id in (select unnest(?::varchar[])) group by doc_id
        """,
    ),
)
