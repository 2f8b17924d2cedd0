#!/usr/bin/env bash
# Builds the nats-server runtime image with jlink.
# Usage: build-image.sh JAVA_HOME MODULE_DIR MODULES OUTPUT TRAINER_JAR
# TRAINER_JAR is the nats-bench module, which drives the training run for the AOT cache.
set -euo pipefail
java_home=$1 module_dir=$2 modules=$3 output=$4 trainer_jar=$5

rm -rf "$output"
# BouncyCastle requires java.sql and java.naming only for its LDAP certificate store, which the server never
# uses; java.sql brings java.xml (4 MB). Link a copy of its jar that requires them as optional (static).
linked_modules="$(dirname "$output")/image-modules"
rm -rf "$linked_modules"
mkdir -p "$linked_modules"
cp "$module_dir"/*.jar "$linked_modules/"
for jar in "$linked_modules"/bcprov-*.jar; do
  "$java_home/bin/java" "$(dirname "$0")/src/build/OptionalRequires.java" "$jar" "$jar.tmp" java.sql java.naming
  mv "$jar.tmp" "$jar"
done
# snappy-java (sealed-block compression of the file store) is an automatic module, which jlink refuses: give
# a copy of it a module descriptor, keep only this operating system's native libraries, and drop its OSGi
# activator (it refers to OSGi classes the image does not have).
for jar in "$linked_modules"/snappy-java-*.jar; do
  [ -f "$jar" ] || continue
  "$java_home/bin/java" "$(dirname "$0")/src/build/ModularizeSnappy.java" "$jar" "$jar.tmp" "$(uname -s)" "$(uname -m)"
  mv "$jar.tmp" "$jar"
done
# The server uses a small corner of BouncyCastle (bcrypt, the raw Ed25519 of nkeys, the ASN.1 of PEM keys): link
# only the classes the image's other modules can reach (5.5 MB of lib/modules down to 0.33 MB).
for jar in "$linked_modules"/bcprov-*.jar; do
  "$java_home/bin/java" "$(dirname "$0")/src/build/SliceModule.java" "$jar" "$jar.tmp" "$linked_modules"/*.jar
  mv "$jar.tmp" "$jar"
done
# Resources no server path reads: the Unicode character names (only Character.getName, codePointOf and regex
# \N{...} read them; 0.16 MB) and the translations of the JDK's own messages (launcher, security, logging;
# English only, as Go's server). A package cannot be left empty (jlink checks each module's package list), so
# whole packages (keytool's) stay.
excluded_resources='/java.base/java/lang/uniName.dat,regex:/[^/]+/.*/resources/[^/]+_(de|es|fr|it|ja|ko|pt_BR|sv|zh_CN|zh_HK|zh_TW)[.]class'
# BouncyCastle's jar is signed; jlink drops the signature (the classes are linked into lib/modules).
# Every module the image holds is an explicit JPMS module (picocli and BouncyCastle ship one), so jlink
# can link them all. MODULES is the one list of what goes in (jlink/pom.xml's image.modules); jlink adds
# what they require. Start-up speed comes from the AOT cache made below, not jlink's default CDS archive.
"$java_home/bin/jlink" \
  --module-path "$linked_modules" \
  --add-modules "$modules" \
  --launcher nats-server=nats.cli/nats.cli.Main \
  --strip-debug --no-header-files --no-man-pages \
  --ignore-signing-information \
  --compress zip-6 \
  --exclude-resources="$excluded_resources" \
  --output "$output"
# What jlink copies that a server never runs (see docs/operations.md, "What the image holds"): the keytool and
# jwebserver launchers, the class list that only -Xshare:dump reads (the image's cache is made from its own
# training), and the jrt file system jar that only another JDK needs to read this image's modules.
rm -f "$output/bin/keytool" "$output/bin/jwebserver" "$output/lib/classlist" "$output/lib/jrt-fs.jar"
# The JDK's native libraries carry a full symbol table (5 MB of libjvm.so's 30 MB); the dynamic symbols stay,
# so the libraries link as before, and a crash log names fewer internal frames. Skipped without binutils.
if command -v strip >/dev/null 2>&1; then
  find "$output/lib" -name '*.so' -exec strip --strip-unneeded {} +
fi
# jlink's own launcher runs java as a child of sh, so signals (TERM, INT, USR2, HUP) would reach the shell,
# not the server: replace it with one that execs java.
cat > "$output/bin/nats-server" <<'SH'
#!/bin/sh
# No subshells or helper programs here: every fork is start-up time.
case $0 in
  */*) dir=${0%/*} ;;
  *) dir=. ;;
esac
# HotSpot suspends threads (e.g. for JFR sampling) with SIGUSR2 unless told otherwise; USR2 means
# lame-duck mode for nats-server, so move the JVM's signal to a real-time one.
export _JAVA_SR_SIGNUM="${_JAVA_SR_SIGNUM:-40}"
aot=
[ -f "$dir/../lib/nats-server.aot" ] && aot="-XX:AOTCache=$dir/../lib/nats-server.aot"
# At exit HotSpot waits up to 300 ms for threads blocked in native code (the virtual threads' socket poller
# is one once a client has connected): the server has shut down by then, so exit at once, as Go does (a
# harness that stops a server and at once expects its clients to see the port closed counts on it).
exec "$dir/java" $aot -XX:UserThreadWaitAttemptsAtExit=0 --enable-native-access=org.xerial.snappy $NATS_SERVER_JAVA_OPTS \
  -m nats.cli/nats.cli.Main "$@"
SH
chmod +x "$output/bin/nats-server"
mkdir -p "$output/plugins"
cat > "$output/plugins/README" <<'TXT'
Drop plugin jars (JPMS modules providing nats.api.ServerPlugin) into this folder; they are loaded at start-up.
TXT
# Ahead-of-time cache (JEP 483/514/515): a training run that starts the server, puts load through it and
# exits records loaded and linked classes and the hot methods' profiles, so a new server starts in about
# half the time and its JIT compiles the hot paths with the training's profiles instead of waiting for
# its own (JEP 515).
# The training's servers listen on 12 ports from train_port on: below Linux's ephemeral range (32768 up), so no
# outgoing connection holds one, and a base is taken only if nothing listens on any of them (a failed listener,
# MQTT's say, ends the training server and fails the build).
ports_free() {
  local p
  for (( p = $1; p < $1 + 12; p++ )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then return 1; fi
  done
}
for _ in 1 2 3 4 5 6 7 8 9 10; do
  train_port=$(( 20000 + RANDOM % 12000 ))
  if ports_free "$train_port"; then break; fi
done
# JetStream is on in the training (its store in a temp directory), so its paths are in the cache too. The
# training server is in a three-server cluster (nats.cluster is in the image): two peers with JetStream, started
# from the image without recording, take part in the cluster part of the training below and, with the training
# server, form JetStream's meta group and the R3 streams' groups (a JetStream server in a cluster answers
# 10008 "temporarily unavailable" until its meta group has formed, which takes JetStream peers).
train_store=$(mktemp -d)
peer_port=$(( train_port + 1 )) train_cluster=$(( train_port + 2 )) peer_cluster=$(( train_port + 3 ))
peer2_port=$(( train_port + 9 )) peer2_cluster=$(( train_port + 10 ))
cluster_modules=$(echo ",$modules," | grep -c ',nats.cluster,' || true)
cluster_flags=()
if [ "$cluster_modules" -gt 0 ]; then
  # A JetStream server in a cluster needs a name (Go refuses to start without one, and so does this server).
  cluster_flags=(--server_name train --cluster "nats://127.0.0.1:$train_cluster" --cluster_name train
    --routes "nats-route://127.0.0.1:$peer_cluster")
fi
# With nats.gateway in the image the training server is also a gateway to a second cluster (a third server,
# started from the image without recording), so the gateway's paths are trained too; Go takes gateways from a
# config file only.
gateway_modules=$(echo ",$modules," | grep -c ',nats.gateway,' || true)
# JNATSD_TRAIN_CLUSTER=0 trains a standalone server (no cluster peers, no gateway): a training server in a
# cluster runs JetStream clustered (its R1 streams placed through the meta group), so the standalone JetStream
# path is trained only this way.
if [ "${JNATSD_TRAIN_CLUSTER:-1}" = 0 ]; then
  cluster_modules=0 gateway_modules=0
  cluster_flags=()
fi
# A clustered training server runs JetStream clustered: a second, standalone JetStream server in the same JVM
# (nats.cli's TrainingCompanion, started from JNATSD_AOT_TRAIN_STANDALONE) takes the single server's JetStream
# load below, so both paths are in the cache.
standalone_port=$(( train_port + 11 ))
standalone_flags=
if [ "$cluster_modules" -gt 0 ]; then
  standalone_flags="-a 127.0.0.1 -p $standalone_port -js -sd $train_store/standalone"
fi
train_gw=$(( train_port + 4 )) gwpeer_gw=$(( train_port + 5 )) gwpeer_port=$(( train_port + 6 ))
gateway_flags=()
if [ "$gateway_modules" -gt 0 ]; then
  printf 'gateway { name: train, listen: "127.0.0.1:%s", gateways: [{name: gwpeer, urls: ["nats://127.0.0.1:%s"]}] }\n' \
    "$train_gw" "$gwpeer_gw" > "$train_store/train-gateway.conf"
  printf 'gateway { name: gwpeer, listen: "127.0.0.1:%s", gateways: [{name: train, urls: ["nats://127.0.0.1:%s"]}] }\n' \
    "$gwpeer_gw" "$train_gw" > "$train_store/gwpeer-gateway.conf"
  gateway_flags=(-c "$train_store/train-gateway.conf")
fi
# With nats.mqtt in the image the training server has an MQTT listener (MQTT needs a server name and JetStream,
# as in Go), so MQTT's connect, QoS 0/1 publish and subscribe and retained messages are trained too.
mqtt_modules=$(echo ",$modules," | grep -c ',nats.mqtt,' || true)
train_mqtt=$(( train_port + 7 ))
if [ "$mqtt_modules" -gt 0 ]; then
  printf 'server_name: train\nmqtt { host: 127.0.0.1, port: %s }\n' "$train_mqtt" > "$train_store/train-mqtt.conf"
  if [ "$gateway_modules" -gt 0 ]; then
    printf 'include "train-gateway.conf"\n' >> "$train_store/train-mqtt.conf"
  fi
  gateway_flags=(-c "$train_store/train-mqtt.conf")
fi
# With nats.websocket in the image the training server has a WebSocket listener with TLS (the test certificates of
# nats.server), so reading a tls block's PEM files, building the TLS context and a TLS handshake are in the cache:
# without them a server with a tls block spent ~0.4 s of CPU loading and interpreting ~650 JDK security classes
# before it listened (jnats-server-runner gives a new server ~0.3 s).
websocket_modules=$(echo ",$modules," | grep -c ',nats.websocket,' || true)
train_wss=$(( train_port + 8 ))
if [ "$websocket_modules" -gt 0 ]; then
  certs="$(cd "$(dirname "$0")/../modules/nats.server/src/test/resources/tls" && pwd)"
  printf 'websocket { host: 127.0.0.1, port: %s, tls { cert_file: "%s", key_file: "%s", ca_file: "%s" } }\n' \
    "$train_wss" "$certs/server-cert.pem" "$certs/server-key.pem" "$certs/ca.pem" > "$train_store/train-wss.conf"
  if [ "${#gateway_flags[@]}" -gt 0 ]; then
    printf 'include "train-wss.conf"\n' >> "${gateway_flags[1]}"
  else
    gateway_flags=(-c "$train_store/train-wss.conf")
  fi
fi
training_log="$(dirname "$output")/aot-training.log"
# As bin/nats-server does (the USR2 handler is installed only then): without it the training never made the
# USR2 handler's lambda, and every start spun it with the ClassFile API (~10 ms of the main thread).
export _JAVA_SR_SIGNUM=40
aot_config="$(dirname "$output")/nats-server.aotconf"
rm -f "$aot_config"
JNATSD_AOT_TRAIN_STANDALONE="$standalone_flags" "$output/bin/java" -XX:AOTMode=record -XX:AOTConfiguration="$aot_config" -Xlog:aot=error --enable-native-access=org.xerial.snappy \
  -m nats.cli/nats.cli.Main "${gateway_flags[@]}" -a 127.0.0.1 -p "$train_port" -js -sd "$train_store" "${cluster_flags[@]}" >"$training_log" 2>&1 &
server_pid=$!
peer_pid= peer2_pid=
if [ "$cluster_modules" -gt 0 ]; then
  "$output/bin/java" -m nats.cli/nats.cli.Main -a 127.0.0.1 -p "$peer_port" --server_name peer --cluster "nats://127.0.0.1:$peer_cluster" \
    --cluster_name train --routes "nats-route://127.0.0.1:$train_cluster" -js -sd "$train_store/peer" >/dev/null 2>&1 &
  peer_pid=$!
  "$output/bin/java" -m nats.cli/nats.cli.Main -a 127.0.0.1 -p "$peer2_port" --server_name peer2 \
    --cluster "nats://127.0.0.1:$peer2_cluster" --cluster_name train --routes "nats-route://127.0.0.1:$train_cluster" \
    -js -sd "$train_store/peer2" >/dev/null 2>&1 &
  peer2_pid=$!
fi
gwpeer_pid=
if [ "$gateway_modules" -gt 0 ]; then
  "$output/bin/java" -m nats.cli/nats.cli.Main -c "$train_store/gwpeer-gateway.conf" -a 127.0.0.1 -p "$gwpeer_port" \
    >/dev/null 2>&1 &
  gwpeer_pid=$!
fi
# Never leave the training servers (or the store) behind, whatever happens below.
trap 'kill -9 "$server_pid" $peer_pid $peer2_pid $gwpeer_pid 2>/dev/null || true; rm -rf "$train_store"' EXIT
for _ in $(seq 1 100); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$train_port") 2>/dev/null; then break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
# A training server that did not start (a refused flag, say) would leave a cache of a failed start, and every
# image would quietly start and run slower: fail the build instead.
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "error: the AOT training server exited during start-up; its log is $training_log" >&2
  tail -5 "$training_log" >&2
  exit 1
fi
# TLS handshakes on the WebSocket listener (TLS 1.3 and 1.2), when openssl is there to make them.
if [ "$websocket_modules" -gt 0 ] && command -v openssl >/dev/null; then
  for version in -tls1_3 -tls1_2; do
    timeout 10 openssl s_client -connect "127.0.0.1:$train_wss" "$version" </dev/null >/dev/null 2>&1 || true
  done
fi
# The project's load generator covers the paths clients use most: request/reply with unique inboxes,
# pub/sub, fan-out, queue groups, publish without interest; each run is bounded in time. (Thousands of idle
# connects in the training made request/reply's p99 40 % worse: their profiles mislead the JIT.)
# JetStream's scenarios too (a file stream each, deleted afterwards): without them its paths were still
# being compiled during the first benchmark runs, which then measured the JIT as much as the server.
for scenario in "reqrep --msgs 20000" "pubsub --msgs 200000" "fanout --msgs 50000" \
    "queue --msgs 200000" "pub --msgs 200000" "js pub --msgs 100000" "js pub --pubs 16 --msgs 100000" \
    "js pub-sync --msgs 3000" "js fetch --msgs 100000" "js kv-put --msgs 2000" "js kv-get --msgs 20000"; do
  # shellcheck disable=SC2086 # the scenario is a word list
  timeout 60 "$java_home/bin/java" -p "$(dirname "$trainer_jar"):$module_dir" -m nats.bench/nats.bench.NatsBench \
    $scenario --url "127.0.0.1:$train_port" --duration-limit 30 >/dev/null 2>&1 || true
done
# The standalone JetStream server's scenarios (see standalone_flags): a publish stored on the publisher's thread and
# acked after the group commit, a pull consumer's acks applied without a group, key-value puts and gets.
if [ -n "$standalone_flags" ] && (exec 3<>"/dev/tcp/127.0.0.1/$standalone_port") 2>/dev/null; then
  for scenario in "js pub --msgs 150000" "js pub --pubs 16 --msgs 100000" "js pub-sync --msgs 3000" \
      "js fetch --msgs 150000" "js kv-put --msgs 2000" "js kv-get --msgs 20000"; do
    # shellcheck disable=SC2086 # the scenario is a word list
    timeout 60 "$java_home/bin/java" -p "$(dirname "$trainer_jar"):$module_dir" -m nats.bench/nats.bench.NatsBench \
      $scenario --url "127.0.0.1:$standalone_port" --duration-limit 30 >/dev/null 2>&1 || true
  done
fi
# Headers, wildcard queue subscriptions and replies, which the load generator does not send, and subscription
# changes among the messages (a SUB and an UNSUB per cycle): without them the parser's and the subscription
# index's UNSUB paths had no profile, and the first UNSUB under load threw away the compiled parser (a fresh
# server recompiled it up to five times, a third of its CPU in the first seconds of SUB/UNSUB churn).
if exec 3<>"/dev/tcp/127.0.0.1/$train_port" && exec 4<>"/dev/tcp/127.0.0.1/$train_port"; then
  printf 'CONNECT {"verbose":false,"headers":true}\r\nSUB train.* 1\r\nSUB train.> q 2\r\nSUB train.> q 3\r\nPING\r\n' >&4
  cat <&4 >/dev/null &
  reader_pid=$!
  printf 'CONNECT {"verbose":false,"headers":true}\r\n' >&3
  sleep 0.2
  train_data=$(mktemp)
  # yes ends with SIGPIPE when head has enough; that is expected.
  yes $'PUB train.a 16\r\n0123456789abcdef\r\nPUB train.b reply.x 5\r\nhello\r\nHPUB train.c 12 14\r\nNATS/1.0\r\n\r\nhi\r\nPUB none 2\r\nhi\r\nSUB train.u 99\r\nUNSUB 99\r' \
    | head -n 100000 > "$train_data" || true
  for _ in 1 2 3; do
    timeout 30 cat "$train_data" >&3 || true
  done
  rm -f "$train_data"
  printf 'PING\r\n' >&3
  timeout 10 head -c 1 <&3 >/dev/null || true
  kill "$reader_pid" 2>/dev/null || true
  exec 3>&- 4>&-
fi
# Clustering: messages cross the route both ways, so the route paths (sending RMSG, routing what a route brought,
# queue groups spread over servers) are in the cache too; without this the image routes a third slower than
# the same code without the cache. A raw subscriber on one server pulls what the load generator publishes on the
# other (a queue member of the load's group "q" for the queue runs, which then stop at their time limit).
train_across() { # subscribing port, publishing port, SUB arguments, scenarios...
  local sub_port=$1 pub_port=$2 sub=$3
  shift 3
  exec 5<>"/dev/tcp/127.0.0.1/$sub_port" || return 0
  printf 'CONNECT {"verbose":false,"headers":true}\r\nSUB %s\r\nPING\r\n' "$sub" >&5
  cat <&5 >/dev/null &
  local sink_pid=$!
  sleep 0.5
  for scenario in "$@"; do
    # shellcheck disable=SC2086 # the scenario is a word list
    timeout 60 "$java_home/bin/java" -p "$(dirname "$trainer_jar"):$module_dir" -m nats.bench/nats.bench.NatsBench \
      $scenario --url "127.0.0.1:$pub_port" >/dev/null 2>&1 || true
  done
  kill "$sink_pid" 2>/dev/null || true
  exec 5>&-
}
if [ -n "$peer_pid" ]; then
  train_across "$peer_port" "$train_port" "bench.> 1" "pubsub --msgs 300000 --duration-limit 30" \
    "fanout --msgs 50000 --duration-limit 30" "reqrep --msgs 10000 --duration-limit 30"
  train_across "$train_port" "$peer_port" "bench.> 1" "pubsub --msgs 300000 --duration-limit 30" \
    "reqrep --msgs 10000 --duration-limit 30"
  train_across "$peer_port" "$train_port" "bench.> q 3" "queue --msgs 300000 --duration-limit 4"
  train_across "$train_port" "$peer_port" "bench.> q 3" "queue --msgs 300000 --duration-limit 4"
fi
# Gateways: messages and requests cross to the other cluster and back (the gateways connect a second after
# start; the training above took longer than that).
if [ -n "$gwpeer_pid" ]; then
  train_across "$gwpeer_port" "$train_port" "bench.> 1" "pubsub --msgs 300000 --duration-limit 30" \
    "reqrep --msgs 10000 --duration-limit 30"
  train_across "$train_port" "$gwpeer_port" "bench.> 1" "pubsub --msgs 300000 --duration-limit 30" \
    "reqrep --msgs 10000 --duration-limit 30"
fi
# JetStream: publishes with acks into a file stream, pull requests of a consumer, direct gets. A hiccup here
# (the server closing the socket under load) costs some training, never the build: its own subshell, SIGPIPE
# ignored.
(
trap '' PIPE
set +e
if exec 3<>"/dev/tcp/127.0.0.1/$train_port"; then
  cat <&3 >/dev/null &
  reader_pid=$!
  printf 'CONNECT {"verbose":false,"headers":true}\r\nSUB _INBOX.t.> 1\r\n' >&3
  create='{"name":"TRAIN","subjects":["train.js.>"],"allow_direct":true}'
  printf 'PUB $JS.API.STREAM.CREATE.TRAIN _INBOX.t.c %d\r\n%s\r\nPING\r\n' "${#create}" "$create" >&3
  sleep 0.5
  train_data=$(mktemp)
  yes $'PUB train.js.a _INBOX.t.a 16\r\n0123456789abcdef\r\nHPUB train.js.b _INBOX.t.b 28 30\r\nNATS/1.0\r\nNats-Msg-Id: x\r\n\r\nhi\r' \
    | head -n 60000 > "$train_data" || true
  timeout 30 cat "$train_data" >&3 || true
  consumer='{"stream_name":"TRAIN","config":{"name":"C","ack_policy":"none"}}'
  printf 'PUB $JS.API.CONSUMER.CREATE.TRAIN.C _INBOX.t.c %d\r\n%s\r\nPING\r\n' "${#consumer}" "$consumer" >&3
  sleep 0.3
  yes $'PUB $JS.API.CONSUMER.MSG.NEXT.TRAIN.C _INBOX.t.n 14\r\n{"batch":1000}\r\nPUB $JS.API.DIRECT.GET.TRAIN.train.js.a _INBOX.t.g 0\r\n\r' \
    | head -n 400 > "$train_data" || true
  timeout 30 cat "$train_data" >&3 || true
  rm -f "$train_data"
  printf 'PING\r\n' >&3
  sleep 1
  kill "$reader_pid" 2>/dev/null || true
  exec 3>&-
fi
) || true
# Clustered JetStream: R3 file streams, every publish proposed by the stream's leader, synced on a quorum's RAFT
# logs and applied by every replica. Each run makes a new stream whose group elects its own leader, so over four
# runs the training server leads some and follows others, and both paths are in the cache (without this a fresh
# R3 cluster ran its stream groups' path interpreted through the first 100,000 publishes of a benchmark).
if [ -n "$peer2_pid" ]; then
  for scenario in "js pub --replicas 3 --msgs 60000" "js pub --replicas 3 --pubs 16 --msgs 60000" \
      "js pub --replicas 3 --size 16 --msgs 60000" "js pub --replicas 3 --pubs 16 --size 16 --msgs 60000"; do
    # shellcheck disable=SC2086 # the scenario is a word list
    timeout 90 "$java_home/bin/java" -p "$(dirname "$trainer_jar"):$module_dir" -m nats.bench/nats.bench.NatsBench \
      $scenario --url "127.0.0.1:$train_port" --duration-limit 30 >/dev/null 2>&1 || true
  done
fi
# MQTT: QoS 0 and QoS 1 pub/sub and the QoS 1 round trip from the load generator, then retained messages (set,
# delivered to a new subscriber, cleared) from raw packets, as the generator sends none.
if [ "$mqtt_modules" -gt 0 ]; then
  for scenario in "mqtt-pubsub --msgs 200000" "mqtt-pubsub1 --msgs 60000" "mqtt-rtt --msgs 5000"; do
    # shellcheck disable=SC2086 # the scenario is a word list
    timeout 60 "$java_home/bin/java" -p "$(dirname "$trainer_jar"):$module_dir" -m nats.bench/nats.bench.NatsBench \
      $scenario --url "mqtt://127.0.0.1:$train_mqtt" --duration-limit 30 >/dev/null 2>&1 || true
  done
  (
  trap '' PIPE
  set +e
  for i in $(seq 1 100); do
    exec 3<>"/dev/tcp/127.0.0.1/$train_mqtt" || break
    cat <&3 >/dev/null &
    reader_pid=$!
    # CONNECT (clean session, client id t0..t9: never the previous round's, whose session may still be closing);
    # a retained QoS 1 and a retained QoS 0 PUBLISH to train/r; a SUBSCRIBE to it at QoS 1 (the retained message
    # is delivered); on every tenth round a retained empty PUBLISH, which clears it; DISCONNECT.
    printf '\x10\x0e\x00\x04MQTT\x04\x02\x00\x3c\x00\x02t%s' $(( i % 10 )) >&3
    printf '\x33\x10\x00\x07train/r\x00\x01hello\x31\x0e\x00\x07train/rhello' >&3
    printf '\x82\x0c\x00\x02\x00\x07train/r\x01' >&3
    [ $(( i % 10 )) -eq 0 ] && printf '\x31\x09\x00\x07train/r' >&3
    sleep 0.02
    printf '\xe0\x00' >&3
    sleep 0.01
    kill "$reader_pid" 2>/dev/null
    exec 3>&-
  done
  ) 2>/dev/null || true
fi
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "error: the AOT training server exited before the training's end; its log is $training_log" >&2
  tail -5 "$training_log" >&2
  exit 1
fi
kill -TERM "$server_pid" $peer_pid $peer2_pid $gwpeer_pid 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
# The cache is assembled from the training's recorded configuration in a second JVM (what -XX:AOTCacheOutput does
# in one step); the configuration stays in target/ to assemble caches with other options from the same training.
if [ -f "$aot_config" ]; then
  "$output/bin/java" -XX:AOTMode=create -XX:AOTConfiguration="$aot_config" -XX:AOTCache="$output/lib/nats-server.aot" \
    -Xlog:aot=error --enable-native-access=org.xerial.snappy -m nats.cli/nats.cli.Main >>"$training_log" 2>&1 || true
fi
[ -f "$output/lib/nats-server.aot" ] || echo "warning: AOT cache was not created; the image starts without it" >&2
du -sh "$output" | awk '{print "image size: " $1}'
