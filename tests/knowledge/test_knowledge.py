"""Sources to chunks to index to answers with citations, through the database, the real index and the
real embedder."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from motcua.knowledge import ingest, services
from motcua.knowledge.models import Access, Chunk, Source, SourceKind, Tombstone

pytestmark = pytest.mark.django_db

RESIDENCE = """QUỐC HỘI
Luật số: 68/2020/QH14
LUẬT CƯ TRÚ
Chương I. NHỮNG QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
Luật này quy định về việc thực hiện quyền tự do cư trú của công dân Việt Nam trên lãnh thổ Việt Nam.
Điều 2. Giải thích từ ngữ
1. Chỗ ở hợp pháp là nơi được sử dụng để sinh sống, thuộc quyền sở hữu hoặc quyền sử dụng của công dân.
2. Cư trú là việc công dân sinh sống tại một địa điểm thuộc đơn vị hành chính cấp xã.
Chương II. ĐĂNG KÝ THƯỜNG TRÚ
Điều 20. Điều kiện đăng ký thường trú
1. Công dân có chỗ ở hợp pháp thuộc quyền sở hữu của mình thì được đăng ký thường trú tại chỗ ở hợp pháp đó.
2. Công dân được đăng ký thường trú tại chỗ ở hợp pháp không thuộc quyền sở hữu của mình khi được chủ hộ đồng ý.
Điều 38. Hiệu lực thi hành
Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2021.
"""


def chunk(key, text, title="Điều 1"):
    return {"key": key, "text": text, "title_path": [title], "citation": title}


def test_store_counts_new_changed_unchanged_removed():
    first = services.store_source(
        kind=SourceKind.LEGAL,
        key="legal:x",
        title="X",
        chunks=[chunk("legal:x:1", "một"), chunk("legal:x:2", "hai")],
    )
    assert first == {"new": 2, "changed": 0, "unchanged": 0, "removed": 0}
    second = services.store_source(
        kind=SourceKind.LEGAL,
        key="legal:x",
        title="X",
        chunks=[chunk("legal:x:1", "một"), chunk("legal:x:3", "ba")],
    )
    assert second == {"new": 1, "changed": 0, "unchanged": 1, "removed": 1}
    assert Tombstone.objects.filter(key="legal:x:2").exists()


def test_indexing_is_batched_and_idempotent():
    services.store_source(
        kind=SourceKind.LEGAL,
        key="legal:x",
        title="X",
        chunks=[chunk(f"legal:x:{n}", f"điều khoản số {n} về cư trú") for n in range(7)],
    )
    seen = []
    assert (
        services.index_pending(batch=3, progress=lambda done, total: seen.append((done, total)))["indexed"]
        == 7
    )
    assert seen == [(3, 7), (6, 7), (7, 7)]
    assert services.index_pending()["indexed"] == 0
    assert services.index().count() == 7 and not Chunk.objects.pending().exists()


def test_legal_file_is_chunked_by_article_and_cited(tmp_path):
    path = tmp_path / "luat-cu-tru.txt"
    path.write_text(RESIDENCE, encoding="utf-8")
    call_command("legal_import", str(path))
    source = Source.objects.get(key="legal:68/2020/QH14")
    assert source.valid_from == datetime.date(2021, 7, 1)
    results, took = services.retrieve("điều kiện đăng ký thường trú", access_level=0)
    assert results[0].chunk.key.endswith(":20") or ":20:" in results[0].chunk.key
    assert "Điều 20" in results[0].citation and "68/2020/QH14" in results[0].citation
    # Lexical terms are folded, so typing without diacritics ranks exactly the same...
    accented, _ = services.retrieve("điều kiện đăng ký thường trú", access_level=0, mode="bm25")
    unaccented, _ = services.retrieve("dieu kien dang ky thuong tru", access_level=0, mode="bm25")
    assert [r.chunk.key for r in unaccented] == [r.chunk.key for r in accented]
    # ...and the hybrid ranking still puts the article near the top.
    hybrid, _ = services.retrieve("dieu kien dang ky thuong tru", access_level=0)
    assert results[0].chunk.key in [r.chunk.key for r in hybrid[:2]]


def test_bad_legal_files_are_refused_and_nothing_is_stored(tmp_path):
    empty = tmp_path / "rong.txt"
    empty.write_text("   \n", encoding="utf-8")
    with pytest.raises(CommandError, match="empty"):
        call_command("legal_import", str(empty))
    binary = tmp_path / "anh.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    with pytest.raises(CommandError):
        call_command("legal_import", str(binary))
    assert not Source.objects.exists() and not Chunk.objects.exists()


def test_access_level_and_date_filters_hold(tmp_path):
    services.store_source(
        kind=SourceKind.DOCUMENT,
        key="document:mat",
        title="Mật",
        access_level=Access.RESTRICTED,
        chunks=[chunk("document:mat:1", "kế hoạch thanh tra mật")],
    )
    services.store_source(
        kind=SourceKind.LEGAL,
        key="legal:cu",
        title="Cũ",
        valid_from=datetime.date(2010, 1, 1),
        valid_to=datetime.date(2020, 12, 31),
        chunks=[chunk("legal:cu:1", "thanh tra hết hiệu lực")],
    )
    services.index_pending()
    assert services.retrieve("kế hoạch thanh tra", access_level=0)[0] == []
    assert [r.chunk.key for r in services.retrieve("kế hoạch thanh tra mật", access_level=2)[0]][:1] == [
        "document:mat:1"
    ]
    assert services.retrieve("thanh tra hết hiệu lực", access_level=0)[0] == []
    old, _ = services.retrieve(
        "thanh tra hết hiệu lực", access_level=0, in_force_on=datetime.date(2015, 5, 1)
    )
    assert [r.chunk.key for r in old] == ["legal:cu:1"]


def test_catalogue_procedures_become_searchable_sections(demo):
    totals = ingest.sync_procedures()
    assert totals["sources"] == 25 and totals["new"] >= 25 * 4
    services.index_pending()
    results, _ = services.retrieve(
        "làm giấy khai sinh cho con cần giấy tờ gì", access_level=0, source_kinds=("procedure",)
    )
    assert results[0].chunk.source.number == "1.001193"
    assert "1.001193" in results[0].citation
    again = ingest.sync_procedures()
    assert again["new"] == again["changed"] == again["removed"] == 0


def test_search_page_and_api(client, demo):
    from motcua.accounts.models import User

    ingest.sync_procedures()
    assert client.get("/tra-cuu-tri-thuc/", {"q": "khai sinh"}).status_code == 302  # sign in first
    client.force_login(User.objects.get(username="chuyenvien"))
    pending = Chunk.objects.pending().count()
    notice = 'class="notice" role="status">'
    assert f"{notice}{pending} " in client.get("/tra-cuu-tri-thuc/").content.decode()
    services.index_pending()
    assert notice not in client.get("/tra-cuu-tri-thuc/").content.decode()
    page = client.get("/tra-cuu-tri-thuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert "<mark>" in page and "1.001193" in page
    body = client.get("/api/search", {"q": "đăng ký kết hôn", "k": 3}).json()
    assert len(body["results"]) == 3 and body["results"][0]["source"] == "procedure:1.000894"
    assert client.get("/api/search").status_code == 400
    assert client.get("/api/search", {"q": "x", "on": "not-a-date"}).status_code == 400


def test_a_50_mb_text_is_refused_clearly_and_nothing_is_stored(tmp_path):
    huge = tmp_path / "qua-lon.txt"
    line = "Điều 1. Phạm vi điều chỉnh. Luật này quy định về cư trú của công dân.\n".encode()
    huge.write_bytes(line * (50 * 1024 * 1024 // len(line) + 1))
    with pytest.raises(CommandError, match="over the limit.*Nothing was imported"):
        call_command("legal_import", str(huge))
    assert not Source.objects.exists() and not Chunk.objects.exists()


def test_a_corpus_with_a_bad_line_stores_no_law(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"law_id": "A", "article_id": "1", "text": "Điều 1. Một\\nNội dung."}\n'
        '{"law_id": "B", "article_id": "1", "text": "Điều 1. Hai\\nNội dung."}\n'
        '{"law_id": "C", "article_id": "1"}\n',
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="line 3: missing field"):
        call_command("legal_import", str(corpus))
    assert not Source.objects.exists() and not Chunk.objects.exists()


def test_long_sections_are_chunked_to_the_embedders_token_limit():
    """A long procedure section and a long legal article both end in chunks the model can embed whole."""
    model = services.embedder()
    steps = "\n".join(
        f"Bước {n}: Cán bộ tiếp nhận kiểm tra hồ sơ số 12/2024/TT-BTP, mã 1.001193, phí 50.000 đồng, "
        f"trả kết quả trong {n} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ theo quy định." * 3
        for n in range(60)
    )
    parts = ingest._split(steps)
    assert len(parts) > 3
    assert all(model.count_tokens(part) <= ingest.CHUNK_TOKENS for part in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(steps.split())  # nothing lost or repeated
    article = "Điều 5. Quy định dài\n" + "\n".join(
        f"{n}. Khoản {n} quy định chi tiết về hồ sơ, thời hạn và lệ phí đăng ký cư trú của công dân. " * 4
        for n in range(1, 40)
    )
    doc = ingest.legal.parse_text(article, number="1/2024/QH15")
    chunks = ingest._legal_chunks("1/2024/QH15", doc.articles, doc)
    assert len(chunks) > 1
    passages = ["\n".join([*c["title_path"][-1:], c["text"]]) for c in chunks]
    assert all(model.count_tokens(p) <= model.max_tokens for p in passages)
