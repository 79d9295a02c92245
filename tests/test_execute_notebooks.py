"""The notebook runner's wait for a kernel's reply (tests/execute_notebooks.py), without a kernel."""
import asyncio
import threading

import pytest

import execute_notebooks


def _run(coroutine):
    """asyncio.run on a thread of its own: the caller's thread may already run an event loop (pytest-xdist
    workers that ran the browser tests do)."""
    result = {}

    def target():
        try:
            result["value"] = asyncio.run(coroutine)
        except BaseException as err:  # re-raised in the caller
            result["error"] = err

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_the_reply_is_awaited_in_slices_and_the_timeout_still_holds(monkeypatch):
    """A missed wake-up of the shell socket costs one slice, not the cell's whole timeout (nbclient#312)."""
    from queue import Empty

    class Channel:  # the reply is there from the start, but the first two polls miss it
        def __init__(self, misses):
            self.waits, self.misses = [], misses

        async def get_msg(self, timeout=None):
            self.waits.append(timeout)
            if len(self.waits) <= self.misses:
                await asyncio.sleep(timeout)
                raise Empty
            return {"reply": True}

    monkeypatch.setattr(execute_notebooks, "SHELL_SLICE", 0.01)
    channel = Channel(misses=2)
    execute_notebooks._wait_in_slices(channel)
    assert _run(channel.get_msg(timeout=300)) == {"reply": True}
    assert len(channel.waits) == 3 and max(channel.waits) <= 0.01
    assert _run(channel.get_msg(timeout=None)) == {"reply": True}  # no timeout: slices for ever
    never = Channel(misses=10**9)
    execute_notebooks._wait_in_slices(never)
    with pytest.raises(Empty):  # the cell's timeout is still the limit
        _run(never.get_msg(timeout=0.05))
    assert 3 <= len(never.waits) <= 7
