"""On-disk cache of scan results: one JSON file per key, written atomically.

A key is the sha256 of (card content hash, flavour, masses, settings, nuem version)
(:func:`nuem.rates.cache.content_key`, which adds the version). A file is written to a unique
temporary name in the same folder, flushed and fsync'ed, then renamed over the final name
(``os.replace`` is atomic on POSIX), so a reader sees either nothing or a complete file; a file
that does not parse, or whose stored key differs, counts as absent. A scan killed mid-way leaves
only complete chunk files (and perhaps a stray temporary), and the next run recomputes only the
chunks that are missing.

Folder: ``$NUEM_CACHE_DIR/scan`` if that variable is set, else ``~/.cache/nuem/scan``.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from nuem.rates.cache import content_key

__all__ = ["ScanCache", "default_dir", "scan_key"]


def default_dir() -> Path:
    """``$NUEM_CACHE_DIR/scan`` or ``~/.cache/nuem/scan``."""
    base = os.environ.get("NUEM_CACHE_DIR")
    return (Path(base).expanduser() if base else Path("~/.cache/nuem").expanduser()) / "scan"


def scan_key(*parts: Any) -> str:
    """Content key of a scan piece (parts: card hash, flavour, masses, settings)."""
    return content_key("portal-scan", *parts)


class ScanCache:
    """JSON values by key under ``folder`` (module doc)."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder).expanduser() if folder is not None else default_dir()

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str) -> Any | None:
        """The stored value, or None when absent, unreadable or foreign."""
        try:
            d = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(d, dict) or d.get("key") != key:
            return None
        return d.get("value")

    def put(self, key: str, value: Any) -> None:
        """Store ``value`` (JSON-serialisable) atomically."""
        self.folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"key": key, "value": value})
        fd, tmp = tempfile.mkstemp(prefix=f".{key[:16]}.", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
