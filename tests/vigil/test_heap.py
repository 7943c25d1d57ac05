"""Returning freed heap memory to the system, measured on the resident memory of a fresh Python process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vigil.heap import _glibc, set_mmap_threshold

glibc_only = pytest.mark.skipif(_glibc() is None, reason="malloc_trim and mallopt are glibc's")

# 1,600 blocks of 96 KiB (150 MiB), under glibc's default mmap threshold of 128 KiB, so served from the heap; a
# small block allocated after them stays, so that freeing them leaves a hole that glibc's own trimming (from the
# top of the heap only) cannot return.
FRAGMENT = """
import sys
sys.path.insert(0, {root!r})
from vigil.heap import set_mmap_threshold, trim_heap

def rss_mib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024

{setup}
blocks = [bytearray(96 * 1024) for _ in range(1600)]
for block in blocks:
    block[::4096] = b"x" * len(block[::4096])  # touch every page
pin = bytearray(100)
held = rss_mib()
del blocks
freed = rss_mib()
{after}
print(held, freed, rss_mib())
"""


def run_fragment(setup: str = "", after: str = "") -> tuple[int, int, int]:
    root = str(Path(__file__).resolve().parents[2])
    out = subprocess.run([sys.executable, "-c", FRAGMENT.format(root=root, setup=setup, after=after)],
                         capture_output=True, text=True, check=True, timeout=60).stdout.split()
    held, freed, last = map(int, out)
    return held, freed, last


@glibc_only
def test_freed_heap_blocks_stay_resident_until_the_heap_is_trimmed() -> None:
    held, freed, trimmed = run_fragment(after="assert trim_heap()")
    assert freed > held - 40, "without a trim the hole stays resident (else this test shows nothing)"
    assert trimmed < freed - 100, f"malloc_trim returned {freed - trimmed} MiB of 150"


@glibc_only
def test_a_fixed_mmap_threshold_returns_large_blocks_as_soon_as_they_are_freed() -> None:
    held, freed, _ = run_fragment(setup="assert set_mmap_threshold(64)")
    assert freed < held - 100, f"blocks over the threshold are unmapped on free: {held} -> {freed} MiB"


def test_a_zero_threshold_leaves_glibc_alone() -> None:
    assert set_mmap_threshold(0) is False
