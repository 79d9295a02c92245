"""make test-portable: every notebook of the book under BLAS kernels that round differently.

    python tests/portable.py [--jobs N] [--keep-going] [--out DIR] [NOTEBOOK...]

A chapter that asserts one machine's rounding passes here and fails on a student's laptop. This runs every
notebook of the book (the chapters and the exercise solutions, as listed in _toc.yml) four times:

1. under the OpenBLAS kernels ``SkylakeX`` (only where the CPU has AVX-512), ``Haswell`` and ``Sandybridge``,
   forced with ``OPENBLAS_CORETYPE``, with one BLAS thread — their matrix products add in different orders
   and so round differently;
2. under the kernel OpenBLAS picks for this CPU, with two BLAS threads (threaded products split the sums).

The environment's own ``OPENBLAS_CORETYPE``/``OPENBLAS_L2_SIZE`` (some machines set them) are always
overridden, never trusted. Before each run a probe asks threadpoolctl which kernel numpy really loads; a kernel
this CPU cannot run is skipped with a message, and the target fails if fewer than two forced kernels ran.
Every notebook's kernel reports its BLAS kernel and thread count too, and the run fails if one differs.
Each run writes its table of CPU time and peak memory into ``--out`` (default ``_build/portable``).
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from execute_notebooks import PROBE, openblas  # noqa: E402  (the same probe every notebook's kernel runs)
from toc import toc_files  # noqa: E402

FORCED = ["SkylakeX", "Haswell", "Sandybridge"]


def blas_env(coretype, threads):
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "MPLBACKEND")}
    env.update(OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))
    if coretype:
        env["OPENBLAS_CORETYPE"] = coretype
    return env


def probe(env):
    """The OpenBLAS kernel numpy loads under `env`, or None with the reason."""
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return None, f"numpy failed to start (exit {proc.returncode}): {proc.stderr.strip()[-300:]}"
    line = next((l for l in proc.stdout.splitlines() if l.startswith("NNLIB-PROBE ")), None)
    arch, _ = openblas(json.loads(line[len("NNLIB-PROBE "):]) if line else {})
    if arch is None:
        return None, "numpy is not linked to OpenBLAS"
    return arch, None


def cpu_has_avx512():
    try:
        return "avx512f" in Path("/proc/cpuinfo").read_text()
    except OSError:
        return False


def notebooks():
    return [str(ROOT / (f + ".ipynb")) for f in toc_files() if (ROOT / (f + ".ipynb")).exists()]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--keep-going", action="store_true", help="run every notebook in every configuration")
    p.add_argument("--out", default=str(ROOT / "_build" / "portable"))
    p.add_argument("notebooks", nargs="*", help="only these notebooks (default: every notebook of the book)")
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    nbs = [str(Path(nb).resolve()) for nb in args.notebooks] or notebooks()
    print(f"test-portable: {len(nbs)} notebooks, under each BLAS configuration", flush=True)

    runs, skipped = [], []
    for core in FORCED:
        if core == "SkylakeX" and not cpu_has_avx512():
            skipped.append(f"{core}: this CPU has no AVX-512")
            continue
        env = blas_env(core, 1)
        arch, why = probe(env)
        if arch is None or arch.lower() != core.lower():
            skipped.append(f"{core}: this CPU cannot run it ({why or f'OpenBLAS fell back to {arch}'})")
            continue
        runs.append((core, env, ["--expect-arch", core, "--expect-threads", "1"], args.jobs))
    for line in skipped:
        print(f"skipped {line}", flush=True)
    forced_ran = len(runs)
    if forced_ran < 2:
        print(f"test-portable FAILED: only {forced_ran} forced BLAS kernel(s) can run here; at least two are needed "
              f"to show that the asserts do not depend on one kernel's rounding", flush=True)
        return 1
    native_env = blas_env(None, 2)
    native, why = probe(native_env)
    if native is None:
        print(f"test-portable FAILED: {why}", flush=True)
        return 1
    # Two threads on two cores: one notebook at a time, and no one-core CPU budget (CPU time adds up the threads).
    runs.append((f"{native}, 2 threads", native_env, ["--expect-threads", "2", "--cpu-limit", "1e9"], 1))

    start, passed, failed = time.perf_counter(), [], []
    for label, env, extra, jobs in runs:
        print(f"\n== {label} ==", flush=True)
        slug = label.split(",")[0].lower() + ("-2threads" if "threads" in label else "")
        cmd = [sys.executable, str(ROOT / "tests" / "execute_notebooks.py"), "--jobs", str(jobs), "--label", label,
               "--table", str(out / f"{slug}.md"), *extra, *(["--keep-going"] if args.keep_going else []), *nbs]
        t0 = time.perf_counter()
        rc = subprocess.run(cmd, env=env).returncode
        print(f"== {label}: {'passed' if rc == 0 else 'FAILED'} in {time.perf_counter() - t0:.0f} s ==", flush=True)
        (passed if rc == 0 else failed).append(label)
        if rc != 0 and not args.keep_going:
            break
    total = time.perf_counter() - start
    print(f"\ntest-portable: {len(passed)} of {len(runs)} configurations passed ({', '.join(passed) or 'none'}) "
          f"in {total:.0f} s; tables in {out}", flush=True)
    if failed:
        print(f"test-portable FAILED under: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
