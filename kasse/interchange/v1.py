"""The `kasse/v1` JSON document: validate it into domain values and write it back canonically.

`parse_document` (v1_parse.py) checks a decoded document completely and
reports every problem at once (record, field, Danish reason), so a
caseworker can fix a whole file in one go. `dump_document` (v1_dump.py)
writes the canonical form: every key present, in the order of FORMAT.md's
example (v1_keys.py), so that
`dump_document(parse_document(dump_document(x))) == dump_document(x)`.
The journal's notes and the tasks come along (`parse_records`, v1_journal.py).
With the file helpers (`load_json_file`, `write_json`, jsonfile.py) they
are gathered here, so a caller needs one import for a whole round trip.
"""

from kasse.interchange.fields import Problem
from kasse.interchange.jsonfile import load_json_file, write_json
from kasse.interchange.v1_dump import dump_document, dump_family, dump_person
from kasse.interchange.v1_keys import FORMAT
from kasse.interchange.v1_parse import InvalidDocument, Records, parse_document, parse_records

__all__ = [
    "FORMAT", "InvalidDocument", "Problem", "Records",
    "dump_document", "dump_family", "dump_person", "load_json_file", "parse_document", "parse_records", "write_json",
]  # fmt: skip
