# Several machines on this one: `bin/pier-dev up --machines N` (docs/machines.md). Sourced by bin/pier-dev, which
# provides $state, $logs, $pids, write_run_script, launch, start_java, alive, running, healthy.
#
# Machine i (1..N) is a network namespace ${MACHINE_PREFIX}i (default pier-m1..pier-mN) whose eth0 has the address
# $MACHINE_SUBNET.(10+i)/24 on a bridge ($MACHINE_BRIDGE, default pier-br0) where the root namespace has
# $MACHINE_SUBNET.1, its default route. In it run a Docker engine of its own (data under
# $state/machines/mi/docker, its socket $state/machines/mi/docker.sock, its containers under the cgroup
# /${MACHINE_PREFIX}i), an etcd member (the N members form one cluster), discoverd and a host agent (one JVM,
# pier-machine); machine 1 also runs PostgreSQL and Layer 1 in one JVM (pier-platform: the blobstore, the controller,
# the scheduler, the router, the git receiver and the PostgreSQL and Redis add-on providers); the last machine's JVM
# also runs a second scheduler (scheduler-N, a standby while scheduler-1 leads). Every
# service binds 0.0.0.0 inside its namespace: its loopback, its machine address and its
# engine's docker0, nothing of the root namespace's; it announces its /metrics, and whatever else it registers in
# discoverd, at its machine's address (0.0.0.0 would send other machines to their own loopback).
#
# Processes enter a machine with `nsenter --net=/var/run/netns/NAME` (`ip netns exec` remounts /sys, and dockerd
# then fails with "Devices cgroup isn't mounted"); nsenter execs, so the PID recorded is the service's own.
#
# Root-namespace firewall rules (added by `up`, removed by `down`, each marked with the comment $MACHINE_RULE_TAG;
# no other rule is touched): the bridge's traffic between machines is forwarded (the root engine's FORWARD policy is
# DROP and bridged frames pass it), and the machines' traffic to anywhere else is forwarded and masqueraded (builds
# fetch packages).

MACHINE_SUBNET=${PIER_MACHINES_SUBNET:-10.77.0}
MACHINE_BRIDGE=${PIER_MACHINES_BRIDGE:-pier-br0}
MACHINE_PREFIX=${PIER_MACHINES_PREFIX:-pier-m}
MACHINE_RULE_TAG="pier-machines:$MACHINE_BRIDGE"
# Where `docker save` of the stack images is kept, one file per set of image ids.
MACHINE_IMAGE_CACHE=${PIER_IMAGE_CACHE:-/var/cache/pier/images}

machine_ns() { echo "$MACHINE_PREFIX$1"; }
machine_addr() { echo "$MACHINE_SUBNET.$((10 + $1))"; }
machine_dir() { echo "$state/machines/m$1"; }
machine_sock() { echo "$(machine_dir "$1")/docker.sock"; }
machine_docker() { local i=$1; shift; docker -H "unix://$(machine_sock "$i")" "$@"; }
in_machine() { local i=$1; shift; nsenter --net="/var/run/netns/$(machine_ns "$i")" "$@"; }
machine_veth() { echo "$(machine_ns "$1")-h"; }  # the root namespace's end of its cable

# ---- the network ----

root_rule() { # table chain rule...: added once (iptables -C first), at the top of the chain
  local table=$1 chain=$2; shift 2
  iptables -t "$table" -C "$chain" "$@" -m comment --comment "$MACHINE_RULE_TAG" 2>/dev/null \
    || iptables -t "$table" -I "$chain" "$@" -m comment --comment "$MACHINE_RULE_TAG"
}

root_rules() { # add|delete
  local cidr=$MACHINE_SUBNET.0/24
  if [ "$1" = add ]; then
    root_rule filter FORWARD -i "$MACHINE_BRIDGE" -j ACCEPT
    root_rule filter FORWARD -o "$MACHINE_BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
    root_rule nat POSTROUTING -s "$cidr" ! -o "$MACHINE_BRIDGE" -j MASQUERADE
  else
    # only the rules marked with our comment, one at a time, exactly as listed
    local table line
    for table in filter nat; do
      while line=$(iptables -t "$table" -S | grep -F -- "\"$MACHINE_RULE_TAG\"" | head -1) && [ -n "$line" ]; do
        eval "iptables -t $table ${line/-A /-D }"
      done
    done
  fi
}

net_up() { # N
  local n=$1 i ns veth
  if ! ip link show "$MACHINE_BRIDGE" >/dev/null 2>&1; then
    ip link add "$MACHINE_BRIDGE" type bridge
    ip addr add "$MACHINE_SUBNET.1/24" dev "$MACHINE_BRIDGE"
  fi
  ip link set "$MACHINE_BRIDGE" up
  root_rules add
  for i in $(seq 1 "$n"); do
    ns=$(machine_ns "$i"); veth=$(machine_veth "$i")
    [ -e "/var/run/netns/$ns" ] || ip netns add "$ns"
    if ! ip link show "$veth" >/dev/null 2>&1; then
      ip link add "$veth" type veth peer name "$ns-c"
      ip link set "$ns-c" netns "$ns"
      ip -n "$ns" link set "$ns-c" name eth0
      ip -n "$ns" addr add "$(machine_addr "$i")/24" dev eth0
    fi
    ip link set "$veth" master "$MACHINE_BRIDGE" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" route replace default via "$MACHINE_SUBNET.1"
  done
}

net_down() { # N
  local i
  for i in $(seq 1 "$1"); do
    ip link del "$(machine_veth "$i")" 2>/dev/null || true
    [ -e "/var/run/netns/$(machine_ns "$i")" ] && ip netns del "$(machine_ns "$i")"
  done
  ip link del "$MACHINE_BRIDGE" 2>/dev/null || true
  root_rules delete
}

# ---- the Docker engines ----

dockerd_pid() { local f; f="$(machine_dir "$1")/dockerd.pid"; [ -f "$f" ] && alive "$(cat "$f")" && cat "$f"; }

start_machine_dockerd() { # i
  local i=$1 dir
  dir=$(machine_dir "$i")
  mkdir -p "$dir/docker" "$dir/logs"
  dockerd_pid "$i" >/dev/null && return 0
  # the exec root holds containerd's sockets: a short path (a unix socket path has at most 107 bytes)
  nohup nsenter --net="/var/run/netns/$(machine_ns "$i")" dockerd --data-root "$dir/docker" \
    --exec-root "/run/$(machine_ns "$i")-docker" --pidfile "$dir/dockerd.pid" -H "unix://$(machine_sock "$i")" \
    --cgroup-parent "/$(machine_ns "$i")" --log-level warn >>"$dir/logs/dockerd.log" 2>&1 </dev/null &
}

wait_machine_dockerd() { # i
  local i=$1 t
  for t in $(seq 1 120); do
    machine_docker "$i" info >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  echo "error: machine $i's Docker engine did not answer within 30 s; see $(machine_dir "$i")/logs/dockerd.log" >&2
  tail -10 "$(machine_dir "$i")/logs/dockerd.log" >&2
  return 1
}

# The stack images in every machine's engine: those the root engine has (built there by build_stacks/build_addons)
# are saved once into $MACHINE_IMAGE_CACHE/<hash of their ids>.tar, then loaded into each engine that lacks one of
# them (by image id: an engine keeps its images across down/up, so a later up loads nothing).
load_machine_images() { # N image...
  local n=$1; shift
  local ids key cache i img missing t0 loaders=()
  ids=$(for img in "$@"; do docker image inspect -f '{{.Id}}' "$img"; done)
  key=$(sha256sum <<<"$ids" | cut -c1-16)
  cache=$MACHINE_IMAGE_CACHE/$key.tar
  for i in $(seq 1 "$n"); do
    missing=
    for img in "$@"; do
      [ "$(machine_docker "$i" image inspect -f '{{.Id}}' "$img" 2>/dev/null)" = "$(docker image inspect -f '{{.Id}}' "$img")" ] \
        || missing=1
    done
    [ -n "$missing" ] && loaders+=("$i")
  done
  if [ ${#loaders[@]} -eq 0 ]; then
    echo "every machine's engine has the images ($*)"
    return 0
  fi
  if [ ! -s "$cache" ]; then
    mkdir -p "$MACHINE_IMAGE_CACHE"
    t0=$SECONDS
    echo "saving the images once into $cache"
    docker save "$@" -o "$cache.tmp" && mv "$cache.tmp" "$cache"
    # older exports (other image ids) are of no use any more
    find "$MACHINE_IMAGE_CACHE" -name '*.tar' ! -name "$key.tar" -delete
    echo "saved in $((SECONDS - t0)) s ($(du -h "$cache" | cut -f1))"
  fi
  t0=$SECONDS
  echo "loading them into the engines of machine(s) ${loaders[*]} (in parallel)"
  local pidlist=() p failed=
  for i in "${loaders[@]}"; do
    machine_docker "$i" load -q -i "$cache" >"$(machine_dir "$i")/logs/load.log" 2>&1 &
    pidlist+=($!)
  done
  for p in "${pidlist[@]}"; do wait "$p" || failed=1; done
  [ -z "$failed" ] || { echo "error: docker load failed; see $state/machines/m*/logs/load.log" >&2; return 1; }
  echo "loaded in $((SECONDS - t0)) s"
}

# ---- the services ----

# name url start-function machine, in start order
machine_services() {
  local i a1
  a1=$(machine_addr 1)
  for i in $(seq 1 "$MACHINES"); do echo "m$i-etcd http://$(machine_addr "$i"):$ETCD_PORT/health start_machine_etcd $i"; done
  # discoverd and the host agent in one JVM (pier-machine): healthy once the host agent is, which starts after
  # discoverd serves
  for i in $(seq 1 "$MACHINES"); do echo "m$i-machine http://$(machine_addr "$i"):$HOST_AGENT_PORT/health start_machine_node $i"; done
  # Layer 1 in one JVM (pier-platform): healthy once the Redis provider is, which starts last, after the others serve
  echo "platform http://$a1:$ADDON_REDIS_PORT/health start_machine_platform 1"
}

# The machine whose JVM runs the standby scheduler (scheduler-N): the last, when there are several. It takes over when
# machine 1's is gone, and is the one a partition of its machine cuts off from etcd's quorum when it leads (the
# fencing's proof, docs/machines.md).
standby_scheduler_machine() { [ "$MACHINES" -gt 1 ] && echo "$MACHINES" || true; }

# The services of the platform (machine 1's Layer 1 in one JVM), "name url" a line, in start order: what `status`
# shows of it, each service's own health.
platform_parts() {
  local a1
  a1=$(machine_addr 1)
  echo "blobstore http://$a1:$BLOBSTORE_PORT/health"
  echo "controller http://$a1:$CONTROLLER_PORT/health"
  echo "scheduler http://$a1:$SCHEDULER_PORT/health"
  echo "router http://$a1:$ROUTER_ADMIN_PORT/health"
  echo "git-receiver ssh://$a1:$GIT_PORT"
  echo "addon-postgres http://$a1:$ADDON_POSTGRES_PORT/health"
  echo "addon-redis http://$a1:$ADDON_REDIS_PORT/health"
}

# The run script enters the machine's namespace (RUN_PREFIX, read by write_run_script).
in_machine_java() { # machine name jar env... [-- training env...]
  local i=$1; shift
  RUN_PREFIX=(nsenter "--net=/var/run/netns/$(machine_ns "$i")")
  start_java "$@"
  RUN_PREFIX=()
}

machine_etcd_cluster() {
  local i out=
  for i in $(seq 1 "$MACHINES"); do out+="${out:+,}m$i=http://$(machine_addr "$i"):$((ETCD_PORT + 1))"; done
  echo "$out"
}

start_machine_etcd() { # i
  local i=$1 a dir
  a=$(machine_addr "$i"); dir=$(machine_dir "$i")/etcd
  mkdir -p "$dir"
  RUN_PREFIX=(nsenter "--net=/var/run/netns/$(machine_ns "$i")")
  write_run_script "m$i-etcd" env "$(etcd_gogc)" "$(command -v etcd)" --name "m$i" --data-dir "$dir" \
    --listen-client-urls "http://$a:$ETCD_PORT,http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://$a:$ETCD_PORT" \
    --listen-peer-urls "http://$a:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://$a:$((ETCD_PORT + 1))" \
    --initial-cluster "$(machine_etcd_cluster)" --initial-cluster-token "pier-$MACHINE_BRIDGE" \
    --initial-cluster-state new --logger zap --log-level warn $(etcd_bounds)
  RUN_PREFIX=()
  launch "m$i-etcd"
}

# A machine's own services, discoverd and the host agent, in one JVM (pier-machine.jar, docs/machines.md): one
# environment for both, so what differs between them (ports, addresses, metrics addresses) is given as their own
# arguments (--discoverd.X / --host-agent.X). discoverd uses its machine's etcd member. Jobs are published on the
# machine's address (bind-address; the job address is the same), which is what the agent announces in discoverd and
# what the router and other machines' jobs reach.
start_machine_node() { # i
  local i=$1 a standby=()
  a=$(machine_addr "$i")
  JAVA_ARGS=(--discoverd.server.port="$DISCOVERD_PORT" --discoverd.server.address=0.0.0.0
    --discoverd.pier.metrics.advertised-address="$a:$DISCOVERD_PORT"
    --host-agent.server.port="$HOST_AGENT_PORT" --host-agent.server.address=0.0.0.0
    --host-agent.pier.metrics.advertised-address="$a:$HOST_AGENT_PORT")
  if [ "$i" = "$(standby_scheduler_machine)" ]; then
    # the standby scheduler, the machine's guest (a scheduler that cannot start leaves the machine serving and is
    # tried again): it reaches the controller at machine 1's address and discoverd on its own machine
    JAVA_ARGS+=(--scheduler.server.port="$SCHEDULER_PORT" --scheduler.server.address=0.0.0.0
      --scheduler.pier.metrics.advertised-address="$a:$SCHEDULER_PORT")
    standby=(PIER_SCHEDULER_ID="scheduler-$i" PIER_SCHEDULER_ADVERTISED_ADDRESS="$a:$SCHEDULER_PORT"
      PIER_SCHEDULER_CONTROLLER_URL="http://$(machine_addr 1):$CONTROLLER_PORT"
      PIER_SCHEDULER_DISCOVERD_URL="http://127.0.0.1:$DISCOVERD_PORT" PIER_SCHEDULER_SLUG_RUNNER_IMAGE="$RUN_IMAGE")
  fi
  in_machine_java "$i" "m$i-machine" "$root/machine/target/pier-machine.jar" \
    PIER_CLUSTER_KEY="$(cluster_key)" "$(metrics_env)" PIER_DISCOVERD_ETCD_ENDPOINTS="http://127.0.0.1:$ETCD_PORT" \
    "${standby[@]}" \
    PIER_HOST_AGENT_HOST_ID="$HOST_ID_PREFIX$i" PIER_HOST_AGENT_BIND_ADDRESS="$a" \
    PIER_HOST_AGENT_DOCKER_HOST="unix://$(machine_sock "$i")" \
    PIER_HOST_AGENT_DISCOVERD_URL="http://127.0.0.1:$DISCOVERD_PORT" \
    PIER_HOST_AGENT_ADVERTISED_URL="http://$a:$HOST_AGENT_PORT" \
    PIER_HOST_AGENT_SANDBOXES_IMAGE="$RUN_IMAGE" PIER_HOST_AGENT_SANDBOXES_SIZE="${PIER_SANDBOXES:-1}" \
    PIER_HOST_AGENT_SANDBOXES_WEB_SIZE="${PIER_SANDBOXES:-1}" \
    -- PIER_METRICS_DISCOVERD_URL= PIER_HOST_AGENT_HOST_ID=pier-cds-training PIER_HOST_AGENT_DISCOVERD_URL= \
    PIER_HOST_AGENT_SANDBOXES_SIZE=0 PIER_HOST_AGENT_SANDBOXES_WEB_SIZE=0
  JAVA_ARGS=()
}

# Layer 1 of machine 1 in one JVM (pier-platform.jar, docs/machines.md "Layer 1 in one JVM"): one environment for
# the seven services, so what differs between them (HTTP ports and addresses, advertised metrics addresses) is given
# as their own arguments (--blobstore.X, --controller.X, --scheduler.X, --router.X, --git-receiver.X,
# --addon-postgres.X, --addon-redis.X); what a service names with its own prefix (PIER_CONTROLLER_*,
# PIER_ROUTER_*...) stays in the environment. Jobs on every machine reach the blobstore at machine 1's address
# (host.docker.internal is each engine's own). The Redis provider's servers are jobs the scheduler places on any
# machine, their REDIS_URL the address that job publishes on; so every engine has the Redis image.
start_machine_platform() {
  local a1
  a1=$(machine_addr 1)
  mkdir -p "$state/addons/postgres" && chmod 700 "$state/addons/postgres"
  JAVA_ARGS=(--blobstore.server.port="$BLOBSTORE_PORT" --blobstore.server.address=0.0.0.0
    --blobstore.pier.metrics.advertised-address="$a1:$BLOBSTORE_PORT"
    --controller.pier.metrics.advertised-address="$a1:$CONTROLLER_PORT"
    --scheduler.pier.metrics.advertised-address="$a1:$SCHEDULER_PORT"
    --router.pier.metrics.advertised-address="$a1:$ROUTER_ADMIN_PORT"
    --git-receiver.pier.metrics.advertised-address="$a1:$GIT_METRICS_PORT"
    --addon-postgres.server.port="$ADDON_POSTGRES_PORT" --addon-postgres.server.address=0.0.0.0
    --addon-postgres.pier.metrics.advertised-address="$a1:$ADDON_POSTGRES_PORT"
    --addon-redis.server.port="$ADDON_REDIS_PORT" --addon-redis.server.address=0.0.0.0
    --addon-redis.pier.metrics.advertised-address="$a1:$ADDON_REDIS_PORT")
  in_machine_java 1 platform "$root/platform/target/pier-platform.jar" \
    PIER_CLUSTER_KEY="$(cluster_key)" "$(metrics_env)" \
    PIER_BLOBSTORE_DATA_DIR="$state/blobs" \
    PIER_CONTROLLER_PORT="$CONTROLLER_PORT" PIER_CONTROLLER_ADDRESS=0.0.0.0 \
    PIER_CONTROLLER_DISCOVERD_URL="http://127.0.0.1:$DISCOVERD_PORT" \
    PIER_CONTROLLER_JOB_BLOBSTORE_URL="http://$a1:$BLOBSTORE_PORT" \
    PIER_CONTROLLER_STACK_BUILD_IMAGE="$BUILD_IMAGE" PIER_CONTROLLER_SLUG_RUNNER_IMAGE="$RUN_IMAGE" \
    SPRING_DATASOURCE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/pier" SPRING_DATASOURCE_USERNAME=pier \
    PIER_SCHEDULER_PORT="$SCHEDULER_PORT" PIER_SCHEDULER_ADDRESS=0.0.0.0 PIER_SCHEDULER_ID=scheduler-1 \
    PIER_SCHEDULER_ADVERTISED_ADDRESS="$a1:$SCHEDULER_PORT" \
    PIER_SCHEDULER_CONTROLLER_URL="http://127.0.0.1:$CONTROLLER_PORT" \
    PIER_SCHEDULER_DISCOVERD_URL="http://127.0.0.1:$DISCOVERD_PORT" PIER_SCHEDULER_SLUG_RUNNER_IMAGE="$RUN_IMAGE" \
    PIER_ROUTER_ADDRESS=0.0.0.0 PIER_ROUTER_PORT="$ROUTER_PORT" \
    PIER_ROUTER_ADMIN_PORT="$ROUTER_ADMIN_PORT" PIER_ROUTER_TLS_PORT="$ROUTER_TLS_PORT" \
    PIER_ROUTER_ADVERTISED_HOST="$a1" PIER_ROUTER_CONTROLLER_URL="http://127.0.0.1:$CONTROLLER_PORT" \
    PIER_ROUTER_DISCOVERD_URL="http://127.0.0.1:$DISCOVERD_PORT" \
    PIER_GIT_RECEIVER_PORT="$GIT_PORT" PIER_GIT_RECEIVER_ADDRESS=0.0.0.0 \
    PIER_GITRECEIVER_STATEDIR="$state/git-receiver" \
    PIER_GITRECEIVER_CONTROLLERURL="http://127.0.0.1:$CONTROLLER_PORT" \
    PIER_GITRECEIVER_BLOBSTOREURL="http://127.0.0.1:$BLOBSTORE_PORT" PIER_GITRECEIVER_ROUTERPORT="$ROUTER_PORT" \
    PIER_GIT_RECEIVER_METRICS_PORT="$GIT_METRICS_PORT" \
    PIER_ADDONPOSTGRES_CONTROLLERURL="http://127.0.0.1:$CONTROLLER_PORT" \
    PIER_ADDONPOSTGRES_DISCOVERDURL="http://127.0.0.1:$DISCOVERD_PORT" \
    PIER_ADDONPOSTGRES_ADVERTISEDADDRESS="$a1:$ADDON_POSTGRES_PORT" \
    PIER_ADDONPOSTGRES_IMAGE="$POSTGRES_IMAGE" PIER_ADDONPOSTGRES_HOSTPORT="$POSTGRES_HOST_PORT" \
    PIER_ADDONPOSTGRES_SUPERUSERPASSWORDFILE="$state/addons/postgres/superuser-password" \
    PIER_ADDONREDIS_CONTROLLERURL="http://127.0.0.1:$CONTROLLER_PORT" \
    PIER_ADDONREDIS_DISCOVERDURL="http://127.0.0.1:$DISCOVERD_PORT" \
    PIER_ADDONREDIS_ADVERTISEDADDRESS="$a1:$ADDON_REDIS_PORT" \
    PIER_ADDONREDIS_IMAGE="$REDIS_IMAGE" PIER_ADDONREDIS_BASEPORT="$REDIS_BASE_PORT" PIER_ADDONREDIS_PROVISIONWAIT=50s \
    -- PIER_METRICS_DISCOVERD_URL= PIER_ROUTER_ADDRESS=127.0.0.1 PIER_ROUTER_PORT=0 PIER_ROUTER_ADMIN_PORT=0 \
    PIER_ROUTER_TLS_PORT=0 PIER_GIT_RECEIVER_ADDRESS=127.0.0.1 PIER_GIT_RECEIVER_METRICS_PORT=0
  JAVA_ARGS=()
}

# PostgreSQL on machine 1's loopback (the controller's database), started with pg_ctl inside the namespace.
start_machine_postgres() {
  in_machine 1 env PIER_PG_BIN="$(pg_bin)" bash -c 'source "$1/bin/lib/postgres.sh"; pg_start "$2" "$3"' _ \
    "$root" "$state/postgres" "$PG_PORT"
}

stop_machine_postgres() {
  [ -e "/var/run/netns/$(machine_ns 1)" ] || return 0
  in_machine 1 env PIER_PG_BIN="$(pg_bin)" bash -c 'source "$1/bin/lib/postgres.sh"; pg_stop "$2"' _ "$root" "$state/postgres"
}

# The services of machine i, by name.
services_of_machine() { # i
  local name url fn m
  while read -r name url fn m; do [ "$m" = "$1" ] && echo "$name"; done < <(machine_services)
}

# Starts the services of machine i that are not running. With "again" (restore-machine: the machine boots), each
# from its run script, the exact command and environment of the last `up`, as a real machine's init would start
# it (the start functions need what only `up` computes, such as the stack images' tags); a service that has none
# yet from its start function.
machine_start() { # i [again]
  local i=$1 again=${2:-} name url fn m
  while read -r name url fn m; do
    [ "$m" = "$i" ] || continue
    if running "$name"; then
      echo "$name is already running (pid $(cat "$pids/$name.pid"))"
    elif [ "$again" = again ] && [ -x "$state/run/$name" ]; then
      echo "starting $name on machine $i from its run script (log: $logs/$name.log)"
      launch "$name"
    else
      echo "starting $name on machine $i ($(machine_ns "$i"), log: $logs/$name.log)"
      "$fn" "$m"
    fi
  done < <(machine_services)
}

machine_wait() { # i|all
  local name url fn m
  while read -r name url fn m; do
    [ "$1" = all ] || [ "$m" = "$1" ] || continue
    # the platform starts seven services one after another: on two busy cores that took more than 60 s
    if [ "$name" = platform ]; then wait_healthy "$name" "$url" 240 || return 1; else wait_healthy "$name" "$url" || return 1; fi
    echo "$name is healthy"
  done < <(machine_services)
}

# The mounts an engine leaves under its machine's directory when it did not stop cleanly (after kill-machine, its
# data root stays bind-mounted on itself, and its successor leaves it so on its own stop): unmounted, deepest first.
unmount_machine_leftovers() { # i
  local dir
  dir=$(machine_dir "$1")
  awk -v d="$dir/" '$2 ~ "^" d {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: $m stays mounted" >&2
  done
}

# ---- faults ----

# Every process of machine i: those in its network namespace (its services, dockerd, containerd and the shims) and
# those in its engine's containers (their own namespaces; found by the cgroup the engine puts them under).
machine_pids() { # i
  local i=$1 cg
  ip netns pids "$(machine_ns "$i")" 2>/dev/null || true
  for cg in /sys/fs/cgroup/pids/"$(machine_ns "$i")" /sys/fs/cgroup/"$(machine_ns "$i")"; do
    if [ -d "$cg" ]; then find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null || true; fi
  done
}

# A power loss: kill -9, at once, of every process of the machine, and with them what a real machine loses with its
# power, its kernel's state and its /run: its network namespace (the machine's end of its cable, docker0, its
# iptables rules and connection tracking: the cable's root end goes too, so the machine answers nothing, not even
# with a refusal), the network namespaces of its containers and their mounts (bind-mounted under the engine's exec
# root, they outlived their processes), and the engine's run state. Those namespaces were once left: still on the
# machine's docker0 with their addresses and MACs, which the restored engine handed to new containers, so two
# interfaces had one address on one bridge and a new job's connections went to a dead namespace that refused them
# until the bridge learnt the new one's port again (30-60 s). restore-machine makes the machine's namespace anew.
fault_kill_machine() { # i
  local i=$1 list n ns run at
  ns=$(machine_ns "$i") run=/run/$(machine_ns "$i")-docker
  [ -e "/var/run/netns/$ns" ] || { echo "error: machine $i ($ns) is down already (bin/pier-dev fault restore-machine $i brings it back)" >&2; return 1; }
  list=$(machine_pids "$i" | sort -un | tr '\n' ' ')
  n=$(wc -w <<<"$list")
  # shellcheck disable=SC2086
  [ -n "${list// /}" ] && kill -9 $list 2>/dev/null || true
  ip link del "$(machine_veth "$i")" 2>/dev/null || true # both ends: the cable is out
  at=$(date -u +%FT%T.%3NZ) # the moment of the loss (what follows takes a moment more, and is not seen from outside)
  ip netns del "$ns"
  awk -v d="$run/" 'index($2, d) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || echo "warning: $m stays mounted" >&2
  done
  rm -rf "$run" "$(machine_dir "$i")/dockerd.pid"
  echo "$at machine $i lost its power: $n processes killed (kill -9), its network and run state gone"
}

fault_partition() { # i
  ip link set "$(machine_veth "$1")" down
  echo "$(date -u +%FT%T.%3NZ) machine $1 is cut off (its link $(machine_veth "$1") is down)"
}

fault_heal() { # i
  ip link set "$(machine_veth "$1")" up
  echo "$(date -u +%FT%T.%3NZ) machine $1 is connected again (its link $(machine_veth "$1") is up)"
}
