"""The PDF writer's speed measures that tests can pin without timing anything."""

from __future__ import annotations

import gc

from nap1325.reports.pdf import collector_paused


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block found it paused and leaves it so
    assert gc.isenabled()


def test_the_collector_is_restored_after_an_error():
    try:
        with collector_paused():
            raise ValueError("a writer failed")
    except ValueError:
        pass
    assert gc.isenabled()
