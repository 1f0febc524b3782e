#!/bin/bash
# Records traces/*.txt: the lines `nft monitor trace` printed for packets sent through a node
# built in network namespaces with overall.in (kube-proxy's rules) and traces/trace-table.in
# loaded. Run as root from this folder on a Linux host with nft and python3; it creates the
# namespaces kpx-node, kpx-ext, kpx-pod, kpx-eps and deletes them when done. See README.md.
set -euo pipefail
cd "$(dirname "$0")"
node=kpx-node ext=kpx-ext pod=kpx-pod eps=kpx-eps
work=$(mktemp -d)
cleanup() {
    [ -f "$work/monitor.pid" ] && kill "$(cat "$work/monitor.pid")" 2>/dev/null || true
    for ns in $node $ext $pod $eps; do ip netns del $ns 2>/dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

# The node (kube-proxy's test node: eth0 192.168.0.2/24, default route through eth0), an
# external client (203.0.113.2, behind 192.168.0.1), a pod client (10.0.0.9, pod CIDR
# 10.0.0.0/8) on veth-cli, and the endpoints 10.180.0.1-5 in one namespace on veth-pod.
for ns in $node $ext $pod $eps; do ip netns add $ns; ip -n $ns link set lo up; done
ip link add eth0 netns $node type veth peer name eth0 netns $ext
ip link add veth-pod netns $node type veth peer name eth0 netns $eps
ip link add veth-cli netns $node type veth peer name eth0 netns $pod
ip -n $node addr add 192.168.0.2/24 dev eth0
ip -n $node addr add 10.180.0.254/24 dev veth-pod
ip -n $node addr add 10.0.0.254/24 dev veth-cli
for dev in eth0 veth-pod veth-cli; do ip -n $node link set $dev up; done
ip -n $node route add default via 192.168.0.1
ip netns exec $node sysctl -qw net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 \
    net.ipv4.conf.eth0.send_redirects=0
ip -n $ext addr add 192.168.0.1/24 dev eth0
ip -n $ext addr add 203.0.113.2/32 dev eth0
ip -n $ext link set eth0 up
for net in 172.30.0.0/16 1.2.3.4 5.6.7.8 192.168.99.0/24; do ip -n $ext route add $net via 192.168.0.2; done
for i in 1 2 3 4 5; do ip -n $eps addr add 10.180.0.$i/24 dev eth0; done
ip -n $eps link set eth0 up
ip -n $eps route add default via 10.180.0.254
ip -n $pod addr add 10.0.0.9/24 dev eth0
ip -n $pod link set eth0 up
ip -n $pod route add default via 10.0.0.254

ip netns exec $node nft -f overall.in
ip netns exec $node nft -f traces/trace-table.in
ip netns exec $node nft list ruleset > "$work/listing.nft"
cat overall.nft traces/trace-table.nft | cmp - "$work/listing.nft"

cat > "$work/send.py" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.settimeout(0.5)
try:
    s.connect((sys.argv[3], int(sys.argv[4])))
except OSError:
    pass
EOF

ip netns exec $node nft monitor trace > "$work/monitor.txt" &
echo $! > "$work/monitor.pid"
sleep 1

local="--local-address 127.0.0.1 --local-address 192.168.0.2 --local-address 10.180.0.254"
local="$local --local-address 10.0.0.254"
new="--ctstate NEW --mark 0"
ext_in="-i eth0 -p tcp -s 203.0.113.2"
# NAME|NAMESPACE SEND-ARGUMENTS|REGEX of the packet's first line (the trace table's)|verdict arguments
packets=(
"clusterip|$ext 203.0.113.2 40001 172.30.0.41 80|pre packet: .* tcp sport 40001 |\
--hook prerouting,forward,postrouting $ext_in -o veth-pod -d 172.30.0.41 --sport 40001 --dport 80"
"nodeport|$ext 203.0.113.2 40002 192.168.0.2 3003|pre packet: .* tcp sport 40002 |\
--hook prerouting,forward,postrouting $ext_in -o veth-pod -d 192.168.0.2 --sport 40002 --dport 3003"
"no-endpoints-reject|$ext 203.0.113.2 40003 172.30.0.46 80|pre packet: .* tcp sport 40003 |\
--hook prerouting,forward $ext_in -o eth0 -d 172.30.0.46 --sport 40003 --dport 80"
"clusterip-other-port|$ext 203.0.113.2 40004 172.30.0.41 81|pre packet: .* tcp sport 40004 |\
--hook prerouting,forward $ext_in -o eth0 -d 172.30.0.41 --sport 40004 --dport 81"
"nodeip-no-service|$ext 203.0.113.2 40005 192.168.0.2 9999|pre packet: .* tcp sport 40005 |\
--hook prerouting,input $ext_in -d 192.168.0.2 --sport 40005 --dport 9999"
"pod-to-clusterip|$pod 10.0.0.9 40006 172.30.0.41 80|pre packet: .* tcp sport 40006 |\
--hook prerouting,forward,postrouting -i veth-cli -o veth-pod -p tcp -s 10.0.0.9 \
-d 172.30.0.41 --sport 40006 --dport 80"
"lb-local-no-endpoint|$ext 203.0.113.2 40007 1.2.3.4 80|pre packet: .* tcp sport 40007 |\
--hook prerouting,forward $ext_in -o eth0 -d 1.2.3.4 --sport 40007 --dport 80"
"unallocated-clusterip|$ext 203.0.113.2 40008 172.30.0.50 80|pre packet: .* tcp sport 40008 |\
--hook prerouting,forward $ext_in -o eth0 -d 172.30.0.50 --sport 40008 --dport 80"
"lb-source-range-affinity|$ext 203.0.113.2 40009 5.6.7.8 80|pre packet: .* tcp sport 40009 |\
--hook prerouting,forward,postrouting $ext_in -o veth-pod -d 5.6.7.8 --sport 40009 --dport 80"
"nodeport-local-no-endpoint|$ext 203.0.113.2 40010 192.168.0.2 3001|pre packet: .* tcp sport 40010 |\
--hook prerouting,input $ext_in -d 192.168.0.2 --sport 40010 --dport 3001"
"node-to-clusterip-other-port|$node 192.168.0.2 40011 172.30.0.43 81|out packet: .* tcp sport 40011 |\
--hook output,postrouting -o eth0 -p tcp -s 192.168.0.2 -d 172.30.0.43 --sport 40011 --dport 81"
"ping-clusterip|$ext ping|pre packet: .* ip daddr 172.30.0.41 .*icmp type echo-request|\
--hook prerouting,forward -i eth0 -o eth0 -p icmp -s 203.0.113.2 -d 172.30.0.41 --icmp-type 8/0"
)
for entry in "${packets[@]}"; do
    IFS='|' read -r name send regex args <<< "$entry"
    read -r ns rest <<< "$send"
    if [ "$rest" = ping ]; then
        ip netns exec "$ns" ping -c1 -W1 -I 203.0.113.2 172.30.0.41 > /dev/null || true
    else
        # shellcheck disable=SC2086
        ip netns exec "$ns" python3 "$work/send.py" $rest
    fi
    sleep 1.2
done
sleep 1
kill "$(cat "$work/monitor.pid")"
rm "$work/monitor.pid"

# One file per packet: the verdict arguments, then the kernel's lines of the packet's trace id
# from its first line to its last, normalised; lines of another trace id printed in between
# (a reject's answer, traced at output before the rejecting rule's line) as `# ` lines.
rm -f traces/*.txt
for entry in "${packets[@]}"; do
    IFS='|' read -r name send regex args <<< "$entry"
    case "$args" in *"-p tcp"*) flags=" --tcp-flags SYN" ;; *) flags="" ;; esac
    python3 - "$work/monitor.txt" "$regex" "$args $new$flags $local" > "traces/$name.txt" <<'EOF'
import re, sys
KEYS = ["iif", "oif", "ip saddr", "ip daddr", "tcp sport", "tcp dport", "udp sport", "udp dport", "icmp type"]
def cut(fields):
    words, out, i = fields.split(" "), [], 0
    while i < len(words):
        for key in KEYS:
            n = len(key.split(" "))
            if " ".join(words[i:i + n]) == key:
                out += words[i:i + n + 1]
                i += n + 1
                break
        else:
            i += 1
    return " ".join(out)
def normalise(line):
    line = re.sub(r"^trace id [0-9a-f]+ ", "", line.rstrip())
    line = re.sub(r"counter packets \d+ bytes \d+", "counter", line)
    m = re.match(r"^(.*? packet: )(.*)$", line)
    return (m.group(1) + cut(m.group(2)) if m else line).rstrip()
lines = [l.rstrip("\n") for l in open(sys.argv[1])]
ids = [l.split(" ")[2] for l in lines]
first = next(i for i, l in enumerate(lines) if " ip verdict-trace " in l and re.search(sys.argv[2], l))
last = max(i for i in range(len(lines)) if ids[i] == ids[first])
print(sys.argv[3])
for i in range(first, last + 1):
    print(normalise(lines[i]) if ids[i] == ids[first] else "# " + normalise(lines[i]))
EOF
done
ls traces
