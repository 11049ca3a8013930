#!/usr/bin/env bash
# Benchmarks (npm run bench): measured side by side in one run, written to docs/benchmarks.md.
# Never timed assertions in tests — shared machines make those flaky.
#   request       what the plugin adds to every front-end request (plugin active vs left out, same
#                 WordPress), and the plugin's own PHP files, queries and option reads on it (≤ 3, 0, 0)
#   probe         the port test engine: all ports concurrently vs one after another
#   page          the settings page: time until usable in headless Chromium; its JavaScript and CSS, gzipped
#   outbox        wp_mail() with every port black-holed (first message ≤ the send time limit, the next
#                 ones ≤ 50 ms) and how fast a queue of 500 drains once the server is back
#   domain-check  the domain check against the tests' name server with 50 ms added per query (≤ 4 round trips)
#   self-check    the daily self-check's cost per run
#   pacing        the sending pace's delivered rate against a limit (≥ 95 %)
#   transport     one message over SMTP and each HTTPS API (an API within 1.5 × SMTP), a queue of 500
#                 drained over HTTPS APIs beside SMTP, peak memory with a 10 MB attachment (≤ 3 × its size)
# Only what is measured is rewritten: each part's numbers stand between its markers
# (`<!-- bench:NAME -->` … `<!-- /bench:NAME -->`, written by env/bench-doc.js); every other line of
# docs/benchmarks.md — notes, before/after tables, the CI section — is kept as it is.
# BENCH_ONLY=transport,outbox measures only those parts; the others keep their numbers and dates.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

OUT="$ROOT/docs/benchmarks.md"
ROUNDS=${BENCH_ROUNDS:-300}
PROBE_RUNS=${BENCH_PROBE_RUNS:-15}
OUTBOX_MESSAGES=${BENCH_OUTBOX_MESSAGES:-500}
TRANSPORT_RUNS=${BENCH_TRANSPORT_RUNS:-30}
ONLY=${BENCH_ONLY:-all}
PART_NAMES=(request probe page outbox self-check domain-check pacing transport)
for name in ${ONLY//,/ }; do
	[ "$name" = all ] || [[ " ${PART_NAMES[*]} " == *" $name "* ]] || die "BENCH_ONLY: no part \"$name\" (parts: ${PART_NAMES[*]})"
done
want() { [ "$ONLY" = all ] || [[ ",$ONLY," == *",$1,"* ]]; }
ran=$([ "$ONLY" = all ] && echo "every part" || echo "parts: $ONLY")

bash env/setup.sh all
started_stack=0
PARTS=$(mktemp -d)
cleanup() {
	rm -rf "$PARTS"
	if [ "$started_stack" = 1 ]; then bash env/stack.sh stop; fi
}
trap cleanup EXIT
if ! grep -qE '^(apache|web) .* up' <<<"$(bash env/stack.sh status)"; then
	bash env/stack.sh start
	started_stack=1
fi

today=$(date -u +%Y-%m-%d)
# part NAME DETAIL < text: one measured block, with the day it was measured and how.
part() { { printf 'Measured on %s by `npm run bench`%s.\n\n' "$today" "$2"; cat; } >"$PARTS/$1.md"; }

if want request; then
	log "front-end request cost ($ROUNDS rounds)"
	request_table=$(node tests/bench/request-cost.js "$ROUNDS")
	autoload=$(SMTP_PORT_HELPER_TABLE_PREFIX=wp_ php -r '
		$_SERVER["HTTP_HOST"] = "127.0.0.1"; require getenv("RUN") . "/wp/wp-load.php";
		global $wpdb;
		$row = $wpdb->get_row( "SELECT LENGTH(option_value) AS bytes, autoload FROM {$wpdb->options} WHERE option_name = \"smtp_port_helper_settings\"" );
		echo $row ? $row->bytes . " bytes, autoload=" . $row->autoload : "not stored yet";')
	printf '%s\n\nAutoloaded option `smtp_port_helper_settings`: %s.\n' "$request_table" "$autoload" | part request " ($ROUNDS rounds)"
fi

if want page; then
	log "settings page: time until usable in headless Chromium"
	page_table=$(node tests/bench/page-usable.js 15)
	js_raw=$(stat -c %s build/index.js)
	js_gz=$(gzip -9c build/index.js | wc -c)
	css_gz=$(cat build/*.css 2>/dev/null | gzip -9c | wc -c)
	printf '%s\n\n| asset | size | gzipped | target |\n|---|---:|---:|---|\n| build/index.js | %s B | %s B | ≤ 20 KB gzipped |\n| build/*.css | | %s B | |\n' \
		"$page_table" "$js_raw" "$js_gz" "$css_gz" | part page " (15 runs)"
fi

if want probe; then
	log "port test engine ($PROBE_RUNS runs)"
	php tests/bench/probe-bench.php --runs="$PROBE_RUNS" | part probe " ($PROBE_RUNS runs)"
fi

if want outbox; then
	log "outbox: every port black-holed, then $OUTBOX_MESSAGES queued messages drained"
	php -d sendmail_path=/bin/true tests/bench/outbox-bench.php --messages="$OUTBOX_MESSAGES" | part outbox " ($OUTBOX_MESSAGES messages)"
fi

if want self-check; then
	log "daily self-check: the cost of one run"
	php -d sendmail_path=/bin/true tests/bench/self-check-bench.php --runs=10 | part self-check " (10 runs)"
fi

if want domain-check; then
	log "domain check: NSD behind 50 ms of latency per query"
	php tests/bench/domain-check-bench.php --runs=15 --latency=50 | part domain-check " (15 runs)"
fi

if want pacing; then
	log "sending pace: a burst against a mailbox's limit"
	php -d sendmail_path=/bin/true tests/bench/pacing-bench.php --messages=200 --rate=30 --window=5 | part pacing ""
fi

if want transport; then
	log "transports: one message each, $OUTBOX_MESSAGES queued over HTTPS APIs beside SMTP, a 10 MB attachment"
	php -d sendmail_path=/bin/true tests/bench/transport-bench.php --runs="$TRANSPORT_RUNS" --messages="$OUTBOX_MESSAGES" |
		part transport " ($TRANSPORT_RUNS runs, $OUTBOX_MESSAGES queued messages)"
fi

{
	echo "Last run: $today ($ran). Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"
	echo "$(php -r 'echo "PHP ", PHP_VERSION;'), Apache with mod_php (prefork), MariaDB $(mariadbd --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1), WordPress $(grep -o "wp_version = '[^']*'" "$CACHE/wordpress/wp-includes/version.php" | cut -d"'" -f2)."
} >"$PARTS/machine.md"

mkdir -p "$(dirname "$OUT")"
node env/bench-doc.js "$OUT" env/bench-skeleton.md "$PARTS"
log "wrote $OUT ($ran)"
