#!/usr/bin/env bash
# Benchmarks (npm run bench): measured side by side in one run, written to docs/benchmarks.md.
# Never timed assertions in tests — shared machines make those flaky.
#   1. what the plugin adds to every front-end request (plugin active vs left out, same WordPress),
#      and the plugin's own PHP files, queries and option reads on it (targets: ≤ 3, 0, 0)
#   2. the port test engine: all ports concurrently vs one after another
#   3. the settings page: time until usable in headless Chromium; its JavaScript and CSS, gzipped
#   4. the outbox: wp_mail() with every port black-holed (first message ≤ the send time limit,
#      the next ones ≤ 50 ms) and how fast a queue of 500 drains once the server is back
#   5. the domain check against the tests' name server with 50 ms added per query (≤ 4 round trips)
#   6. the daily self-check's cost per run; the sending pace's delivered rate against a limit (≥ 95 %)
#   7. the transports: one message over SMTP and each HTTPS API (an API within 1.5 × SMTP), a queue
#      of 500 drained over an HTTPS API beside SMTP, peak memory with a 10 MB attachment (≤ 3 × its size)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

OUT="$ROOT/docs/benchmarks.md"
ROUNDS=${BENCH_ROUNDS:-300}
PROBE_RUNS=${BENCH_PROBE_RUNS:-15}
OUTBOX_MESSAGES=${BENCH_OUTBOX_MESSAGES:-500}
TRANSPORT_RUNS=${BENCH_TRANSPORT_RUNS:-30}

bash env/setup.sh all
started_stack=0
if ! grep -qE '^(apache|web) .* up' <<<"$(bash env/stack.sh status)"; then
	bash env/stack.sh start
	started_stack=1
	trap 'bash env/stack.sh stop' EXIT
fi

log "front-end request cost ($ROUNDS rounds)"
request_table=$(node tests/bench/request-cost.js "$ROUNDS")
autoload=$(SMTP_PORT_HELPER_TABLE_PREFIX=wp_ php -r '
	$_SERVER["HTTP_HOST"] = "127.0.0.1"; require getenv("RUN") . "/wp/wp-load.php";
	global $wpdb;
	$row = $wpdb->get_row( "SELECT LENGTH(option_value) AS bytes, autoload FROM {$wpdb->options} WHERE option_name = \"smtp_port_helper_settings\"" );
	echo $row ? $row->bytes . " bytes, autoload=" . $row->autoload : "not stored yet";')

log "settings page: time until usable in headless Chromium"
page_table=$(node tests/bench/page-usable.js 15)

log "port test engine ($PROBE_RUNS runs)"
probe_table=$(php tests/bench/probe-bench.php --runs="$PROBE_RUNS")

log "outbox: every port black-holed, then $OUTBOX_MESSAGES queued messages drained"
outbox_table=$(php -d sendmail_path=/bin/true tests/bench/outbox-bench.php --messages="$OUTBOX_MESSAGES")

log "daily self-check: the cost of one run"
self_check_table=$(php -d sendmail_path=/bin/true tests/bench/self-check-bench.php --runs=10)

log "domain check: NSD behind 50 ms of latency per query"
domain_check_table=$(php tests/bench/domain-check-bench.php --runs=15 --latency=50)
log "sending pace: a burst against a mailbox's limit"
pacing_table=$(php -d sendmail_path=/bin/true tests/bench/pacing-bench.php --messages=200 --rate=30 --window=5)

log "transports: one message each, $OUTBOX_MESSAGES queued over an HTTPS API beside SMTP, a 10 MB attachment"
transport_table=$(php -d sendmail_path=/bin/true tests/bench/transport-bench.php --runs="$TRANSPORT_RUNS" --messages="$OUTBOX_MESSAGES")

js_raw=$(stat -c %s build/index.js)
js_gz=$(gzip -9c build/index.js | wc -c)
css_gz=$(cat build/*.css 2>/dev/null | gzip -9c | wc -c)

[ "$started_stack" = 1 ] && { bash env/stack.sh stop; trap - EXIT; }

mkdir -p "$(dirname "$OUT")"
# The CI section is measured by hand (a whole test run), not by this script: it is kept as it is.
ci_section=$( [ -f "$OUT" ] && sed -n '/^## CI: the test command/,$p' "$OUT" || true )
cat >"$OUT" <<EOF
# Benchmarks

Written by \`npm run bench\` (\`env/bench.sh\`) on $(date -u +%Y-%m-%d); every comparison is measured
side by side in one run on the same machine. Medians of repeated runs.

Machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),
$(php -r 'echo "PHP ", PHP_VERSION;'), Apache with mod_php (prefork), MariaDB $(mariadbd --version | grep -o '[0-9]*\.[0-9]*\.[0-9]*' | head -1), WordPress $(grep -o "wp_version = '[^']*'" "$CACHE/wordpress/wp-includes/version.php" | cut -d"'" -f2).

## Cost on every front-end request

Requests to the front page alternate between the plugin active and the plugin left out of the
active plugins for that request (\`env/mu-plugins/bench-request-cost.php\`, local stack only).
Wall time is measured inside PHP from the request start to shutdown. With the plugin active, the
plugin's own PHP files (\`smtp-port-helper.php\` and \`includes/\`), the queries whose caller is
its code (SAVEQUERIES) and its reads of its settings option are counted in every request: the
settings and the mailer are built only when \`phpmailer_init\` fires.

$request_table

Autoloaded option \`smtp_port_helper_settings\`: $autoload.

## Port test engine

$probe_table

## Settings page

$page_table


| asset | size | gzipped | target |
|---|---:|---:|---|
| build/index.js | $js_raw B | $js_gz B | ≤ 20 KB gzipped |
| build/*.css | | $css_gz B | |

WordPress packages (\`@wordpress/components\`, \`element\`, \`api-fetch\`, …) are externals loaded from
core, not part of the bundle.

## Outbox: the time limit and draining a queue

Measured by \`tests/bench/outbox-bench.php\` in the stack's WordPress (integration tables; the
settings, the port memory and the outbox are put back afterwards).

$outbox_table

## Daily self-check

Measured by \`tests/bench/self-check-bench.php\` in the stack's WordPress (integration tables; the
settings and the self-check's options are put back afterwards).

$self_check_table

## Domain check

Measured by \`tests/bench/domain-check-bench.php\`: the whole check (\`Deliverability/Domain_Check\`
through the plugin's resolver) against the tests' name server (NSD, the zones of
\`tests/php/integration/Test_Name_Server.php\`) behind \`tests/bench/dns-latency-proxy.js\`, which
holds every query (UDP and TCP) 50 ms. The first look-ups go out together; only what their answers
name is asked next (an SPF \`redirect=\` hop, a missing CNAME's TXT), so a typical record set costs
one or two round trips.

$domain_check_table
## Sending pace

Measured by \`tests/bench/pacing-bench.php\` in the stack's WordPress (integration tables; the
settings, the outbox and the pace's counters are put back afterwards).

$pacing_table

## Transports: SMTP and the HTTPS APIs

Measured by \`tests/bench/transport-bench.php\` in the stack's WordPress (integration tables; the
settings and the outbox are put back afterwards), against the providers' local HTTPS servers and a
private SMTP server on the same machine.

$transport_table
EOF
[ -z "$ci_section" ] || printf '\n%s\n' "$ci_section" >>"$OUT"
log "wrote $OUT"
