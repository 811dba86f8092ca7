#!/usr/bin/env python3
"""lindiff's training benchmark next to its Python PyTorch peer, as a Markdown table.

For each selected benchmark pair, runs lindiff's bench_training (Google Benchmark, one
benchmark per run, JSON output) and bench/pytorch_peer.py alternately, A B A B ..., for
--rounds rounds, so that drifting machine load hits both sides alike; then prints the
median rate of each side (gflops for FloatGemm, images_per_s for the U-Net, steps_per_s for
the linear model), the ratio lindiff / PyTorch (above 1: lindiff is faster) and the commands used.
--device cuda runs both sides on the GPU: the peer with --device cuda, bench_training with the
environment variable LINDIFF_BENCH_DEVICE=cuda (always set, to cpu by default).

Needs only the Python standard library; the peer needs Python PyTorch (optional for
lindiff; without it this script prints a "skipped" line and exits 0).
"""

import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PEER = BENCH_DIR / "pytorch_peer.py"
DEFAULT_LINDIFF = REPO_ROOT / "build" / "bench" / "bench_training"
SKIP_MESSAGE = "skipped: Python PyTorch not found (Debian: apt install python3-torch)"
# Google Benchmark's JSON holds a rate counter's plain per-second value (kIs1000 only picks the SI
# prefix of the console's "G/s"), so bench_training's "gflops" is in FLOP/s there; the peer's in GFLOP/s.
LINDIFF_COUNTER_SCALE = {"gflops": 1e-9}


def counter_of(name):
    """The rate counter both sides report for peer benchmark `name`."""
    if name == "FloatGemm" or name.startswith("EmpiricalOptimum") or name.startswith("Els/"):
        return "gflops"
    return "images_per_s" if name.startswith("UNet") else "steps_per_s"


def lindiff_name(name):
    """bench_training's name of peer benchmark `name` (BM_ prefix, /real_time suffix)."""
    return f"BM_{name}/real_time"


def lindiff_command(args, name):
    """The bench_training command line running exactly benchmark `name`."""
    pattern = "^" + lindiff_name(name) + "$"
    return [str(args.lindiff), f"--benchmark_filter={pattern}", "--benchmark_format=json",
            f"--benchmark_min_time={args.min_time}"]


def lindiff_environment(args):
    """bench_training's environment: this one with LINDIFF_BENCH_DEVICE set to --device."""
    return dict(os.environ, LINDIFF_BENCH_DEVICE=args.device)


def peer_command(args, name, extra=()):
    """The pytorch_peer.py command line running exactly benchmark `name`."""
    return [args.python, str(PEER), "--filter", f"^{name}$", "--iterations", str(args.iterations),
            "--steps", str(args.steps), "--device", args.device, *extra]


def run(command, env=None):
    """stdout of `command` (in environment `env`, default this one); exits with its stderr when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        sys.exit(f"command failed ({result.returncode}): {shlex.join(command)}\n{result.stderr[-2000:]}")
    return result.stdout


def has_torch(python):
    """Whether `python` can import torch."""
    try:
        return subprocess.run([python, "-c", "import torch"], capture_output=True).returncode == 0
    except OSError:
        return False


def cuda_device_name(python):
    """The name of the GPU that `python`'s PyTorch uses, or None where it sees no CUDA GPU."""
    code = "import torch; print(torch.cuda.get_device_name() if torch.cuda.is_available() else '')"
    result = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return (result.stdout.strip() or None) if result.returncode == 0 else None


def lindiff_rate(args, name):
    """One bench_training run of `name`: its rate counter, in the peer's unit."""
    report = json.loads(run(lindiff_command(args, name), env=lindiff_environment(args)))
    runs = [b for b in report.get("benchmarks", []) if b.get("run_name", b.get("name")) == lindiff_name(name)]
    if not runs:
        sys.exit(f"{args.lindiff} did not run {lindiff_name(name)}")
    return runs[0][counter_of(name)] * LINDIFF_COUNTER_SCALE.get(counter_of(name), 1.0)


def peer_rate(args, name):
    """One pytorch_peer.py run of `name`: its rate counter, or the reason it was skipped (str)."""
    for line in run(peer_command(args, name)).splitlines():
        record = json.loads(line) if line.startswith("{") else {}
        if record.get("name") == name:
            return record.get("skipped") or record[counter_of(name)]
    sys.exit(f"{PEER.name} printed no result for {name}")


def compare(args, name):
    """--rounds alternating runs (lindiff, then PyTorch) of `name`: (lindiff rates, peer rates)."""
    ours, theirs = [], []
    for round_index in range(args.rounds):
        print(f"[{name}] round {round_index + 1}/{args.rounds}: lindiff", file=sys.stderr, flush=True)
        ours.append(lindiff_rate(args, name))
        print(f"[{name}] round {round_index + 1}/{args.rounds}: PyTorch", file=sys.stderr, flush=True)
        rate = peer_rate(args, name)
        if isinstance(rate, str):
            return ours, rate
        theirs.append(rate)
    return ours, theirs


def format_rate(value):
    """A rate with 3 significant digits."""
    return f"{value:.3g}"


def table_row(name, ours, theirs):
    """A Markdown table row: name, counter, medians, ratio, every round's values."""
    ours_median = statistics.median(ours)
    if isinstance(theirs, str):
        return f"| {name} | {counter_of(name)} | {format_rate(ours_median)} | skipped ({theirs}) | - | - |"
    theirs_median = statistics.median(theirs)
    rounds = ", ".join(format_rate(v) for v in ours) + " / " + ", ".join(format_rate(v) for v in theirs)
    return (f"| {name} | {counter_of(name)} | {format_rate(ours_median)} | {format_rate(theirs_median)} | "
            f"{ours_median / theirs_median:.2f} | {rounds} |")


def selected_names(args):
    """Peer benchmarks matching --filter that bench_training also has."""
    peer_names = run([args.python, str(PEER), "--list", "--filter", args.filter]).split()
    available = set(run([str(args.lindiff), "--benchmark_list_tests=true"], env=lindiff_environment(args)).split())
    missing = [n for n in peer_names if lindiff_name(n) not in available]
    for name in missing:
        print(f"note: {args.lindiff} has no {lindiff_name(name)}; not compared", file=sys.stderr)
    return [n for n in peer_names if n not in missing]


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Run lindiff's bench_training and the Python PyTorch peer (bench/pytorch_peer.py) "
                    "alternately, A B A B, and print a Markdown table of median rates and their ratio "
                    "lindiff / PyTorch.",
        epilog="Example (quick, noisy): %(prog)s --filter 'd:256/T:200' --rounds 2 --iterations 1 --min-time 0.01. "
               "The full set (all linear sizes and the U-Net at 10 steps per iteration) takes a long time on a "
               "small machine; narrow it with --filter. On a GPU: --device cuda --filter '^(FloatGemm|LinearTrainStep/"
               "d:784/T:1000/one_t:1)$' puts the linear step next to the GEMM rate of the same run. Exit status: 0 "
               "also when PyTorch is missing (skipped), 2 when the lindiff binary is missing or, with --device cuda, "
               "when PyTorch sees no CUDA GPU.")
    parser.add_argument("--lindiff", type=Path, default=DEFAULT_LINDIFF, metavar="PATH",
                        help=f"lindiff's bench_training binary (default: {DEFAULT_LINDIFF})")
    parser.add_argument("--python", default=sys.executable, metavar="INTERPRETER",
                        help="Python interpreter with PyTorch that runs the peer (default: this one, %(default)s)")
    parser.add_argument("--filter", default=".", metavar="REGEX",
                        help="benchmarks to compare, a regex on the peer's names (see pytorch_peer.py --list; "
                             "default: all)")
    parser.add_argument("--device", choices=("cpu", "cuda"), default="cpu",
                        help="where both sides run (default: cpu): passed to the peer as --device and to "
                             "bench_training as the environment variable LINDIFF_BENCH_DEVICE")
    parser.add_argument("--rounds", type=int, default=3, metavar="R",
                        help="alternating lindiff/PyTorch runs per benchmark (default: 3)")
    parser.add_argument("--min-time", type=float, default=0.5, metavar="SECONDS",
                        help="lindiff's --benchmark_min_time per run (default: 0.5; each run also has a warm-up)")
    parser.add_argument("--iterations", type=int, default=3, metavar="N",
                        help="the peer's timed iterations per run (default: 3)")
    parser.add_argument("--steps", type=int, default=10, metavar="S",
                        help="the peer's optimizer steps per training iteration (default: 10, as in lindiff)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.iterations < 1 or args.steps < 1 or args.min_time <= 0:
        parser.error("--rounds, --iterations and --steps must be >= 1 and --min-time > 0")
    return args


def main(argv=None):
    args = parse_args(argv)
    if not has_torch(args.python):
        print(SKIP_MESSAGE)
        return 0
    if not args.lindiff.is_file():
        print(f"lindiff benchmark binary not found: {args.lindiff} (configure with -DLINDIFF_BUILD_BENCHMARKS=ON, "
              "the default, then build the target bench_training)", file=sys.stderr)
        return 2
    device = args.device
    if args.device == "cuda":
        gpu = cuda_device_name(args.python)
        if gpu is None:
            print(f"--device cuda: PyTorch in {args.python} sees no CUDA GPU; run on a machine with one, "
                  "or use --device cpu", file=sys.stderr)
            return 2
        device = f"cuda: {gpu}"
    names = selected_names(args)
    if not names:
        sys.exit(f"no benchmark of both sides matches --filter {args.filter!r}")
    # Each row as soon as its benchmark is done: a run cut short keeps the rows it finished.
    print(f"| benchmark ({device}) | rate | lindiff median | PyTorch median | lindiff / PyTorch | "
          "rounds (lindiff / PyTorch) |", flush=True)
    print("|---|---|---:|---:|---:|---|", flush=True)
    for name in names:
        print(table_row(name, *compare(args, name)), flush=True)
    print(f"\n{args.rounds} alternating round(s) per benchmark, lindiff first. Commands (NAME: a benchmark above):\n")
    print(f"    LINDIFF_BENCH_DEVICE={args.device} " + shlex.join(lindiff_command(args, "NAME")))
    print("    " + shlex.join(peer_command(args, "NAME")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
