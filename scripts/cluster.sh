#!/usr/bin/env bash
# `make cluster` / `make cluster-stop`: on this machine, PostgreSQL (Debian's), two app
# instances bound to localhost and nginx in front of them on PORT (default 8080).
# ALLIANCES_CLUSTER_DB names the database (default alliances_cluster).
# Everything it writes goes under var/cluster/ (logs, pids, the rendered nginx config).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
RUN="${ROOT}/var/cluster"
PORT="${PORT:-8080}"
APP1=$((PORT + 1))
APP2=$((PORT + 2))
DB="${ALLIANCES_CLUSTER_DB:-alliances_cluster}"

wait_for() {  # URL, what
  for _ in $(seq 1 120); do
    curl -kfsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  echo "échec : $2 ne répond pas ($1) ; voir ${RUN}/*.log" >&2
  return 1
}

start_instance() {  # N: instance N on port PORT+N, bound to localhost
  local port=$((PORT + $1))
  if curl -fsS -o /dev/null "http://127.0.0.1:${port}/" 2>/dev/null; then
    echo "échec : le port ${port} est déjà pris (make cluster-stop, ou PORT=…)" >&2
    exit 1
  fi
  ALLIANCES_DATABASE_URL="$(cat "${RUN}/database-url")" nohup scripts/serve.sh "${port}" \
    --server.address 127.0.0.1 --server.headless true \
    >> "${RUN}/instance-$1.log" 2>&1 &
  echo $! > "${RUN}/instance-$1.pid"
}

start() {
  [ -f "${RUN}/instance-1.pid" ] && stop  # a previous start, whole or not
  mkdir -p "${RUN}/tmp"
  command -v nginx >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx
  }
  MODULES=/usr/lib/nginx/modules
  if [ ! -f "${MODULES}/ngx_http_brotli_static_module.so" ]; then  # optional: smaller scripts
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libnginx-mod-http-brotli-filter \
      libnginx-mod-http-brotli-static >/dev/null 2>&1 || true
  fi
  BROTLI=/dev/null LOAD_BROTLI=""
  if [ -f "${MODULES}/ngx_http_brotli_static_module.so" ] && [ -f "${MODULES}/ngx_http_brotli_filter_module.so" ]; then
    BROTLI="${ROOT}/deploy/nginx/brotli.conf"
    LOAD_BROTLI="load_module ${MODULES}/ngx_http_brotli_filter_module.so; load_module ${MODULES}/ngx_http_brotli_static_module.so;"
  fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q " online "; then touch "${RUN}/postgres-started-here"; fi
  URL="$(scripts/postgres_db.sh "${DB}" | tail -n 1)"
  echo "${URL}" > "${RUN}/database-url"
  for n in 1 2; do start_instance "${n}"; done
  for n in 1 2; do wait_for "http://127.0.0.1:$((PORT + n))/_stcore/health" "l'instance ${n}"; done
  if [ ! -f "${RUN}/tls/cert.pem" ]; then  # self-signed, for this machine only
    mkdir -p "${RUN}/tls"
    openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=127.0.0.1" \
      -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
      -keyout "${RUN}/tls/key.pem" -out "${RUN}/tls/cert.pem" 2>/dev/null
  fi
  sed -e "s/__PORT__/${PORT}/" -e "s/__APP1__/${APP1}/" -e "s/__APP2__/${APP2}/" \
    -e "s|__CERT__|${RUN}/tls/cert.pem|" -e "s|__KEY__|${RUN}/tls/key.pem|" -e "s|__ICONS__|${ROOT}/var/fonts|" \
    -e "s|__PROXY_STATIC__|${ROOT}/var/proxy-static|" \
    deploy/nginx/alliances.conf > "${RUN}/alliances.conf"
  sed -e "s|__RUN__|${RUN}|g" -e "s|__BROTLI__|${BROTLI}|" -e "s|__LOAD_BROTLI__|${LOAD_BROTLI}|" deploy/nginx/cluster.conf > "${RUN}/nginx.conf"
  chown -R nobody "${RUN}/tmp" 2>/dev/null || true
  nginx -t -q -p "${RUN}" -c "${RUN}/nginx.conf"
  nginx -p "${RUN}" -c "${RUN}/nginx.conf"
  wait_for "https://127.0.0.1:${PORT}/_stcore/health" "nginx"
  echo "Carte des alliances : https://127.0.0.1:${PORT}/ (certificat auto-signé) (instances ${APP1} et ${APP2}, base ${URL})"
}

stop() {
  if [ -f "${RUN}/nginx.pid" ]; then
    nginx -p "${RUN}" -c "${RUN}/nginx.conf" -s quit 2>/dev/null || kill "$(cat "${RUN}/nginx.pid")" 2>/dev/null || true
  fi
  for n in 1 2; do
    if [ -f "${RUN}/instance-${n}.pid" ]; then
      kill "$(cat "${RUN}/instance-${n}.pid")" 2>/dev/null || true
      rm -f "${RUN}/instance-${n}.pid"
    fi
    # and whatever still serves that port from this folder (a start that failed half-way)
    pkill -f "streamlit run serve.py --server.port $((PORT + n)) " 2>/dev/null || true
  done
  if [ -f "${RUN}/postgres-started-here" ]; then
    pg_ctlcluster "$(ls /usr/lib/postgresql | sort -V | tail -n 1)" main stop || true
    rm -f "${RUN}/postgres-started-here"
  fi
  echo "Cluster arrêté."
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  instance)  # restart one instance that stopped: scripts/cluster.sh instance 1
    start_instance "$2"
    wait_for "http://127.0.0.1:$((PORT + $2))/_stcore/health" "l'instance $2" ;;
  *) echo "usage : $0 start|stop|instance N" >&2; exit 2 ;;
esac
