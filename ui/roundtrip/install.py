"""Puts the round trip into the main window: the external-change watch, send, extend, import."""

from __future__ import annotations

from dataclasses import dataclass

from ui.roundtrip.watch import ExternalChanges


@dataclass
class Roundtrip:
    watch: ExternalChanges


def install(window) -> Roundtrip:
    return Roundtrip(watch=ExternalChanges(window))
