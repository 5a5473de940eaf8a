"""Give back the memory that visitors who left were holding.

Streamlit keeps a disconnected session for ``server.disconnectedSessionTTL`` seconds
(120) so that a visitor whose connection blinked finds the page as it was. Its store
(a TTL cache) only forgets an expired session when another one is written to it, so after
a wave of visitors the last ones (up to 128 sessions, with their state and data frames)
stayed in memory until someone else left, and an expired session is dropped without
being shut down, so what it registered in the runtime (the deferred data of its download
buttons, holding its filtered rows) stayed for good. Measured: 54,000 objects still alive
two minutes after 120 simulated visitors had gone.

:func:`reap_forever` runs in the server (``serve.py``): every 10 s it drops the sessions
whose window is over and shuts them down, then collects the reference cycles they leave behind and asks the
C allocator to hand free pages back. The allocator itself is chosen at launch
(``scripts/serve.sh``: jemalloc, which returns unused pages within seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import gc
import logging
from typing import Any

REAP_EVERY_S = 10.0
_log = logging.getLogger(__name__)


def _session_cache(runtime: Any) -> Any | None:
    """Streamlit's store of disconnected sessions, or None if this Streamlit has another.

    Private attributes of Streamlit 1.67 (pinned in requirements.txt): a test checks them,
    so an upgrade that renames them fails there instead of silently keeping sessions."""
    manager = getattr(runtime, "_session_mgr", None)
    storage = getattr(manager, "_session_storage", None)
    cache = getattr(storage, "_cache", None)
    return cache if callable(getattr(cache, "expire", None)) else None


def drop_expired_sessions(runtime: Any) -> int:
    """Close the disconnected sessions whose reconnection window is over; how many.

    Closed as Streamlit closes a stored session itself (``close_session``): removed from
    the store, then shut down, which also releases what the session registered elsewhere
    in the runtime (its download buttons' deferred data, its data frames' sources)."""
    cache = _session_cache(runtime)
    if cache is None:
        return 0
    lock = getattr(runtime._session_mgr, "_storage_lock", None) or contextlib.nullcontext()
    with lock:
        expired = cache.expire()
    for _session_id, info in expired:
        try:
            info.session.shutdown()
        except Exception as error:  # one broken session must not keep the others
            _log.warning("fermeture d'une session expirée impossible : %s", error)
    return len(expired)


def _trim_heap() -> None:
    """Ask glibc to give back free heap pages (no-op where malloc_trim does not exist)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def release(runtime: Any) -> int:
    """Drop expired sessions and, if there were any, free what they held; how many."""
    dropped = drop_expired_sessions(runtime)
    if dropped:
        gc.collect()
        _trim_heap()
    return dropped


def _current_runtime() -> Any | None:
    from streamlit.runtime import Runtime

    return Runtime.instance() if Runtime.exists() else None


async def reap_forever(every: float = REAP_EVERY_S) -> None:
    """Call :func:`release` every ``every`` seconds, on the server's event loop (where
    Streamlit itself touches the session store), until cancelled."""
    while True:
        await asyncio.sleep(every)
        runtime = _current_runtime()
        if runtime is None:
            continue
        try:
            dropped = release(runtime)
        except Exception as error:  # never let housekeeping take the server down
            _log.warning("nettoyage des sessions impossible : %s", error)
            continue
        if dropped:
            _log.info("%d session(s) déconnectée(s) libérée(s)", dropped)
