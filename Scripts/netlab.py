"""Network-namespace lab helpers shared by the scripts that ask the kernel.

Scripts/capture-kernel-trace, capture-host-flows, capture-listings, kernel-conformance and nft-conformance
(and the benchmarks, for building verdict) import this module instead of each keeping its
own copy. A script finds it next to itself, whatever the working directory:

    sys.path.insert(0, os.path.dirname(os.path.realpath(__file__)))
    import netlab

What it holds: running commands (`run`, `ns`, `quiet`), scratch namespaces
(`add_namespace`, `delete_namespaces`, `scratch_namespace`), the Docker-style host the
capture and conformance scripts build (`build_docker_host`), one exchange from a
namespace (`exchange`), the kernel's TRACE log (`enable_trace_log`, `clear_kernel_log`,
`kernel_log`) and building verdict (`build_verdict`). Python 3, standard library only.
"""
import contextlib
import os
import subprocess
import sys

SCRIPTS = os.path.dirname(os.path.realpath(__file__))
ROOT = os.path.dirname(SCRIPTS)  # the package root
LAB = os.path.join(ROOT, "rulesets", "lab")  # the rule sets the lab scripts load


# ---------------------------------------------------------------- commands

def run(*command, **kwargs):
    """Runs a command; a failure raises CalledProcessError."""
    return subprocess.run(command, check=True, **kwargs)


def ns(name, *command, **kwargs):
    """Runs a command in network namespace `name`; a failure raises CalledProcessError."""
    return run("ip", "netns", "exec", name, *command, **kwargs)


def quiet(*command):
    """Runs a command whose failure is expected or harmless; its output (text) is kept in
    the result, not printed."""
    return subprocess.run(command, capture_output=True, text=True)


# ---------------------------------------------------------------- namespaces

def add_namespace(name):
    """Creates network namespace `name` with its loopback up."""
    run("ip", "netns", "add", name)
    ns(name, "ip", "link", "set", "lo", "up")


def delete_namespaces(*names):
    """Deletes the namespaces (those that exist; nothing is printed)."""
    for name in names:
        quiet("ip", "netns", "del", name)


@contextlib.contextmanager
def scratch_namespace(prefix):
    """A fresh namespace PREFIX-PID with its loopback up, deleted on leaving the block."""
    name = "%s-%d" % (prefix, os.getpid())
    run("ip", "netns", "add", name)
    try:
        ns(name, "ip", "link", "set", "lo", "up")
        yield name
    finally:
        delete_namespaces(name)


def build_docker_host(host, c1, c2, ext, lan=None):
    """Docker's default bridge network in namespaces (the namespaces are created here; the
    caller deletes them, also after a failure, with delete_namespaces):

    - `host`: a docker0 bridge (172.17.0.1/16, MAC 02:42:ac:11:00:01), eth0 (10.0.2.15/24,
      default route via 10.0.2.2), and with `lan` eth1 (192.168.100.1/24); ip_forward on,
      ICMP errors not rate limited, bridge-nf-call-iptables on (br_netfilter loaded);
    - containers `c1` (172.17.0.2, MAC ...:02, behind bridge port vethc1) and `c2`
      (172.17.0.3, MAC ...:03, behind vethc2), each with eth0 and a default route via the
      bridge;
    - `ext`: the far end of the host's eth0, 10.0.2.2/24 and 93.184.216.34/32 (on lo);
    - `lan`: the far end of eth1, 192.168.100.2/24.

    No rules are loaded and no route leads back from `ext`: each script adds what its
    exchanges need."""
    for name in (host, c1, c2, ext) + ((lan,) if lan else ()):
        add_namespace(name)
    ns(host, "ip", "link", "add", "docker0", "type", "bridge")
    ns(host, "ip", "link", "set", "docker0", "address", "02:42:ac:11:00:01")
    ns(host, "ip", "addr", "add", "172.17.0.1/16", "dev", "docker0")
    ns(host, "ip", "link", "set", "docker0", "up")
    for container, port, address, mac in ((c1, "vethc1", "172.17.0.2", "02:42:ac:11:00:02"),
                                          (c2, "vethc2", "172.17.0.3", "02:42:ac:11:00:03")):
        ns(host, "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", container)
        ns(host, "ip", "link", "set", port, "master", "docker0", "up")
        ns(container, "ip", "link", "set", "eth0", "address", mac)
        ns(container, "ip", "addr", "add", address + "/16", "dev", "eth0")
        ns(container, "ip", "link", "set", "eth0", "up")
        ns(container, "ip", "route", "add", "default", "via", "172.17.0.1")
    routed = [("eth0", ext, "10.0.2.15/24", "10.0.2.2/24")]
    if lan:
        routed.append(("eth1", lan, "192.168.100.1/24", "192.168.100.2/24"))
    for device, peer, host_address, peer_address in routed:
        ns(host, "ip", "link", "add", device, "type", "veth", "peer", "name", "eth0", "netns", peer)
        ns(host, "ip", "addr", "add", host_address, "dev", device)
        ns(host, "ip", "link", "set", device, "up")
        ns(peer, "ip", "addr", "add", peer_address, "dev", "eth0")
        ns(peer, "ip", "link", "set", "eth0", "up")
    ns(host, "ip", "route", "add", "default", "via", "10.0.2.2")
    ns(ext, "ip", "addr", "add", "93.184.216.34/32", "dev", "lo")
    ns(host, "sysctl", "-qw", "net.ipv4.ip_forward=1")
    # ICMP errors are rate limited per destination (icmp_ratelimit, 1 s by default): a
    # second error to a container within a second is not sent. Off, for repeatable captures.
    ns(host, "sysctl", "-qw", "net.ipv4.icmp_ratelimit=0")
    quiet("modprobe", "br_netfilter")
    ns(host, "sysctl", "-qw", "net.bridge.bridge-nf-call-iptables=1")


# ---------------------------------------------------------------- traffic

# One TCP connect or UDP datagram (and its answer), from a bound source address and port,
# IPv4 or IPv6; waits a second at most; refusals and timeouts are not errors.
SEND = """
import socket, sys
kind, source, sport, target, dport = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
s = socket.socket(socket.AF_INET6 if ":" in target else socket.AF_INET, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
s.settimeout(1); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((source, sport))
try:
    if kind == "tcp":
        s.connect((target, dport))
    else:
        s.sendto(b"x", (target, dport)); s.recv(10)
except OSError:
    pass
"""


def exchange(namespace, proto, source, sport, destination, dport):
    """Sends one exchange from `source` in `namespace` to `destination`: an echo request
    (ping, one try, one second) for icmp and ipv6-icmp, else a TCP connect or a UDP
    datagram from port `sport` to `dport` (the SEND program)."""
    if proto in ("icmp", "ipv6-icmp"):
        quiet("ip", "netns", "exec", namespace, "ping", "-c1", "-W1", "-I", source, destination)
    else:
        ns(namespace, sys.executable, "-c", SEND, proto, source, str(sport), destination, str(dport), capture_output=True)


# ---------------------------------------------------------------- the kernel's log

# Held while this process reads the kernel's log: one machine has one log, and a run that
# empties it (dmesg -C) would take another's TRACE lines away (two conformance runs at
# once fail each other's cases with "kernel: (no lines)").
_log_lock = None


def enable_trace_log():
    """Lets the TRACE target log from every namespace (nf_log_all_netns) and loads the
    modules it needs (nf_log_syslog, xt_TRACE), where they are modules. Takes the machine's
    kernel-log lock first, waiting (and saying so) while another run holds it; it is held
    until the process ends."""
    global _log_lock
    if _log_lock is None:
        import fcntl
        _log_lock = open(os.path.join("/run" if os.access("/run", os.W_OK) else "/tmp",
                                      "verdict-kernel-log.lock"), "a+")
        try:
            fcntl.flock(_log_lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write("waiting for another run that reads the kernel log to end\n")
            fcntl.flock(_log_lock, fcntl.LOCK_EX)
    run("sysctl", "-qw", "net.netfilter.nf_log_all_netns=1")
    quiet("modprobe", "nf_log_syslog")
    quiet("modprobe", "xt_TRACE")


def clear_kernel_log():
    """Empties the kernel's log (dmesg -C), before an exchange."""
    run("dmesg", "-C")


def kernel_log():
    """The kernel's log (dmesg) as text."""
    return subprocess.run(["dmesg"], capture_output=True, text=True).stdout


# ---------------------------------------------------------------- verdict

def build_verdict(release=False, products=("verdict",)):
    """Builds the products with `swift build` (debug, or release) in the package root and
    returns the folder of the binaries; a failed build prints the compiler's output and
    exits with status 2."""
    configuration = ["-c", "release"] if release else []
    for product in products:
        result = subprocess.run(["swift", "build"] + configuration + ["--product", product], cwd=ROOT,
                                capture_output=True, text=True)
        if result.returncode != 0:
            sys.stderr.write(result.stdout + result.stderr)
            raise SystemExit(2)
    return subprocess.run(["swift", "build"] + configuration + ["--show-bin-path"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
