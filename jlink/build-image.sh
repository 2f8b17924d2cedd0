#!/usr/bin/env bash
# Builds the nats-server runtime image with jlink.
# Usage: build-image.sh JAVA_HOME MODULE_DIR MODULES OUTPUT
set -euo pipefail
java_home=$1 module_dir=$2 modules=$3 output=$4

rm -rf "$output"
# Every module the image holds is an explicit JPMS module (picocli ships a module-info), so jlink
# can link them all; --generate-cds-archive gives the image a class-data-sharing archive for start-up.
"$java_home/bin/jlink" \
  --module-path "$module_dir" \
  --add-modules "$modules" \
  --launcher nats-server=nats.cli/nats.cli.Main \
  --strip-debug --no-header-files --no-man-pages \
  --compress zip-6 \
  --generate-cds-archive \
  --output "$output"
# jlink's own launcher runs java as a child of sh, so signals (TERM, INT, USR2, HUP) would reach the shell,
# not the server: replace it with one that execs java.
cat > "$output/bin/nats-server" <<'SH'
#!/bin/sh
dir=$(cd "$(dirname "$0")" && pwd)
exec "$dir/java" -Xshare:auto $NATS_SERVER_JAVA_OPTS -m nats.cli/nats.cli.Main "$@"
SH
chmod +x "$output/bin/nats-server"
mkdir -p "$output/plugins"
cat > "$output/plugins/README" <<'TXT'
Drop plugin jars (JPMS modules providing nats.api.ServerPlugin) into this folder; they are loaded at start-up.
TXT
du -sh "$output" | awk '{print "image size: " $1}'
