# Shared settings and helpers for the environment scripts. Sourced, never run.
# shellcheck shell=bash

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# mariadbd, mariadb-install-db and apache2 live in Debian's sbin directories, which are not on a
# normal user's PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" ;; esac
export RUN=${RUN:-$ROOT/.run}                 # state of the running stack: databases, logs, pid files
export CACHE=${CACHE:-$ROOT/.cache}           # downloads kept between runs (pristine WordPress)
export ARTIFACTS=${ARTIFACTS:-$ROOT/artifacts} # screenshots, JUnit reports, test results

export WP_PORT=${WP_PORT:-8889}
export WP_URL=${WP_URL:-http://127.0.0.1:$WP_PORT}
export DB_PORT=${DB_PORT:-3307}
export PLAYGROUND_PORT=${PLAYGROUND_PORT:-9400}

# SMTP test servers: the real port numbers as root (CI); high ports otherwise (no root needed).
if [ "$(id -u)" = 0 ]; then
	export SMTP_PORTS=${SMTP_PORTS:-25,465,587,2525}
	export SMTP_TLS_PORTS=${SMTP_TLS_PORTS:-465}
	export SMTP_RELAY_PORT=${SMTP_RELAY_PORT:-25}
else
	# Without root: 2465 is an implicit-TLS port and 2525 the alternate submission port to the plugin
	# (includes/Probe/Submission_Ports.php), so the tests see the same verdicts and recommendation.
	export SMTP_PORTS=${SMTP_PORTS:-10025,2465,2525,12587}
	export SMTP_TLS_PORTS=${SMTP_TLS_PORTS:-2465}
	export SMTP_RELAY_PORT=${SMTP_RELAY_PORT:-10025}
fi
export SMTP_USER=${SMTP_USER:-test}
export SMTP_PASS=${SMTP_PASS:-secret}
export SMTP_DIR="$RUN/smtp"                   # certificate, key and received mails
export SMTP_MAIL_DIR="$SMTP_DIR/mails"
export SMTP_CA="$SMTP_DIR/cert.pem"

# The submission port of the test servers (587 as root) and the implicit TLS one (465 as root).
smtp_port_at() { echo "$SMTP_PORTS" | cut -d, -f"$1"; }
export SMTP_SUBMISSION_PORT=${SMTP_SUBMISSION_PORT:-$(smtp_port_at 3)}

export WP_ADMIN_USER=admin WP_ADMIN_PASSWORD=password

export CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium}

mkdir -p "$RUN/logs" "$RUN/pids" "$CACHE" "$ARTIFACTS"

log() { printf '\033[1m::\033[0m %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# wait_for SECONDS command... — polls every 0.1 s until the command succeeds.
wait_for() {
	local ticks=$(( $1 * 10 )); shift
	until "$@" >/dev/null 2>&1; do
		ticks=$(( ticks - 1 ))
		[ "$ticks" -gt 0 ] || return 1
		sleep 0.1
	done
}

# kill_pidfile NAME — stops the process in $RUN/pids/NAME.pid with its children (its whole process
# group when it leads one, see start_detached), and waits until all of them are gone (SIGKILL after
# 5 s), so their ports are free when this returns.
kill_pidfile() {
	local file="$RUN/pids/$1.pid" pid procs alive
	[ -f "$file" ] || return 0
	pid=$(cat "$file")
	if kill -0 "$pid" 2>/dev/null; then
		if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then
			procs=$(pgrep -g "$pid" | tr '\n' ' ')
		else
			procs="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
		fi
		# shellcheck disable=SC2086
		kill $procs 2>/dev/null || true
		for _ in $(seq 1 50); do
			alive=""
			for p in $procs; do kill -0 "$p" 2>/dev/null && alive="$alive $p"; done
			[ -z "$alive" ] && break
			sleep 0.1
		done
		# shellcheck disable=SC2086
		[ -n "$alive" ] && kill -9 $alive 2>/dev/null || true
	fi
	rm -f "$file"
}

# start_detached NAME LOG command... — runs the command in the background as the leader of its own
# process group, so that kill_pidfile stops everything it spawned (npx → sh → node → workers).
# The log is emptied before the start: a readiness check that reads it must not find the previous
# run's lines (the redirection below happens in the child, after this function has returned).
start_detached() {
	local name=$1 logfile=$2; shift 2
	: >"$logfile"
	setsid "$@" >"$logfile" 2>&1 </dev/null &
	echo $! >"$RUN/pids/$name.pid"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# SMTP test servers (env/smtp/servers.js) with a certificate generated for this run.
smtp_certificate() {
	mkdir -p "$SMTP_DIR"
	# 127.0.0.2: the OAuth stack's Postfix on the standard submission port (env/oauth/servers.sh).
	[ -f "$SMTP_DIR/cert.pem" ] && openssl x509 -checkend 86400 -noout -in "$SMTP_DIR/cert.pem" >/dev/null 2>&1 \
		&& openssl x509 -noout -ext subjectAltName -in "$SMTP_DIR/cert.pem" 2>/dev/null | grep -q 'IP Address:127.0.0.2' && return 0
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SMTP_DIR/key.pem" -out "$SMTP_DIR/cert.pem" \
		-days 30 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:::1" 2>/dev/null
	chmod 644 "$SMTP_DIR/cert.pem"
}
smtp_ready() { [ "$(grep -c '"listening"' "$RUN/logs/smtp.log")" -ge "$(echo "$SMTP_PORTS" | tr , '\n' | wc -l)" ]; }
smtp_start() {
	smtp_certificate
	mkdir -p "$SMTP_MAIL_DIR"
	SMTP_CERT_DIR="$SMTP_DIR" start_detached smtp "$RUN/logs/smtp.log" node "$ROOT/env/smtp/servers.js" "$SMTP_MAIL_DIR"
	wait_for 10 smtp_ready || { cat "$RUN/logs/smtp.log"; return 1; }
}
