#!/usr/bin/env bash
# Start one app instance: `scripts/serve.sh PORT [streamlit options…]`.
# Used by `make run`, `make cluster`, the systemd unit (deploy/) and the load benchmark,
# so that all of them run the server the same way.
#
# Why a script: memory. Python's and pyarrow's own allocators kept what a wave of visitors
# had used: an instance stayed about 20 % above its resting size after the wave had left.
# Where Debian's jemalloc is installed (package libjemalloc2), every allocation goes
# through it, and its background thread hands unused pages back to the system within
# seconds. Set ALLIANCES_SYSTEM_MALLOC=1 to run with the default allocators instead.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:?usage: scripts/serve.sh PORT [streamlit options]}"
shift

jemalloc=""
for candidate in "/usr/lib/$(uname -m)-linux-gnu/libjemalloc.so.2" /usr/lib64/libjemalloc.so.2; do
  if [ -r "$candidate" ]; then jemalloc="$candidate"; break; fi
done
if [ -n "$jemalloc" ] && [ -z "${ALLIANCES_SYSTEM_MALLOC:-}" ]; then
  export LD_PRELOAD="${jemalloc}${LD_PRELOAD:+:$LD_PRELOAD}"
  export MALLOC_CONF="${MALLOC_CONF:-background_thread:true,dirty_decay_ms:5000,muzzy_decay_ms:0}"
  export PYTHONMALLOC=malloc               # Python objects too, not Python's own arenas
  export ARROW_DEFAULT_MEMORY_POOL=system  # and pyarrow's buffers (mimalloc otherwise)
fi
exec .venv/bin/streamlit run serve.py --server.port "$PORT" "$@"
