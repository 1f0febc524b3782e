"""Side-by-side timing for the benchmarks (Scripts/bench-check, bench-lint, bench-diff).

Commands are measured in one run of the script, alternating (each round runs every
command once, in turn), and each is summarised by the median of its wall times and the
largest peak resident memory of its own process (wait4's ru_maxrss), so that ratios
between them hold on a machine whose load changes while the benchmark runs.
"""
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
from netlab import ROOT  # noqa: E402,F401  (re-exported for the benchmarks)


def run_once(command, accept=(0,)):
    """Wall time and peak memory (bytes) of one run; a failure (an exit status outside
    `accept`) stops the benchmark with the command's error output."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    errors = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code not in accept:
        sys.exit("command failed (%d): %s\n%s" % (code, " ".join(command), errors[-2000:]))
    return elapsed, usage.ru_maxrss * 1024


def measure(commands, runs, accept=(0,)):
    """{name: (median seconds, peak bytes)} for commands given as [(name, argv)], run
    `runs` rounds, alternating."""
    times = {name: [] for name, _ in commands}
    peaks = {name: 0 for name, _ in commands}
    for _ in range(runs):
        for name, command in commands:
            elapsed, peak = run_once(command, accept)
            times[name].append(elapsed)
            peaks[name] = max(peaks[name], peak)
    return {name: (statistics.median(times[name]), peaks[name]) for name, _ in commands}


def mb(count):
    return "%.1f MB" % (count / 1e6)


def line(name, result, width=34):
    """`name: 1.234 s, peak 170.0 MB`."""
    seconds, peak = result
    return "%-*s %7.3f s   peak %9s" % (width, name + ":", seconds, mb(peak))


def verdict_binary():
    """Builds verdict in release mode; its path."""
    from netlab import build_verdict
    return os.path.join(build_verdict(release=True), "verdict")


def kube_proxy_dump(path, services, endpoints=5):
    """Writes a kube-proxy dump with Scripts/generate-kube-proxy; (lines, bytes)."""
    subprocess.run([os.path.join(ROOT, "Scripts", "generate-kube-proxy"), "--services", str(services),
                    "--endpoints", str(endpoints), "-o", path], check=True)
    with open(path, "rb") as handle:
        lines = sum(1 for _ in handle)
    return lines, os.path.getsize(path)
