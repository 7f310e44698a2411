"""Knowledge index benchmark: build, size, query latency and memory of the embedded LocalIndex.

    python bench/index.py [--chunks 200000] [--batch 10000]

Synthetic Vietnamese-like chunks: syllables drawn with Zipf frequencies from a list of common syllables
of administrative text, plus their bigrams (`thu_tuc`), as `motcua.core.text` produces them; 384-dim
random unit vectors; metadata spread over 4 source kinds, 100 agencies, 3 access levels and validity
ranges. Builds go in batches, as the indexer feeds them. Queries run in a fresh process, one thread.
Prints one figure per line as `name: value unit`.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # before numpy: queries are timed on one thread

import numpy as np  # noqa: E402

from motcua.knowledge.index.base import Entry, Filters  # noqa: E402
from motcua.knowledge.index.local import LocalIndex  # noqa: E402

SYLLABLES = """
thủ tục hành chính đăng ký thường trú tạm hộ khẩu giấy phép chứng nhận quyền sử dụng đất nhà ở công dân
cơ quan nhà nước ủy ban nhân dân tỉnh huyện xã phường thị trấn cấp sở ban ngành hồ sơ nộp trả kết quả thời
hạn ngày làm việc lệ phí miễn giảm điều khoản luật nghị định thông tư quyết văn bản quy thực hiện trách
nhiệm tổ chức cá trường hợp theo của các và được có không người đối với trong về này từ đến khi phải
một hai ba bốn năm sáu bảy tám chín mười đơn đề xác kinh doanh doanh nghiệp thuế thu nhập bảo hiểm xã
hội y tế giáo dục đào tạo lao động thương binh môi trường tài nguyên xây dựng giao thông vận tải nông
nghiệp phát triển nông thôn tư pháp hộ tịch khai sinh tử kết hôn ly hôn nuôi con nuôi quốc tịch lý lịch
căn cước định danh điện tử trực tuyến dịch vụ công bưu chính một cửa liên thông tiếp nhận giải quyết
chuyển phòng cán bộ công chức viên chức lãnh đạo phó chủ tịch giám đốc trưởng kiểm tra thanh tra khiếu
nại tố cáo xử vi phạm phạt tiền cảnh cáo tịch thu biện pháp khắc phục hậu quả thẩm quyền ký ban hành
hiệu lực thi hành bãi bỏ sửa đổi bổ sung thay thế áp dụng phạm vi điều chỉnh đối tượng giải thích từ
ngữ nguyên tắc chính sách hỗ trợ ưu đãi đầu tư dự án vốn ngân sách kế hoạch báo cáo thống kê số liệu
mẫu tờ khai bản sao chụp chính thẩm định phê duyệt cho phép gia hạn cấp lại đổi thu hồi hủy tạm dừng
đình chỉ hoạt động điều kiện yêu cầu thành phần lượng cách thức trình tự bước hướng dẫn nội dung
""".split()
ONSETS = "b c ch d đ g gi h k kh l m n ng nh p ph qu r s t th tr v x".split() + [""]
NUCLEI = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "ia", "uô", "ươ", "oa", "uy"]
TONES = {
    "a": "aàáảãạ",
    "ă": "ăằắẳẵặ",
    "â": "âầấẩẫậ",
    "e": "eèéẻẽẹ",
    "ê": "êềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ",
    "ô": "ôồốổỗộ",
    "ơ": "ơờớởỡợ",
    "u": "uùúủũụ",
    "ư": "ưừứửữự",
    "y": "yỳýỷỹỵ",
}
CODAS = ["", "c", "ch", "m", "n", "ng", "nh", "p", "t", "i", "o", "u"]
VOCABULARY = 6000
AGENCIES = [f"A{n:02d}" for n in range(100)]
KINDS = ["legal", "procedure", "document", "transcript"]
DIM = 384


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _tail() -> list[str]:
    """Rarer Vietnamese-like syllables (onset + toned nucleus + coda) after the common real ones."""
    rng, known, tail = np.random.default_rng(0), set(SYLLABLES), []
    while len(known) < VOCABULARY:
        nucleus = NUCLEI[rng.integers(len(NUCLEI))]
        toned = nucleus[:-1] + TONES[nucleus[-1]][rng.integers(6)]
        syllable = ONSETS[rng.integers(len(ONSETS))] + toned + CODAS[rng.integers(len(CODAS))]
        if syllable not in known:
            known.add(syllable)
            tail.append(syllable)
    return tail


SYLLABLES = list(dict.fromkeys(SYLLABLES)) + _tail()
# Zipf-Mandelbrot frequencies: the commonest syllable ~3.6% of running text, as "của"/"và" in Vietnamese.
WEIGHTS = 1.0 / (np.arange(1, len(SYLLABLES) + 1) + 2.7)
WEIGHTS /= WEIGHTS.sum()


def syllable_ids(rng: np.random.Generator, size: int) -> np.ndarray:
    return rng.choice(len(SYLLABLES), size=size, p=WEIGHTS)


def terms_of(ids: np.ndarray) -> list[str]:
    words = [SYLLABLES[i] for i in ids]
    return words + [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]


def batches(chunks: int, size: int, *, lexical: bool = True, dense: bool = True):
    """The same synthetic corpus on every call (one seed per batch)."""
    for start in range(0, chunks, size):
        rng = np.random.default_rng(start)
        n = min(size, chunks - start)
        lengths = rng.integers(60, 240, n)
        words = syllable_ids(rng, int(lengths.sum()))
        vectors = rng.standard_normal((n, DIM), dtype=np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        kinds, agencies = rng.integers(0, 4, n), rng.integers(0, 100, n)
        levels = rng.choice(3, n, p=[0.6, 0.3, 0.1])
        starts = rng.integers(2010, 2025, n)
        batch = []
        for i in range(n):
            dated = i % 10 < 3
            batch.append(
                Entry(
                    id=f"legal:{start + i}",
                    terms=terms_of(words[offsets[i] : offsets[i + 1]]) if lexical else [],
                    vector=vectors[i].tolist() if dense else None,
                    source_kind=KINDS[kinds[i]],
                    agency=AGENCIES[agencies[i]],
                    language="en" if i % 10 == 9 else "vi",
                    access_level=int(levels[i]),
                    valid_from=datetime.date(int(starts[i]), 1, 1) if dated else None,
                    valid_to=datetime.date(int(starts[i]) + 5, 12, 31) if dated and i % 2 else None,
                )
            )
        yield batch


def build(path: Path, chunks: int, size: int, **parts) -> float:
    index, seconds = LocalIndex(path), 0.0
    for batch in batches(chunks, size, **parts):
        started = time.perf_counter()
        index.add(batch)
        seconds += time.perf_counter() - started
    assert index.count() == chunks
    return seconds


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited over fork+exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(function, queries) -> list[float]:
    for query in queries[:10]:
        function(query)  # warm the page cache
    times = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        times.append((time.perf_counter() - started) * 1000)
    return times


def query_figures(index, rounds: int) -> dict[str, list[float]]:
    """Times (ms) of the four query kinds over `rounds` random queries each (the same on every backend)."""
    rng = np.random.default_rng(1)
    lexical = [terms_of(syllable_ids(rng, int(rng.integers(2, 5)))) for _ in range(rounds)]
    vectors = rng.standard_normal((rounds, DIM), dtype=np.float32)
    vectors = [list(map(float, v / np.linalg.norm(v))) for v in vectors]
    one_agency = Filters(agencies=("A07",))
    return {
        "lexical query": timed(lambda q: index.search_lexical(q, access_level=1, k=10), lexical),
        "filtered lexical query": timed(
            lambda q: index.search_lexical(q, access_level=2, k=10, filters=one_agency), lexical
        ),
        "dense query": timed(lambda v: index.search_dense(v, access_level=1, k=10), vectors),
        "filtered dense query": timed(
            lambda v: index.search_dense(v, access_level=2, k=10, filters=one_agency), vectors
        ),
    }


def serve(path: Path, chunks: int, rounds: int) -> None:
    """Open the built index and time queries (a fresh process, so memory is the serving memory)."""
    started = time.perf_counter()
    index = LocalIndex(path)
    print(f"index open {chunks} chunks: {(time.perf_counter() - started) * 1000:.0f} ms")
    figures = query_figures(index, rounds)
    for name, times in figures.items():
        label = f"{name} p50/p95 {chunks} chunks" + (" (1% allowed)" if name.startswith("filtered") else "")
        print(f"{label}: {statistics.median(times):.2f}/{percentile(times, 95):.2f} ms")
    print(
        f"filtered dense query p95 {chunks} chunks (1% allowed): {percentile(figures['filtered dense query'], 95):.2f} ms"
    )
    print(f"index peak memory: {peak_mb():.0f} MB")


def query_analysis(rounds: int = 500) -> None:
    """What every search does first: a question analysed into its terms (folding, syllables, bigrams)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from motcua.knowledge import analysis

    query = "Người từ đủ bao nhiêu tuổi phải chịu trách nhiệm hình sự về mọi tội phạm theo Bộ luật Hình sự?"
    analysis.analyse(query)  # loads the analyser
    ms = []
    for _ in range(rounds):
        started = time.perf_counter()
        analysis.analyse(query)
        ms.append((time.perf_counter() - started) * 1000)
    print(f"query analysis p95 (a 25-word question): {percentile(ms, 95):.2f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=10_000, help="entries per add() call")
    parser.add_argument("--rounds", type=int, default=300, help="queries timed per kind")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.chunks, args.rounds)

    query_analysis()
    n, workdir = args.chunks, Path(tempfile.mkdtemp(prefix="motcua-index-bench-"))
    try:
        seconds = build(workdir / "lexical", n, args.batch, dense=False)
        print(f"index build lexical {n} chunks: {seconds:.1f} s")
        seconds = build(workdir / "dense", n, args.batch, lexical=False)
        print(f"index build dense {n} chunks: {seconds:.1f} s")
        shutil.rmtree(workdir / "lexical"), shutil.rmtree(workdir / "dense")
        seconds = build(workdir / "both", n, args.batch)
        print(f"index build lexical+dense {n} chunks: {seconds:.1f} s")
        size = sum(f.stat().st_size for f in (workdir / "both").rglob("*") if f.is_file())
        print(f"index size on disk {n} chunks: {size / 1e6:.0f} MB")
        print(f"index build peak memory: {peak_mb():.0f} MB")
        sys.stdout.flush()
        command = [
            sys.executable,
            __file__,
            "--serve",
            str(workdir / "both"),
            "--chunks",
            str(n),
            "--rounds",
            str(args.rounds),
        ]
        subprocess.run(command, check=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
