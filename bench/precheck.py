"""Pre-check benchmark on the development set (bench/precheck_devset.py): precision, recall and F1 per
finding kind, dossier-level accuracy (complete or not) and time per dossier, through the command-line
contract `motcua precheck DIR --procedure CODE --json`.

    python bench/precheck.py [--devset var/precheck-devset] [--only NAME-PREFIX] [-v]
    python bench/precheck.py --national [--catalogue FILE.jsonl] [--only NAME-PREFIX] [-v]

--national measures the pre-check on the REAL national catalogue: ten procedures imported by the real
importer from --catalogue (no admin rules), against bench/precheck_national.py's set; figures are
prefixed `precheck national` and add findings per dossier, false findings per dossier and the share
of dossiers checked against the right case.

One figure per line: `name: value unit`. Per-dossier differences go to stderr with -v.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import precheck_devset  # noqa: E402
import precheck_national  # noqa: E402

# What identifies a finding, per kind, when matching predictions to the labels.
KEYS = {
    "missing_document": ("requirement",),
    "wrong_count": ("requirement",),
    "expired_document": ("requirement",),
    "field_mismatch": ("requirement", "field"),
    "unrecognised_file": ("file",),
    "invalid_file": ("file",),
    "unreadable": ("file", "page"),
}
TARGET_S = 10.0
CATALOGUE = ROOT.parent / "shared" / "data" / "procedures" / "dvc_procedures_6ministries.jsonl"


def key(finding: dict) -> tuple:
    kind = finding["kind"]
    return (kind, *(finding.get(name) for name in KEYS[kind]))


def figure(name: str, value, unit: str = "") -> None:
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def setup(workdir: str) -> None:
    os.environ.update(MOTCUA_DATA_DIR=workdir, DJANGO_SETTINGS_MODULE="motcua.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalogue import demo
    from motcua.catalogue.models import Procedure, RequiredDocument
    from motcua.precheck.models import ProcedureRule

    call_command("migrate", verbosity=0)
    demo.load()
    for code, rules in precheck_devset.RULES.items():
        procedure = Procedure.objects.get(code=code)
        case = procedure.cases.all()[precheck_devset.CASES[code] - 1]
        for prefix, kind, value in rules:
            document = RequiredDocument.objects.get(case=case, name__startswith=prefix)
            ProcedureRule.objects.create(procedure=procedure, document=document, kind=kind, value=value)


def setup_national(workdir: str, catalogue: Path) -> None:
    """A fresh database holding the ten national procedures, imported by the real importer; no rules."""
    os.environ.update(MOTCUA_DATA_DIR=workdir, DJANGO_SETTINGS_MODULE="motcua.settings")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    wanted = set(precheck_national.CODES)
    ten = Path(workdir) / "national-ten.jsonl"
    with catalogue.open(encoding="utf-8") as source, ten.open("w", encoding="utf-8") as out:
        for line in source:
            if line.strip() and json.loads(line).get("ma_thu_tuc") in wanted:
                out.write(line if line.endswith("\n") else line + "\n")
    call_command("catalogue_import", str(ten), summary=True, stdout=io.StringIO())
    from motcua.catalogue.models import Procedure

    found = set(Procedure.objects.filter(code__in=wanted).values_list("code", flat=True))
    if found != wanted:
        sys.exit(f"the catalogue lacks {sorted(wanted - found)}")


def devset(path: Path, seed: int, module=precheck_devset, what: str = "the development set") -> list[Path]:
    version = path / "VERSION"
    if not (version.exists() and version.read_text() == str(module.VERSION)):
        shutil.rmtree(path, ignore_errors=True)
        started = time.perf_counter()
        module.build(path, seed)
        print(f"rendered {what} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return sorted(p for p in path.iterdir() if p.is_dir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devset", type=Path, default=None, help="folder of the rendered set")
    parser.add_argument(
        "--seed",
        type=int,
        default=precheck_devset.SEED,
        help="another seed renders a held-out variant (same templates, other people and degradations)",
    )
    parser.add_argument("--only", default="")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument(
        "--national",
        action="store_true",
        help="the ten national procedures (bench/precheck_national.py) on the real imported catalogue",
    )
    parser.add_argument(
        "--catalogue", type=Path, default=CATALOGUE, help="the national catalogue (JSON lines)"
    )
    args = parser.parse_args()
    if args.national:
        national(args)
        return
    suffix = "" if args.seed == precheck_devset.SEED else f"-{args.seed}"
    path = args.devset or ROOT / "var" / f"precheck-devset{suffix}"
    folders = [f for f in devset(path, args.seed) if f.name.startswith(args.only)]
    workdir = tempfile.mkdtemp(prefix="motcua-bench-precheck-")
    try:
        setup(workdir)
        run(folders, args.verbose)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def national(args) -> None:
    if not args.catalogue.exists():
        print(f"precheck national: skipped, no catalogue at {args.catalogue}", file=sys.stderr)
        return
    seed = precheck_national.SEED if args.seed == precheck_devset.SEED else args.seed
    suffix = "" if seed == precheck_national.SEED else f"-{seed}"
    path = args.devset or ROOT / "var" / f"precheck-national{suffix}"
    found = devset(path, seed, precheck_national, "the national set")
    folders = [f for f in found if f.name.startswith(args.only)]
    workdir = tempfile.mkdtemp(prefix="motcua-bench-precheck-national-")
    try:
        setup_national(workdir, args.catalogue)
        run(folders, args.verbose, prefix="precheck national", national=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(folders: list[Path], verbose: bool, prefix: str = "precheck", national: bool = False) -> None:
    from django.core.management import call_command

    true_pos, false_pos, false_neg = Counter(), Counter(), Counter()
    correct = 0
    seconds, scanned_5 = [], []
    reported, unfounded, right_case = 0, 0, 0
    scored: list[tuple[str, float, bool]] = []  # each finding: kind, confidence, a real problem?
    for folder in folders:
        expected = json.loads(folder.with_name(folder.name + ".expected.json").read_text())
        out = io.StringIO()
        started = time.perf_counter()
        call_command("precheck", str(folder), procedure=expected["procedure"], json=True, stdout=out)
        elapsed = time.perf_counter() - started
        seconds.append(elapsed)
        result = json.loads(out.getvalue())
        if result["pages"] == 5 and result["ocr_pages"] == 5:
            scanned_5.append(elapsed)
        wanted = Counter(key(f) for f in expected["findings"])
        got = Counter(key(f) for f in result["findings"])
        for k in wanted | got:
            true_pos[k[0]] += min(wanted[k], got[k])
            false_pos[k[0]] += max(0, got[k] - wanted[k])
            false_neg[k[0]] += max(0, wanted[k] - got[k])
        left = wanted.copy()
        for finding in result["findings"]:
            hit = left[key(finding)] > 0
            left[key(finding)] -= hit
            scored.append((finding["kind"], finding["confidence"], hit))
        correct += result["complete"] == (not expected["findings"])
        reported += len(result["findings"])
        unfounded += sum((got - wanted).values())
        case_ok = result.get("case", "") == expected.get("case_name", "")
        right_case += case_ok
        if verbose and wanted != got:
            print(
                f"{folder.name}: missed {sorted(wanted - got)} extra {sorted(got - wanted)}", file=sys.stderr
            )
            for f in result["findings"]:
                print(
                    f"    {f['kind']} {f['requirement']} {f['file']} p{f['page']}: {f['detail']} [{f['evidence']}]",
                    file=sys.stderr,
                )
        if verbose and national and not case_ok:
            print(
                f"{folder.name}: case {result.get('case')!r} (runner-up {result.get('runner_up', '')!r}, "
                f"{result.get('case_reason', '')}), expected case {expected['case']} {expected['case_name']!r}",
                file=sys.stderr,
            )
        if verbose:
            print(f"{folder.name}: {elapsed:.1f} s {result['timings_ms']}", file=sys.stderr)
    figure(f"{prefix} dossiers", len(folders))
    for kind in KEYS:
        tp, fp, fn = true_pos[kind], false_pos[kind], false_neg[kind]
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        figure(f"{prefix} precision {kind}", f"{precision:.2f}")
        figure(f"{prefix} recall {kind}", f"{recall:.2f}")
        figure(f"{prefix} F1 {kind}", f"{f1:.2f}")
    tp, fp, fn = sum(true_pos.values()), sum(false_pos.values()), sum(false_neg.values())
    micro = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    figure(f"{prefix} F1 all findings (micro)", f"{micro:.2f}")
    figure(f"{prefix} dossier-level accuracy", f"{correct / len(folders):.2f}")
    if national:
        figure(f"{prefix} findings per dossier", f"{reported / len(folders):.2f}")
        figure(f"{prefix} false findings per dossier", f"{unfounded / len(folders):.2f}")
        figure(f"{prefix} case chosen correctly", f"{right_case / len(folders):.2f}")
    calibration(prefix, scored)
    figure(f"{prefix} mean time per dossier", f"{sum(seconds) / len(seconds):.1f}", "s")
    figure(f"{prefix} p95 time per dossier", f"{percentile(seconds, 95):.1f}", "s")
    if scanned_5:
        figure(f"{prefix} 5-page scanned dossiers", len(scanned_5))
        figure(f"{prefix} p95 5-page scanned dossier", f"{percentile(scanned_5, 95):.1f}", "s")
        figure(
            f"{prefix} 5-page scanned dossier within target",
            str(percentile(scanned_5, 95) <= TARGET_S).lower(),
        )


def calibration(prefix: str, scored: list[tuple[str, float, bool]]) -> None:
    """How well a finding's confidence says how often such a finding is a real problem: expected
    calibration error over ten bins (0 is perfect), and per kind the mean confidence beside the
    share of its findings that were real."""
    if not scored:
        return
    bins: dict[int, list[tuple[float, bool]]] = {}
    for _, confidence, hit in scored:
        bins.setdefault(min(int(confidence * 10), 9), []).append((confidence, hit))
    error = sum(
        len(b) * abs(sum(c for c, _ in b) / len(b) - sum(h for _, h in b) / len(b)) for b in bins.values()
    )
    figure(f"{prefix} confidence calibration error (ECE)", f"{error / len(scored):.3f}")
    for kind in sorted({kind for kind, _, _ in scored}):
        mine = [(c, h) for k, c, h in scored if k == kind]
        mean = sum(c for c, _ in mine) / len(mine)
        real = sum(h for _, h in mine) / len(mine)
        figure(f"{prefix} mean confidence {kind}", f"{mean:.2f}")
        figure(f"{prefix} share of real findings {kind}", f"{real:.2f}", f"of {len(mine)}")


if __name__ == "__main__":
    main()
