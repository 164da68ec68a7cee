"""Content-hash caching of the rates engine's kernels and templates (DESIGN §4).

Every cached object is keyed by the sha256 of *all* the inputs that determine it (card content
hash, source fingerprint, atomic model, grid settings, bin edges, nuem version), never by object
identity, so a changed card or a different flux model can never return a stale result.

- In memory: a bounded LRU dict (:data:`MEMORY`), always on.
- On disk: optional, **off by default**. ``enable_disk_cache()`` (or the environment variable
  ``NUEM_CACHE_DIR``) stores numpy arrays under ``~/.cache/nuem/rates`` (or the given folder) as
  ``<key>.npz``; only plain arrays are written, and a file is used only if its key matches.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import nuem

__all__ = [
    "MEMORY",
    "LRUCache",
    "clear",
    "content_key",
    "disable_disk_cache",
    "disk_cache_dir",
    "enable_disk_cache",
    "cached_arrays",
]


def _canonical(obj: Any) -> Any:
    """A JSON-serialisable canonical form of ``obj`` (arrays by dtype, shape and bytes hash)."""
    if isinstance(obj, np.ndarray):
        a = np.ascontiguousarray(obj)
        return {"__array__": [str(a.dtype), list(a.shape), hashlib.sha256(a.tobytes()).hexdigest()]}
    if isinstance(obj, dict):
        return {str(k): _canonical(v) for k, v in sorted(obj.items(), key=lambda kv: str(kv[0]))}
    if isinstance(obj, list | tuple):
        return [_canonical(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return repr(float(obj))
    if isinstance(obj, int | np.integer | bool | np.bool_ | str) or obj is None:
        return obj if not isinstance(obj, np.generic) else obj.item()
    return repr(obj)


def content_key(*parts: Any) -> str:
    """sha256 hex digest of the canonical JSON of ``parts`` plus the nuem version."""
    payload = json.dumps([nuem.__version__, *map(_canonical, parts)], sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class LRUCache:
    """A small least-recently-used mapping key -> object with a maximum number of entries."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = int(maxsize)
        self._data: OrderedDict[str, Any] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, build: Callable[[], Any]) -> Any:
        """The object stored under ``key``, building (and storing) it on a miss."""
        if key in self._data:
            self.hits += 1
            self._data.move_to_end(key)
            return self._data[key]
        self.misses += 1
        value = build()
        self._data[key] = value
        while len(self._data) > self.maxsize:
            self._data.popitem(last=False)
        return value

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def clear(self) -> None:
        self._data.clear()
        self.hits = self.misses = 0


#: The process-wide in-memory cache of the rates engine.
MEMORY = LRUCache()

_DISK: dict[str, Path | None] = {"dir": None}
if os.environ.get("NUEM_CACHE_DIR"):
    _DISK["dir"] = Path(os.environ["NUEM_CACHE_DIR"]).expanduser() / "rates"


def enable_disk_cache(path: str | Path | None = None) -> Path:
    """Turn the on-disk array cache on (default folder ``~/.cache/nuem/rates``); returns it."""
    base = Path(path).expanduser() if path is not None else Path("~/.cache/nuem").expanduser()
    _DISK["dir"] = base / "rates"
    return _DISK["dir"]


def disable_disk_cache() -> None:
    """Turn the on-disk cache off (files already written are left in place)."""
    _DISK["dir"] = None


def disk_cache_dir() -> Path | None:
    """The on-disk cache folder, or None when the disk cache is off."""
    return _DISK["dir"]


def cached_arrays(key: str, build: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Arrays ``{name: array}`` built once per ``key``: memory, then disk (if on), then built."""

    def load_or_build() -> dict[str, np.ndarray]:
        folder = _DISK["dir"]
        if folder is not None:
            f = folder / f"{key}.npz"
            if f.is_file():
                try:
                    with np.load(f, allow_pickle=False) as z:
                        if str(z["__key__"]) == key:
                            return {k: z[k] for k in z.files if k != "__key__"}
                except (OSError, ValueError, KeyError):
                    pass  # unreadable or foreign file: rebuild and overwrite
        arrays = build()
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = folder / f"{key}.{os.getpid()}.tmp.npz"  # one writer per file: atomic
            np.savez(tmp, __key__=np.array(key), **arrays)
            tmp.replace(folder / f"{key}.npz")
        return arrays

    return MEMORY.get(key, load_or_build)


def clear() -> None:
    """Empty the in-memory cache (the disk cache is untouched)."""
    MEMORY.clear()
