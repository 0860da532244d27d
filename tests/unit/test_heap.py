import pytest

from app import heap

pytestmark = pytest.mark.unit


def test_the_heap_calls_reach_glibc_here_and_are_safe_to_repeat():
    # This machine is glibc (Debian): both calls must take effect, and calling them again is harmless.
    assert heap.limit_arenas() is True
    assert heap.limit_arenas() is True
    junk = [bytearray(50_000) for _ in range(2_000)]  # 100 MB on the heap (below mmap's threshold)
    pin = bytearray(50_000)  # above it, so free() cannot give the freed memory back by itself
    del junk
    assert heap.trim() is True  # only malloc_trim returns the pages in the middle of the heap
    del pin


def test_without_glibc_both_calls_do_nothing(monkeypatch):
    monkeypatch.setattr(heap, "_libc", lambda: None)
    assert heap.limit_arenas() is False and heap.trim() is False
