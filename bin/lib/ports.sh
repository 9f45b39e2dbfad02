# Free loopback ports for services a script starts, below the kernel's ephemeral range
# (net.ipv4.ip_local_port_range, 32768 up by default). A port the kernel picks for a bind to port 0 comes from
# that range, where any outgoing connection may take it as its local port before the service binds it: a cluster
# booting for minutes on a busy machine lost a host agent that way ("Port 47148 was already in use"). Below it only
# another listener can take a port. The testkit's FreePorts does the same for the Java tests.
#
# free_port [COUNT]: the first of COUNT consecutive ports, each bindable now and none handed out before by this
# script (they are remembered in $PORTS_HANDED, a file the caller owns, e.g. in its work directory).
free_port() {
  python3 - "${1:-1}" "${PORTS_HANDED:?set PORTS_HANDED to a file before free_port}" <<'PY'
import random, socket, sys
count, handed_file = int(sys.argv[1]), sys.argv[2]
with open('/proc/sys/net/ipv4/ip_local_port_range') as f:
    end = min(int(f.read().split()[0]), 65536)
try:
    with open(handed_file) as f:
        handed = {int(line) for line in f if line.strip()}
except FileNotFoundError:
    handed = set()

def bindable(port):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        s.close()

for _ in range(1000):
    first = random.randint(20000, end - count)
    ports = range(first, first + count)
    if all(p not in handed and bindable(p) for p in ports):
        with open(handed_file, "a") as f:
            f.writelines(f"{p}\n" for p in ports)
        print(first)
        sys.exit(0)
sys.exit(f"no run of {count} free ports in 20000-{end - 1} on 127.0.0.1")
PY
}
