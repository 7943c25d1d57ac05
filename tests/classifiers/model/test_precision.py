"""Which precision ``auto`` chooses: bfloat16 only where the CPU or GPU computes it natively."""

from __future__ import annotations

from classifiers.model.encoders import bf16_supported, resolve_precision

WITH_BF16 = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_bf16 amx_tile\n"
WITHOUT = "processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f\n"


def test_the_cpu_flags_decide() -> None:
    assert bf16_supported("cpu", WITH_BF16)
    assert bf16_supported("cpu", WITHOUT.replace("avx512f", "amx_bf16"))
    assert not bf16_supported("cpu", WITHOUT)
    assert not bf16_supported("cpu", "")


def test_an_explicit_precision_is_kept_and_auto_follows_this_machine() -> None:
    assert resolve_precision("fp32", "cpu") == "fp32"
    assert resolve_precision("bf16", "cpu") == "bf16"
    assert resolve_precision("auto", "cpu") == ("bf16" if bf16_supported("cpu") else "fp32")
