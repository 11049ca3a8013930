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
SUITES=(static jest phpunit integration sqlite multisite blocked-ports playwright load package oauth-mta demo-smoke clone-anywhere)
TIMES="$ARTIFACTS/suite-times.tsv" # NAME<TAB>seconds, one line per suite and step, for the summary
: >"$TIMES"
T0=$(date +%s)

section() { printf '\n\033[1m=== %s\033[0m (%ss)\n' "$1" "$(( $(date +%s) - T0 ))"; }

# timed NAME command... — runs the command and records its wall time under NAME.
timed() {
	local name=$1 start rc; shift
	start=$(date +%s)
	"$@"; rc=$?
	printf '%s\t%s\n' "$name" "$(( $(date +%s) - start ))" >>"$TIMES"
	return $rc
}

# The suites that need no stack run in the background while the stack starts; their output goes to
# artifacts/logs/NAME.log and is printed when they are joined, before the first suite on the stack.
# Not beside the stack suites: measured beside integration on the busy 2-core machine, its deadline
# tests (a 1 s DNS deadline with 0.3 s slack) missed their limits.
declare -A BACKGROUND=()
background() { # background NAME command...
	local name=$1; shift
	( timed "$name" "$@" ) >"$ARTIFACTS/logs/$name.log" 2>&1 &
	BACKGROUND[$name]=$!
}
join_background() { # join_background NAME
	wait "${BACKGROUND[$1]}"
	section "$1 (ran in the background)"
	cat "$ARTIFACTS/logs/$1.log"
}

# wordpress_suite NAME CONFIG — one PHPUnit suite inside the stack's WordPress, in the background.
wordpress_suite() {
	background "$1" php -d sendmail_path=/bin/true "$(command -v phpunit)" -c "$2" --log-junit "$JUNIT/$1.xml"
}
join_wordpress_suite() { # join_wordpress_suite NAME TITLE
	wait "${BACKGROUND[$1]}"
	section "$2"
	cat "$ARTIFACTS/logs/$1.log"
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

section "set-up"
timed set-up bash env/setup.sh all || { echo "set-up failed"; echo "0 passed, 1 failed"; exit 1; }

# The suites without a stack, one after the other in the background, while the stack starts.
stack_free_suites() {
	section "static checks (in parallel)"
	timed static static_checks
	section "jest"
	JEST_JUNIT_OUTPUT_FILE="$JUNIT/jest.xml" timed jest npx wp-scripts test-unit-js --ci --reporters=default --reporters=jest-junit
	section "phpunit: unit and probe"
	timed phpunit phpunit --log-junit "$JUNIT/phpunit.xml"
}
background stack-free stack_free_suites

section "start the stack"
bash env/stack.sh stop >/dev/null 2>&1 || true
trap 'bash env/stack.sh stop' EXIT
if timed "stack start" bash env/stack.sh start; then
	join_background stack-free

	# The three suites inside WordPress at the same time: each has its own database (tables wptests_
	# in MariaDB, the SQLite file, tables wpms_), and what they share — the stack's SMTP servers and
	# their mail, the authorization server, tight deadlines — is guarded by a lock every test holds
	# (tests/php/integration/Suite_Lock.php: the group "runs-alone" holds it exclusively).
	section "phpunit: integration, sqlite and multisite at the same time"
	php_suites_start=$(date +%s)
	wordpress_suite integration phpunit.integration.xml.dist
	wordpress_suite sqlite phpunit.sqlite.xml.dist
	wordpress_suite multisite phpunit.multisite.xml.dist
	join_wordpress_suite integration "phpunit: integration (real WordPress + MariaDB + SMTP)"
	join_wordpress_suite sqlite "phpunit: database tests on SQLite (the SQLite integration WordPress Playground runs)"
	join_wordpress_suite multisite "phpunit: multisite (a subdirectory network, tables wpms_)"
	printf 'the three WordPress suites together\t%s\n' "$(( $(date +%s) - php_suites_start ))" >>"$TIMES"

	section "phpunit: a host that blocks every SMTP port (nftables in a network namespace)"
	timed blocked-ports php -d sendmail_path=/bin/true "$(command -v phpunit)" -c phpunit.blocked-ports.xml.dist --log-junit "$JUNIT/blocked-ports.xml"

	section "playwright (Debian Chromium)"
	timed playwright npx playwright test --config tests/e2e/playwright.config.ts

	section "load and faults"
	timed load node tests/load/load-and-faults.js

	section "package: the zip installs into a fresh WordPress"
	timed package node tests/package/zip-install.js
else
	join_background stack-free
fi
bash env/stack.sh stop
trap - EXIT

# Its copies run on ports of their own, without the OAuth stack (tests/clone/clone-anywhere.js), so
# it runs in the background beside the two suites that follow; printed before the summary.
background clone-anywhere node tests/clone/clone-anywhere.js

section "OAuth stack: Postfix + Dovecot check the local authorization server's tokens"
timed oauth-mta node tests/oauth/oauth-mta.js

section "demo smoke test"
timed demo-smoke node tests/smoke/demo-smoke.js

wait "${BACKGROUND[clone-anywhere]}"
section "clone anywhere: a 0700 checkout, as root and as a normal user (ran in the background)"
cat "$ARTIFACTS/logs/clone-anywhere.log"

section "summary"
printf 'total\t%s\n' "$(( $(date +%s) - T0 ))" >>"$TIMES"
# CPU time (user + sys) of every process this command waited for: a number a busy machine inflates
# far less than wall time. The stack's servers run detached and are not in it.
# `times` runs in this shell (in $(…) it would count a subshell's children: none).
times >"$ARTIFACTS/logs/times.txt"
printf 'CPU of the test processes\t%s\n' "$(awk 'NR == 2 { for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); sum += t[1] * 60 + t[2] } printf "%.0f", sum }' "$ARTIFACTS/logs/times.txt")" >>"$TIMES"
node env/summarize.js "$JUNIT" --times="$TIMES" "${SUITES[@]}"
