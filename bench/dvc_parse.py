"""Portal parser figures: how much of the national export the parser structures, and the top problems.

    python bench/dvc_parse.py [../shared/data/procedures/dvc_procedures_6ministries.jsonl]

Pure parsing (`motcua.catalogue.importers.dvc`), no database. Prints each share against its target,
then how the document tables were structured (`name: value unit`, the requirements as the pre-check
sees them: conditional documents are not demanded), then the 15 most frequent problem reasons.
"""

from __future__ import annotations

import sys

from motcua.catalogue.importers.dvc.figures import measure
from motcua.catalogue.importers.dvc.record import read_jsonl
from motcua.precheck.requirements import is_conditional


def main(path: str) -> None:
    figures = measure([row for _, row in read_jsonl(path)])
    s = figures["stats"]

    def share(label: str, part: str, whole: str, target: str) -> None:
        percent = 100 * s[part] / max(s[whole], 1)
        print(f"{label:<40} {s[part]:5d} / {s[whole]:5d} ({percent:5.1f}%)  target {target}")

    share("records with code and name", "code_and_name", "records", ">= 2600 records")
    share("structured processing time", "structured_time", "records", ">= 95%")
    share("structured fees (where a fee is stated)", "fee_structured", "fee_stated", ">= 95%")
    share("documents with counts (where a table)", "documents_counted", "documents_table", ">= 95%")
    required = sum(
        not is_conditional(d["name"], d["notes"])
        for p in figures["parsed"]
        for c in p["cases"]
        for d in c["documents"]
    )
    for name, value in [
        ("catalogue cases", s["cases"]),
        ("catalogue case documents", s["documents"]),
        ("catalogue documents the pre-check demands", required),
        ("catalogue case notes", s["notes"]),
        ("catalogue records whose first case is exceptional", s["first_case_exceptional"]),
        ("catalogue records without a case", s["no_case"]),
    ]:
        print(f"{name}: {value} records" if name.startswith("catalogue records") else f"{name}: {value} rows")
    print("top problem reasons:")
    for reason, count in figures["reasons"].most_common(15):
        print(f"  {count:5d}  {reason}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/procedures/dvc_procedures_6ministries.jsonl")
