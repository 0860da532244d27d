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


def _resident_kb(path) -> int:
    total, inside = 0, False
    with open("/proc/self/smaps", encoding="utf-8") as f:
        lines = f.read().splitlines()
    for line in lines:
        fields = line.split()
        if fields[0].endswith(":"):
            if inside and fields[0] == "Rss:":
                total += int(fields[1])
        else:
            inside = len(fields) >= 6 and fields[5] == str(path)
    return total


def test_dropped_file_pages_leave_the_process_and_come_back_on_use(tmp_path):
    import mmap

    path = tmp_path / "weights.bin"
    path.write_bytes(bytes(range(256)) * 4096 * 8)  # 8 MB
    with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, prot=mmap.PROT_READ) as m:
        assert sum(m[i + 1] for i in range(0, len(m), 4096)) == len(m) // 4096  # touch every page
        assert _resident_kb(path) >= 7 * 1024
        assert heap.drop_file_pages(str(path)) == 8
        assert _resident_kb(path) < 1024
        assert m[4096 * 100 + 7] == 7  # the data is still there
        assert heap.drop_file_pages(str(tmp_path / "absent.bin")) == 0


def test_without_glibc_no_file_page_is_dropped(monkeypatch, tmp_path):
    monkeypatch.setattr(heap, "_libc", lambda: None)
    assert heap.drop_file_pages(str(tmp_path)) == 0


def test_a_library_mapping_is_found_and_its_relocated_pages_are_kept():
    import ctypes

    lib = heap.mapped_file("libc.so")
    assert lib and "libc.so" in lib
    assert heap.mapped_file("no-such-library-here") is None
    # libc's RELRO pages were written by the loader: dropping them would undo that (this
    # process would crash at its next call through them), so those mappings are skipped. Its
    # code is clean and is dropped, and comes back on the next call.
    heap.drop_file_pages(lib)
    assert ctypes.CDLL(None).strlen(b"still works") == 11


def test_a_mapping_with_pages_of_its_own_is_left_alone(tmp_path):
    import ctypes
    import mmap

    path = tmp_path / "private.bin"
    path.write_bytes(bytes(4096 * 4))
    with open(path, "r+b") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_COPY) as m:
        m[5] = 42  # a private copy of the first page, as the loader's relocations make
        view = ctypes.c_char.from_buffer(m)
        address = ctypes.addressof(view)
        del view
        libc = ctypes.CDLL(None)
        libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        assert libc.mprotect(address, len(m), mmap.PROT_READ) == 0  # read-only now, like RELRO
        assert heap.drop_file_pages(str(path)) == 0
        assert m[5] == 42
        assert libc.mprotect(address, len(m), mmap.PROT_READ | mmap.PROT_WRITE) == 0
