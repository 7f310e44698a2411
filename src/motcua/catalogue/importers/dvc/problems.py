"""What a parser could not read, as (field, reason) pairs; a parser bug becomes one of them."""

from __future__ import annotations


class Problems(list):
    def add(self, field: str, reason: str) -> None:
        self.append({"field": field, "reason": reason})

    def guard(self, field: str, parse, *args, default=None):
        """Run one section parser; a bug on odd content becomes a problem, never an exception."""
        try:
            return parse(*args)
        except Exception as exc:  # noqa: BLE001 - the contract is to report, not to raise
            self.add(field, f"could not be parsed ({type(exc).__name__})")
            return [] if default is None else default
