from __future__ import annotations

import gc
import threading

import pytest

from vigil.gcpause import paused_collector


@pytest.fixture(autouse=True)
def _collector_running():
    gc.enable()
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_resumes_after() -> None:
    with paused_collector():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_it_resumes_after_an_exception() -> None:
    with pytest.raises(RuntimeError), paused_collector():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_nested_pauses_resume_only_when_the_outermost_ends() -> None:
    with paused_collector():
        with paused_collector():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    with paused_collector():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_two_threads_resume_when_the_last_ends() -> None:
    inside, release = threading.Event(), threading.Event()

    def other() -> None:
        with paused_collector():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    with paused_collector():
        thread.start()
        assert inside.wait(5)
    assert not gc.isenabled()  # the other thread's pause still holds
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_cycle_made_during_a_pause_is_collected_after_it() -> None:
    class Node:
        pass

    with paused_collector():
        node = Node()
        node.self = node
        before = sum(isinstance(o, Node) for o in gc.get_objects())
        del node
    gc.collect()
    assert before == 1
    assert not any(isinstance(o, Node) for o in gc.get_objects())
