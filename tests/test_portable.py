"""make test-portable really changes the BLAS kernel, overrides the environment's, and refuses to prove nothing."""
import platform

import pytest

import portable

pytestmark = pytest.mark.skipif(platform.machine() not in ("x86_64", "AMD64"),
                                reason="the OpenBLAS kernels named here are x86-64 kernels")


def test_forcing_a_kernel_changes_what_numpy_loads():
    arch, why = portable.probe(portable.blas_env("Haswell", 1))
    assert why is None and arch.lower() == "haswell", (arch, why)
    other, _ = portable.probe(portable.blas_env("Sandybridge", 1))
    assert other.lower() == "sandybridge"


def test_the_environment_own_coretype_is_overridden(monkeypatch):
    monkeypatch.setenv("OPENBLAS_CORETYPE", "Sandybridge")
    monkeypatch.setenv("OPENBLAS_L2_SIZE", "1048576")
    env = portable.blas_env("Haswell", 1)
    assert env["OPENBLAS_CORETYPE"] == "Haswell" and "OPENBLAS_L2_SIZE" not in env
    native = portable.blas_env(None, 2)
    assert "OPENBLAS_CORETYPE" not in native and native["OPENBLAS_NUM_THREADS"] == "2"


def test_fewer_than_two_kernels_is_a_failure(monkeypatch, capsys):
    monkeypatch.setattr(portable, "probe", lambda env: ("Prescott", None))   # every kernel falls back
    assert portable.main(["--out", "/tmp/nnlib-portable-none"]) == 1
    assert "at least two are needed" in capsys.readouterr().out
