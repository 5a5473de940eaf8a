"""The housekeeping that frees the sessions of visitors who left (components.memory)."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import weakref
from types import SimpleNamespace
from unittest import mock

from streamlit.runtime.memory_session_storage import MemorySessionStorage
from streamlit.runtime.websocket_session_manager import WebsocketSessionManager

from components import memory


class _State:
    """Stands for what a session holds (its widgets' state, data frames)."""


def _stored_session(storage: MemorySessionStorage, session_id: str) -> weakref.ref:
    state = _State()
    state.me = state  # a reference cycle, as real sessions have: only the collector frees it
    storage.save(SimpleNamespace(session=SimpleNamespace(id=session_id, state=state, shutdown=_shutdown)))
    return weakref.ref(state)


SHUT_DOWN: list[str] = []


def _shutdown() -> None:
    SHUT_DOWN.append("session")


def _manager(storage: MemorySessionStorage) -> WebsocketSessionManager:
    """Streamlit's own session manager around a given store (as its server builds it)."""
    return WebsocketSessionManager(
        session_storage=storage,
        uploaded_file_manager=mock.Mock(),
        script_cache=mock.Mock(),
        message_enqueued_callback=None,
    )


def test_streamlits_store_keeps_expired_sessions_until_something_writes_to_it():
    """The behaviour that made the reaper necessary (if a Streamlit upgrade fixes it, the
    reaper becomes harmless; if it renames the store, the next test fails)."""
    storage = MemorySessionStorage(ttl_seconds=0.05)
    alive = _stored_session(storage, "s1")
    time.sleep(0.1)
    assert storage.list() == []  # invisible…
    gc.collect()
    assert alive() is not None  # …but still held


def test_release_drops_expired_sessions_and_frees_what_they_held():
    storage = MemorySessionStorage(ttl_seconds=2)
    runtime = SimpleNamespace(_session_mgr=_manager(storage))
    gone = [_stored_session(storage, f"s{n}") for n in range(3)]
    time.sleep(1.5)
    kept = _stored_session(storage, "recent")  # its window is not over when we release
    time.sleep(0.7)

    SHUT_DOWN.clear()
    assert memory.release(runtime) == 3
    assert SHUT_DOWN == ["session"] * 3  # as Streamlit's own close_session does
    assert all(ref() is None for ref in gone)
    assert kept() is not None
    assert [info.session.id for info in storage.list()] == ["recent"]
    assert memory.release(runtime) == 0


def test_an_unknown_runtime_is_left_alone():
    assert memory.drop_expired_sessions(SimpleNamespace()) == 0
    assert memory.release(object()) == 0


def test_the_reaper_runs_until_cancelled_and_survives_an_error():
    calls: list[str] = []

    def flaky_release(_runtime):
        calls.append("release")
        if len(calls) == 1:
            raise RuntimeError("boom")
        return 0

    async def run_briefly():
        with (
            mock.patch.object(memory, "_current_runtime", return_value=object()),
            mock.patch.object(memory, "release", side_effect=flaky_release),
        ):
            task = asyncio.create_task(memory.reap_forever(every=0.01))
            await asyncio.sleep(0.1)
            task.cancel()

    # in a thread of its own: the browser tests' Playwright may hold this thread's loop
    worker = threading.Thread(target=asyncio.run, args=(run_briefly(),))
    worker.start()
    worker.join()
    assert len(calls) >= 3  # went on after the error
