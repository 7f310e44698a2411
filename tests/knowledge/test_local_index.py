import fcntl
import subprocess
import sys
import threading

import numpy as np
import pytest

from motcua.knowledge.index.local import LocalIndex
from motcua.knowledge.index.memory import MemoryIndex

from .index_conformance import IndexConformance, entry, ids


class TestMemoryIndex(IndexConformance):
    @pytest.fixture
    def index(self):
        return MemoryIndex()


class TestLocalIndex(IndexConformance):
    @pytest.fixture
    def index(self, tmp_path):
        return LocalIndex(tmp_path / "index")

    def reopen(self, index):
        return LocalIndex(index.path)


@pytest.fixture
def local(tmp_path):
    return LocalIndex(tmp_path / "index")


def test_other_instances_see_commits_after_reload(local):
    reader = LocalIndex(local.path)
    local.add([entry("a", "x", [1.0, 0.0])])
    assert reader.count() == 0 and reader.search_dense([1.0, 0.0], access_level=0) == []
    reader.reload()
    assert reader.count() == 1
    assert ids(reader.search_dense([1.0, 0.0], access_level=0)) == ["a"]


def test_a_crash_before_the_commit_leaves_both_parts_in_step(local, monkeypatch):
    local.add([entry("old", "x", [1.0, 0.0]), entry("kept", "x", [0.0, 1.0])])

    def crash(self, writer):
        raise OSError("power cut")

    monkeypatch.setattr(LocalIndex, "_commit", crash)
    with pytest.raises(OSError):
        local.add(
            [entry("new", "x", [1.0, 0.0]), entry("old", "y", [0.0, 1.0])]
        )  # vectors written, no commit
    monkeypatch.undo()

    reopened = LocalIndex(local.path)
    assert reopened.count() == 2
    assert ids(reopened.search_dense([1.0, 0.0], access_level=0)) == ["old", "kept"]  # old vector, no "new"
    assert ids(reopened.search_lexical(["y"], access_level=0)) == []
    reopened.add([entry("new", "x", [1.0, 0.0])])
    assert sorted(ids(reopened.search_dense([1.0, 0.0], access_level=0))) == ["kept", "new", "old"]


def test_small_batches_are_compacted(local):
    rng = np.random.default_rng(0)
    for batch in range(40):
        local.add([entry(f"e{batch}:{n}", "x", list(rng.standard_normal(8))) for n in range(5)])
    local.delete([f"e{batch}:0" for batch in range(40)])
    assert local.count() == 160
    assert len(local._state.segments) <= 8
    assert len(local.search_dense([1.0] * 8, access_level=0, k=500)) == 160
    local.clear()
    assert local._state.segments == []
    assert sorted(p.name for p in (local.path / "dense").iterdir()) == ["manifest.json"]


def test_a_second_writer_waits_for_the_lock(local):
    done = threading.Event()
    with open(local.path / "write.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        thread = threading.Thread(target=lambda: (local.add([entry("a", "x")]), done.set()))
        thread.start()
        assert not done.wait(0.3)
        fcntl.flock(lock, fcntl.LOCK_UN)
    thread.join(10)
    assert done.is_set() and local.count() == 1


def test_a_vector_of_another_dimension_is_refused(local):
    local.add([entry("a", "x", [1.0, 0.0])])
    with pytest.raises(ValueError):
        local.add([entry("b", "x", [1.0, 0.0, 0.0])])
    with pytest.raises(ValueError):
        local.search_dense([1.0, 0.0, 0.0], access_level=0)
    assert local.count() == 1


WRITER = """
import random, sys
from motcua.knowledge.index.base import Entry
from motcua.knowledge.index.local import LocalIndex
index, rng = LocalIndex(sys.argv[1]), random.Random(3)
for batch in range(30):
    vector = lambda: [rng.gauss(0, 1) for _ in range(4)]
    index.add([Entry(f"e{rng.randrange(400)}", ["x"], vector()) for _ in range(20)])
    index.delete([f"e{rng.randrange(400)}" for _ in range(5)])
"""


def test_a_reader_in_another_process_never_sees_the_parts_out_of_step(local):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(local.path)])
    checks = 0
    while writer.poll() is None or checks == 0:
        local.reload()
        count = local.count()
        assert len(local.search_dense([1.0, 0.0, 0.0, 0.0], access_level=0, k=1000)) == count
        assert len(local.search_lexical(["x"], access_level=0, k=1000)) == count
        checks += 1
    assert writer.wait() == 0 and checks > 1
