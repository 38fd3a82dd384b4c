#!/usr/bin/env bash
# PostgreSQL and Redis for the queue-mode end-to-end suite (npm run test:e2e:queue).
#
# Prints, as `name=value` lines, where the binaries are; installs the Debian packages `postgresql`
# and `redis-server` with apt-get first when one of them is missing. Starts nothing: the suite runs
# its own postgres and redis-server processes on free 127.0.0.1 ports (e2e/lib/services.ts).
#
# A Debian postinst starts the packaged service (and PostgreSQL's default cluster). A temporary
# /usr/sbin/policy-rc.d that answers 101 ("action not allowed") stops invoke-rc.d and
# deb-systemd-invoke from doing that; should a service still come up on its default port, the
# script stops exactly that service afterwards. Nothing is left running.
#
# Usage: scripts/queue-services.sh        (needs root or password-less sudo only when installing)
set -euo pipefail

find_postgres_bindir() {
	# Debian keeps the server binaries per major version; take the newest.
	local dir
	for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		if [ -x "$dir/postgres" ] && [ -x "$dir/initdb" ] && [ -x "$dir/psql" ]; then
			echo "$dir"
			return 0
		fi
	done
	return 1
}

find_redis_server() {
	command -v redis-server 2>/dev/null || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; } || return 1
}

listening() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo -n "$@"
	else
		echo "queue-services: need root to run: $*" >&2
		echo "queue-services: install the packages yourself: apt-get install -y postgresql redis-server" >&2
		exit 1
	fi
}

missing=()
find_postgres_bindir >/dev/null || missing+=(postgresql)
find_redis_server >/dev/null || missing+=(redis-server)

if [ "${#missing[@]}" -gt 0 ]; then
	if ! command -v apt-get >/dev/null 2>&1; then
		echo "queue-services: ${missing[*]} missing and no apt-get here; install them with your package manager." >&2
		exit 1
	fi
	echo "queue-services: installing ${missing[*]} with apt-get" >&2
	postgres_before=false redis_before=false
	listening 5432 && postgres_before=true
	listening 6379 && redis_before=true

	policy=/usr/sbin/policy-rc.d
	own_policy=false
	if [ ! -e "$policy" ]; then
		as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy"
		own_policy=true
	fi
	cleanup() { if [ "$own_policy" = true ]; then as_root rm -f "$policy"; fi; }
	trap cleanup EXIT

	export DEBIAN_FRONTEND=noninteractive
	# A fresh machine may have no package lists yet; update only when a package is unknown.
	for package in "${missing[@]}"; do
		if ! apt-cache policy "$package" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
			as_root apt-get update -q >&2
			break
		fi
	done
	as_root apt-get install -y -q --no-install-recommends "${missing[@]}" >&2

	# Stop exactly what a postinst may have started despite the policy (its default ports).
	if [ "$postgres_before" = false ] && listening 5432 && command -v pg_ctlcluster >/dev/null 2>&1; then
		for cluster in $(ls -d /etc/postgresql/*/main 2>/dev/null); do
			version=$(basename "$(dirname "$cluster")")
			echo "queue-services: stopping the default cluster $version/main started by the package" >&2
			as_root pg_ctlcluster "$version" main stop >&2 || true
		done
	fi
	if [ "$redis_before" = false ] && listening 6379 && command -v redis-cli >/dev/null 2>&1; then
		echo "queue-services: stopping the redis-server started by the package" >&2
		redis-cli -p 6379 shutdown nosave >&2 || true
	fi
fi

bindir=$(find_postgres_bindir) || { echo "queue-services: PostgreSQL binaries not found after install" >&2; exit 1; }
redis=$(find_redis_server) || { echo "queue-services: redis-server not found after install" >&2; exit 1; }
echo "postgresBinDir=$bindir"
echo "redisServer=$redis"
if [ "${#missing[@]}" -gt 0 ]; then echo "installed=${missing[*]}"; fi
