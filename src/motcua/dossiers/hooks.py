"""What other apps do when a dossier's files arrive (at submission, or with a supplement). They register
in their AppConfig.ready(), so dossiers never imports them: the pre-check schedules its check here. Each
hook runs inside the transition's transaction; one that has work to do queues it on commit."""

from __future__ import annotations

from collections.abc import Callable

_files_received: list[Callable] = []


def on_files_received(hook: Callable) -> Callable:
    if hook not in _files_received:
        _files_received.append(hook)
    return hook


def files_received(dossier) -> None:
    for hook in _files_received:
        hook(dossier)
