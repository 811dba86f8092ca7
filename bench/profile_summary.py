#!/usr/bin/env python3
"""Where a profiled training step spends its time: reads the Chrome traces written by
`LINDIFF_BENCH_PROFILE=DIR build/bench/bench_training ...` and `bench/pytorch_peer.py --profile DIR`
and prints, per file, the wall time of the top-level events, the convolutions' share (forward
and backward) and the operators with the most self time (an event's duration minus that of the
events nested in it on the same thread).

Example, lindiff and its peer on the float32 U-Net step:
    mkdir -p /tmp/prof
    LINDIFF_BENCH_PROFILE=/tmp/prof build/bench/bench_training --benchmark_filter='^BM_UNetTrainStep/'
    python3 bench/pytorch_peer.py --filter '^UNetTrainStep$' --iterations 1 --profile /tmp/prof/peer
    python3 bench/profile_summary.py /tmp/prof/UNetTrainStep.json /tmp/prof/peer/UNetTrainStep.json

With --rate OPERATOR=GFLOP it also prints the rate of one operator's own time for the work it
did, e.g. the ELS machine's distance products (one profiled iteration, 4 queries, N = 1024,
keys of C P^2 + 1 = 26 values: 2 x 4 x 784 x 1024 x 576 x 26 flops = 96.2 GFLOP):
    LINDIFF_BENCH_PROFILE=/tmp/prof build/bench/bench_training --benchmark_filter='BM_Els/N:1024'
    python3 bench/profile_summary.py /tmp/prof/Els_N1024.json --rate aten::mm=96.2
"""
import argparse
import collections
import json
import sys

# Operators that compute convolutions (forward, and both gradients in backward), in LibTorch 1.13's names.
CONVOLUTION_OPERATORS = ("aten::mkldnn_convolution", "aten::convolution_backward", "aten::mkldnn_convolution_backward",
                         "aten::_convolution", "aten::thnn_conv2d", "aten::_slow_conv2d_forward",
                         "aten::_slow_conv2d_backward")


def complete_events(path):
    """The trace's complete events ("ph": "X"), each with name, tid, ts and dur (microseconds)."""
    with open(path) as handle:
        trace = json.load(handle)
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    return [e for e in events if e.get("ph") == "X" and "dur" in e and e.get("cat", "cpu_op") in ("cpu_op", "Operator", "")]


def self_times(events):
    """(self microseconds by name, calls by name, top-level microseconds): nesting by time on each thread."""
    self_us, calls, top_level = collections.Counter(), collections.Counter(), 0.0
    by_thread = collections.defaultdict(list)
    for event in events:
        by_thread[event.get("tid")].append(event)
    for thread_events in by_thread.values():
        thread_events.sort(key=lambda e: (e["ts"], -e["dur"]))
        stack = []
        for event in thread_events:
            while stack and stack[-1]["ts"] + stack[-1]["dur"] <= event["ts"]:
                stack.pop()
            if stack:
                self_us[stack[-1]["name"]] -= event["dur"]
            else:
                top_level += event["dur"]
            self_us[event["name"]] += event["dur"]
            calls[event["name"]] += 1
            stack.append(event)
    return self_us, calls, top_level


def summarise(path, top, rate=None):
    self_us, calls, top_level = self_times(complete_events(path))
    convolution = sum(self_us[name] for name in CONVOLUTION_OPERATORS)
    print(f"{path}: {top_level / 1e3:.1f} ms at top level; convolutions {convolution / 1e3:.1f} ms "
          f"({100 * convolution / top_level:.0f}%)")
    for name, micros in self_us.most_common(top):
        print(f"  {micros / 1e3:9.1f} ms self  {calls[name]:6d} calls  {name}")
    if rate is not None:
        name, gflop = rate
        if self_us[name] <= 0:
            print(f"  {name}: no self time in this trace (operators above)", file=sys.stderr)
            return
        print(f"  {name}: {gflop:g} GFLOP in {self_us[name] / 1e3:.1f} ms = {gflop / (self_us[name] / 1e6):.1f} GFLOP/s "
              f"({100 * self_us[name] / top_level:.0f}% of the time at top level)")


def operator_flops(text):
    """OPERATOR=GFLOP as (operator, GFLOP)."""
    name, _, gflop = text.rpartition("=")
    try:
        if name:
            return name, float(gflop)
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"{text!r}: expected OPERATOR=GFLOP, e.g. aten::mm=96.2")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     epilog="\n".join(__doc__.splitlines()[1:]),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("traces", nargs="+", metavar="TRACE.json")
    parser.add_argument("--top", type=int, default=12, metavar="K", help="operators listed per trace (default 12)")
    parser.add_argument("--rate", type=operator_flops, metavar="OPERATOR=GFLOP",
                        help="also print OPERATOR's rate: GFLOP over its self time")
    args = parser.parse_args(argv)
    for path in args.traces:
        try:
            summarise(path, args.top, args.rate)
        except (OSError, ValueError, KeyError) as error:
            sys.exit(f"{path}: not a readable Chrome trace: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
