#!/usr/bin/env bash
# Starts the local PostgreSQL (127.0.0.1:5432) and Redis (127.0.0.1:6379) that the cluster
# tests use, when they are not already answering. Run by .ci/run and before `npm test`
# (pretest). It never fails the run itself: a service that still does not answer makes
# the tests that need it fail with a message naming it.
set -u

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for() {
  local port=$1 name=$2
  for _ in $(seq 1 60); do
    listening "$port" && return 0
    sleep 0.5
  done
  echo "test/services.sh: $name is still not answering on 127.0.0.1:$port" >&2
  return 1
}

if ! listening 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "test/services.sh: starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
    wait_for 5432 PostgreSQL || true
  else
    echo "test/services.sh: PostgreSQL is not running and not installed here (pg_ctlcluster)" >&2
  fi
fi

if ! listening 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "test/services.sh: starting Redis" >&2
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
    wait_for 6379 Redis || true
  else
    echo "test/services.sh: Redis is not running and not installed here (redis-server)" >&2
  fi
fi
exit 0
