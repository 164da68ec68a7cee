"""Executors for :func:`nuem.scan.portal.scan` by name: ``processes[:N]`` or ``dask[:ADDRESS]``.

``processes``: a :class:`concurrent.futures.ProcessPoolExecutor` (N workers, default the CPU
count). ``dask``: a ``dask.distributed`` client (optional extra ``nuem[dask]``) on a scheduler at
``ADDRESS`` (e.g. ``tcp://10.0.0.5:8786``), or, without an address, on a new
``LocalCluster``; its ``get_executor()`` is a :class:`concurrent.futures.Executor`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor

from nuem.errors import NuemInputError

__all__ = ["dask_executor", "named_executor"]


@contextlib.contextmanager
def dask_executor(address: str | None = None, **cluster_kwargs) -> Iterator[Executor]:
    """A ``dask.distributed`` executor: on the scheduler at ``address``, or on a LocalCluster
    made with ``cluster_kwargs`` (e.g. ``processes=False, n_workers=2``) and closed on exit."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise NuemInputError(
            "executor 'dask' needs dask.distributed: pip install 'nuem[dask]'"
        ) from None
    cluster = None
    if address:
        client = Client(address)
    else:
        cluster = LocalCluster(**cluster_kwargs)
        client = Client(cluster)
    try:
        yield client.get_executor()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def named_executor(spec: str | None) -> Iterator[Executor | None]:
    """The executor called ``spec``: None/"serial" (none), "processes[:N]", "dask[:ADDRESS]"."""
    if spec is None or spec == "serial":
        yield None
        return
    kind, _, arg = spec.partition(":")
    if kind == "processes":
        try:
            n = int(arg) if arg else None
        except ValueError:
            raise NuemInputError(f"executor {spec!r}: N must be an integer") from None
        with ProcessPoolExecutor(max_workers=n) as ex:
            yield ex
        return
    if kind == "dask":
        with dask_executor(arg or None) as ex:
            yield ex
        return
    raise NuemInputError(f"executor = {spec!r}; allowed: serial, processes[:N], dask[:ADDRESS]")
