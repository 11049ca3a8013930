#!/usr/bin/env bash
# The test command (npm test): sets up what is missing, then runs every suite and ends with one
# line `N passed, N failed` summing them all. Each suite writes a JUnit report to artifacts/junit/.
#   static   php -l, PHPCS (WPCS), PHPStan level 8, tsc --noEmit (strict), ESLint and Stylelint
#   jest     components and the API module (wp-scripts test-unit-js)
#   phpunit  unit + probe (no WordPress; the probe suite talks to real servers on loopback)
#   integration  PHPUnit inside the real WordPress + MariaDB, mail to the real SMTP servers
#   sqlite       the database tests (limits, outbox, locks) again on Playground's SQLite integration
#   multisite    PHPUnit inside a multisite network of the same stack (network defaults, per-site override)
#   blocked-ports  a network namespace whose firewall rejects 25, 465, 587, 2525: the HTTPS API is chosen (root)
#   playwright   Debian's Chromium against the real WordPress (Apache)
#   load         bursts and faults against the real stack (bounded; stops by itself)
#   package      npm run plugin-zip: runtime files only; the zip installs into a fresh WordPress
#   oauth-mta    the local OAuth stack: Postfix + Dovecot check tokens of the real authorization server (root)
#   demo-smoke   the demo command comes up, serves the page, sends mail, stops on Ctrl-C
#   clone-anywhere  the stack from a copy in a 0700 directory, as root and as the user nobody
set -Euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

JUNIT="$ARTIFACTS/junit"
rm -rf "$JUNIT" "$ARTIFACTS/screenshots" "$ARTIFACTS/test-results" "$ARTIFACTS/logs"
mkdir -p "$JUNIT" "$ARTIFACTS/logs"
# A suite's runs-alone tests (NAME-alone) are counted when it has any (see the summary).
SUITES=(static jest phpunit integration sqlite multisite blocked-ports playwright load package oauth-mta demo-smoke clone-anywhere)
TIMES="$ARTIFACTS/suite-times.tsv" # NAME<TAB>wall seconds<TAB>CPU seconds, one line per suite and step
: >"$TIMES"
T0=$(date +%s)

section() { printf '\n\033[1m=== %s\033[0m (%ss)\n' "$1" "$(( $(date +%s) - T0 ))"; }

# children_cpu — the CPU seconds (user + sys) of the children in the output of `times`.
children_cpu() { awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); sum += t[1] * 60 + t[2] } printf "%.0f", sum }'; }

# timed NAME command... — runs the command and records its wall time and the CPU time (user + sys)
# of every process it waited for under NAME. In a subshell, so a background job of this shell that
# ends meanwhile is not counted in it. The stack's servers run detached and are not counted.
timed() {
	local name=$1 start rc cpu_file; shift
	start=$(date +%s)
	cpu_file=$(mktemp "$ARTIFACTS/logs/.cpu.XXXXXX")
	( "$@"; rc=$?; times >"$cpu_file"; exit $rc ) # times in a pipe or $(…) would count that subshell's: 0
	rc=$?
	printf '%s\t%s\t%s\n' "$name" "$(( $(date +%s) - start ))" "$(children_cpu <"$cpu_file")" >>"$TIMES"
	rm -f "$cpu_file"
	return $rc
}

# A background job writes its output to artifacts/logs/NAME.log, printed when it is joined.
declare -A BACKGROUND=()
background() { # background NAME command...
	local name=$1; shift
	( timed "$name" "$@" ) >"$ARTIFACTS/logs/$name.log" 2>&1 &
	BACKGROUND[$name]=$!
}
join_background() { # join_background NAME [TITLE]
	wait "${BACKGROUND[$1]}"
	section "${2:-$1 (ran in the background)}"
	cat "$ARTIFACTS/logs/$1.log"
}

# The locks the WordPress suites' tests hold (tests/php/integration/Suite_Lock.php): the suites' lock,
# shared by any test, exclusive by a test of the group "runs-alone" (deadlines, windows, shared servers
# restarted or counted); and the neighbours' lock, which the suites that run for minutes beside them
# (static, jest, unit + probe; the browser lane) hold shared and a runs-alone test exclusively first —
# so those tests never run beside them, and the other suites' shared tests go on while one waits.
# Its files stay in this stack's run folder whatever RUN a step in another network namespace has.
LOCKS="$RUN/locks"
mkdir -p "$LOCKS"

# wordpress_phpunit NAME CONFIG ARGS... — one PHPUnit run inside the stack's WordPress.
wordpress_phpunit() {
	local name=$1 config=$2; shift 2
	php -d sendmail_path=/bin/true "$(command -v phpunit)" -c "$config" --log-junit "$JUNIT/$name.xml" "$@"
}
# alone_filter CONFIG [GROUP] — a --filter pattern for the classes of the group "runs-alone" (and of
# GROUP, which the configuration includes) in CONFIG's suite; empty when there are none.
alone_filter() {
	local list
	list=$(mktemp "$ARTIFACTS/logs/.tests.XXXXXX")
	php "$(command -v phpunit)" -c "$1" --list-tests-xml "$list" >/dev/null || { rm -f "$list"; return 1; }
	node env/alone-filter.js "$list" ${2:+"$2"}
	rm -f "$list"
}
# wordpress_lane NAME CONFIG [GROUP] — a suite in two runs, one after the other: every test but the
# group "runs-alone" (beside the other suites, from the moment the stack is up), then the runs-alone
# tests (each waits for the lock alone). Reports NAME.xml and NAME-alone.xml.
wordpress_lane() {
	local name=$1 config=$2 group=${3:-} filter rc=0
	timed "$name" wordpress_phpunit "$name" "$config" --exclude-group runs-alone || rc=1
	filter=$(alone_filter "$config" "$group") || { echo "the tests of $config could not be listed"; return 1; }
	if [ -n "$filter" ]; then
		# Not before the neighbours are done: a class may start servers of its own before its first
		# test, which then waits for them (minutes), and such servers stop by themselves after a while.
		flock -x "$LOCKS/php-suites-neighbours.lock" true
		section "$name: the tests that run alone"
		timed "$name-alone" wordpress_phpunit "$name-alone" "$config" --group runs-alone --filter "$filter" || rc=1
		# The summary counts the runs-alone reports it finds: a run that ended without one fails there.
		[ -f "$JUNIT/$name-alone.xml" ] || echo "<?xml version=\"1.0\"?><testsuite name=\"$name-alone\"><testcase classname=\"$name-alone\" name=\"the tests that run alone\"><failure message=\"no report: the run did not end\"/></testcase></testsuite>" >"$JUNIT/$name-alone.xml"
	fi
	return $rc
}

# Static checks are single test cases in one JUnit report. They run at the same time (each alone
# leaves a core idle while it starts up or reads files) and are reported in a fixed order.
xml_escape() { sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'; }
# php -n: a syntax check needs no extension, and starting PHP without them costs a third of the CPU.
php_lint() {
	git ls-files -z --cached --others --exclude-standard -- '*.php' \
		| xargs -0 -r -n 50 sh -c 'failed=0; for f; do php -n -l "$f" >/dev/null 2>&1 || { php -n -l "$f"; failed=1; }; done; exit $failed' php-lint
}
static_checks() {
	local dir="$ARTIFACTS/logs/static" names=() i=0 name rc seconds cases=""
	mkdir -p "$dir"
	static_start() { # static_start NAME command...
		names+=("$1"); shift
		( start=$(date +%s); "$@" >"$dir/$i.out" 2>&1; echo "$? $(( $(date +%s) - start ))" >"$dir/$i.status" ) &
		i=$(( i + 1 ))
	}
	# The slowest first.
	static_start "ESLint (wp-scripts lint-js)" npx wp-scripts lint-js src tests/js tests/e2e tests/smoke tests/load tests/package tests/clone tests/support tests/bench tests/php/servers tests/oauth env
	static_start "PHPStan level 8 with WordPress stubs" vendor/bin/phpstan analyse --memory-limit=1G --no-progress
	static_start "tsc --noEmit (strict)" npx tsc --noEmit
	static_start "PHPCS (WordPress-Extra, WordPress-Docs, PHPCompatibilityWP 7.4+)" vendor/bin/phpcs -q --report=full
	static_start "Stylelint (wp-scripts lint-style)" npx wp-scripts lint-style "src/**/*.scss"
	static_start "php -l on every PHP file" php_lint
	wait
	for i in "${!names[@]}"; do
		name=${names[$i]}
		read -r rc seconds <"$dir/$i.status" || { rc=1; seconds=?; }
		if [ "$rc" = 0 ]; then
			echo "  ✓ $name (${seconds}s)"
			cases+="<testcase classname=\"static\" name=\"$name\" time=\"$seconds\"/>"
		else
			echo "  ✘ $name (${seconds}s)"; tail -40 "$dir/$i.out"
			cases+="<testcase classname=\"static\" name=\"$name\" time=\"$seconds\"><failure message=\"failed\">$(tail -40 "$dir/$i.out" | xml_escape)</failure></testcase>"
		fi
	done
	echo "<?xml version=\"1.0\"?><testsuite name=\"static\">$cases</testsuite>" >"$JUNIT/static.xml"
}

# with_suite_lock command... — runs the command holding the suites' lock shared: no runs-alone test
# runs beside it. Passes the turnstile as Suite_Lock does, so a waiting runs-alone test goes first.
with_suite_lock() {
	local rc
	exec 8>"$LOCKS/php-suites-turnstile.lock" 9>"$LOCKS/php-suites.lock"
	flock 8; flock -s 9; flock -u 8
	"$@" 8>&- 9>&-; rc=$?
	flock -u 9
	exec 8>&- 9>&-
	return $rc
}

# lower_priority [command...] — this (sub)shell and what it starts from now on, or the command, run
# with nice 10: they get the cores when the suites on the critical path leave them idle.
lower_priority() {
	renice -n 10 -p "$BASHPID" >/dev/null
	[ $# = 0 ] || "$@"
}

# with_neighbour_lock command... — runs the command holding the neighbours' lock shared: no runs-alone
# test starts while it runs, and the WordPress suites' shared tests go on beside it.
with_neighbour_lock() {
	local rc
	exec 7>"$LOCKS/php-suites-neighbours.lock"
	flock -s 7
	"$@" 7>&-; rc=$?
	flock -u 7
	exec 7>&-
	return $rc
}

# own_network command... — runs the command in a network namespace of its own (loopback only) with
# its own run folder (and Postfix/Dovecot folder for the OAuth stack's test), so it never meets the
# stack's ports, pid files or mail: the OAuth stack's test beside the WordPress suites, the demo
# smoke test beside the browser specs. Root only (unshare).
own_network() {
	local dir rc
	dir=$(mktemp -d /run/smtp-port-helper-ci.XXXXXX) || return 1
	chmod 755 "$dir"
	mkdir -p "$dir/run"
	# lib.sh again: the stack's paths (SMTP_CA, the mail folder, …) follow RUN.
	RUN="$dir/run" OAUTH_MTA_DIR="$dir/mta" unshare -n bash -c 'source env/lib.sh && ip link set lo up && exec "$@"' own-network "$@"
	rc=$?
	rm -rf "$dir"
	return $rc
}
OWN_NETWORK=
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null; then
	OWN_NETWORK=1
fi

# The browser lane (root): a second stack in a named network namespace of its own, with its own run
# folder, for the browser specs and then the load test, beside the WordPress suites on the first stack
# instead of after them. Each step enters the namespace again (ip netns exec), so the stack it started
# is still there for the next. Without it (a normal user) both run on the one stack after the suites.
BROWSER_NETNS=
browser_network_up() {
	command -v ip >/dev/null && BROWSER_DIR=$(mktemp -d /run/smtp-port-helper-ci.XXXXXX) || return 1
	chmod 755 "$BROWSER_DIR" # Postfix's own user enters its folder under it.
	mkdir -p "$BROWSER_DIR/run"
	ip netns add "smtp-port-helper-browser-$$" || { rm -rf "$BROWSER_DIR"; return 1; }
	BROWSER_NETNS="smtp-port-helper-browser-$$"
	ip netns exec "$BROWSER_NETNS" ip link set lo up
}
in_browser_network() {
	RUN="$BROWSER_DIR/run" OAUTH_MTA_DIR="$BROWSER_DIR/mta" ip netns exec "$BROWSER_NETNS" \
		bash -c 'source env/lib.sh && exec "$@"' in-browser-network "$@"
}
browser_network_down() {
	[ -n "$BROWSER_NETNS" ] || return 0
	in_browser_network bash env/stack.sh stop >/dev/null 2>&1
	ip netns del "$BROWSER_NETNS"
	rm -rf "$BROWSER_DIR"
	BROWSER_NETNS=
}

section "set-up"
timed set-up bash env/setup.sh all || { echo "set-up failed"; echo "0 passed, 1 failed"; exit 1; }

# The suites without a stack, one after the other in the background while the stack starts and beside
# the WordPress suites' shared tests, holding the neighbours' lock shared (the runs-alone tests wait).
# Unit + probe first: the probe suite holds deadlines of seconds against hostile servers, and while the
# stacks start the cores are least busy. The static checks and jest then take what the cores have
# left (lower_priority): only CPU, nothing waits for them until the end, while the WordPress suites
# (the longest lane: one PHPUnit process each, waiting on servers in between) and the browser specs
# run with the cores first.
stack_free_suites() {
	section "phpunit: unit and probe"
	timed phpunit phpunit --log-junit "$JUNIT/phpunit.xml"
	lower_priority
	section "static checks (in parallel)"
	timed static static_checks
	section "jest"
	JEST_JUNIT_OUTPUT_FILE="$JUNIT/jest.xml" timed jest npx wp-scripts test-unit-js --ci --reporters=default --reporters=jest-junit
}
background stack-free with_neighbour_lock stack_free_suites

# What needs no stack, each in a network namespace of its own where it can, beside the load test —
# which mostly waits (measured: 4 CPU-s in about 90 s) — and not beside the browser specs, which take
# what the cores have: the blocked-ports suite (nftables; its own servers and a copy of the SQLite
# site), the demo (Playground and native, its own servers and run folder), the copies of clone anywhere.
# load_and_neighbours [IN_NETWORK] — the load test (in the browser lane's network when given) with them.
load_and_neighbours() {
	local rc=0
	background blocked-ports lower_priority wordpress_phpunit blocked-ports phpunit.blocked-ports.xml.dist
	if [ -n "$OWN_NETWORK" ]; then
		background demo-smoke lower_priority own_network node tests/smoke/demo-smoke.js
		background clone-anywhere lower_priority own_network node tests/clone/clone-anywhere.js
	fi
	section "load and faults"
	timed load "$@" node tests/load/load-and-faults.js || rc=1
	join_background blocked-ports "phpunit: a host that blocks every SMTP port (nftables in a network namespace; ran in the background)"
	if [ -n "$OWN_NETWORK" ]; then
		join_background demo-smoke "demo smoke test (ran in the background, own network)"
		join_background clone-anywhere "clone anywhere: a 0700 checkout, as root and as a normal user (ran in the background, own network)"
	fi
	return $rc
}
playwright_specs() { # playwright_specs [IN_NETWORK]
	section "playwright (Debian Chromium)"
	timed playwright "$@" npx playwright test --config tests/e2e/playwright.config.ts
}
browser_lane() {
	local rc=0
	section "the browser lane's own stack (network namespace $BROWSER_NETNS)"
	timed "browser stack start" in_browser_network env STACK_SITES=main bash env/stack.sh start || { echo "it did not start"; return 1; }
	playwright_specs in_browser_network || rc=1
	load_and_neighbours in_browser_network || rc=1
	in_browser_network bash env/stack.sh stop
	return $rc
}

section "start the stack"
bash env/stack.sh stop >/dev/null 2>&1 || true
trap 'bash env/stack.sh stop; browser_network_down' EXIT
if [ -n "$OWN_NETWORK" ] && browser_network_up; then
	background browser-lane with_neighbour_lock browser_lane
fi
if timed "stack start" bash env/stack.sh start; then
	# The three suites inside WordPress at the same time, as soon as the stack is up: each has its own
	# database (tables wptests_ in MariaDB, the SQLite file, tables wpms_); what they share — the
	# stack's SMTP servers and their mail, the authorization server, the cores — is guarded by the lock.
	section "phpunit: integration, sqlite and multisite at the same time (in the background)"
	php_suites_start=$(date +%s)
	background integration-lane wordpress_lane integration phpunit.integration.xml.dist
	background sqlite-lane wordpress_lane sqlite phpunit.sqlite.xml.dist database
	background multisite-lane wordpress_lane multisite phpunit.multisite.xml.dist
	[ -z "$OWN_NETWORK" ] || background oauth-mta with_suite_lock own_network node tests/oauth/oauth-mta.js
	background package with_suite_lock node tests/package/zip-install.js
	join_background stack-free "static, jest, unit and probe (ran in the background)"
	join_background integration-lane "phpunit: integration (real WordPress + MariaDB + SMTP)"
	join_background sqlite-lane "phpunit: database tests on SQLite (the SQLite integration WordPress Playground runs)"
	join_background multisite-lane "phpunit: multisite (a subdirectory network, tables wpms_)"
	printf 'the three WordPress suites together\t%s\n' "$(( $(date +%s) - php_suites_start ))" >>"$TIMES"

	if [ -n "${BACKGROUND[browser-lane]:-}" ]; then
		join_background browser-lane "the browser lane: Playwright, then load beside what needs no stack (ran in the background, own network)"
	else
		playwright_specs
		load_and_neighbours
	fi
	join_background package "package: the zip installs into a fresh WordPress (ran in the background)"
	[ -z "${BACKGROUND[oauth-mta]:-}" ] || join_background oauth-mta "OAuth stack: Postfix + Dovecot check the local authorization server's tokens (ran in the background, own network)"
else
	join_background stack-free "static, jest, unit and probe (ran in the background)"
	[ -z "${BACKGROUND[browser-lane]:-}" ] || join_background browser-lane
fi
bash env/stack.sh stop
browser_network_down
trap - EXIT

# Without a network of its own (a normal user) what needs no stack runs after it: clone anywhere's
# copies on ports of their own, without the OAuth stack (tests/clone/clone-anywhere.js), beside the rest.
if [ -z "$OWN_NETWORK" ]; then
	background clone-anywhere node tests/clone/clone-anywhere.js
	section "OAuth stack: the local authorization server's tokens (Postfix + Dovecot need root)"
	timed oauth-mta node tests/oauth/oauth-mta.js
	section "demo smoke test"
	timed demo-smoke node tests/smoke/demo-smoke.js
	join_background clone-anywhere "clone anywhere: a 0700 checkout, as a normal user (ran in the background)"
fi

section "summary"
# A suite whose runs-alone tests are not in SUITES yet (a report of their own) is counted too.
for report in "$JUNIT"/*-alone.xml; do
	[ -f "$report" ] || continue
	report=$(basename "$report" .xml)
	[[ " ${SUITES[*]} " == *" $report "* ]] || SUITES+=("$report")
done
times >"$ARTIFACTS/logs/times.txt"
printf 'total\t%s\t%s\n' "$(( $(date +%s) - T0 ))" "$(children_cpu <"$ARTIFACTS/logs/times.txt")" >>"$TIMES"
node env/summarize.js "$JUNIT" --times="$TIMES" "${SUITES[@]}"
