#!/usr/bin/env bash
# The test command (npm test): sets up what is missing, then runs every suite and ends with one
# line `N passed, N failed` summing them all. Each suite writes a JUnit report to artifacts/junit/.
#   static   php -l, PHPCS (WPCS), PHPStan level 8, tsc --noEmit (strict), ESLint and Stylelint
#   jest     components and the API module (wp-scripts test-unit-js)
#   phpunit  unit + probe (no WordPress; the probe suite talks to real servers on loopback)
#   integration  PHPUnit inside the real WordPress + MariaDB, mail to the real SMTP servers
#   sqlite       the database tests (limits, outbox, locks) again on Playground's SQLite integration
#   multisite    PHPUnit inside a multisite network of the same stack (network defaults, per-site override)
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
rm -rf "$JUNIT" "$ARTIFACTS/screenshots" "$ARTIFACTS/test-results"
mkdir -p "$JUNIT"
SUITES=(static jest phpunit integration sqlite multisite playwright load package oauth-mta demo-smoke clone-anywhere)
T0=$(date +%s)

section() { printf '\n\033[1m=== %s\033[0m (%ss)\n' "$1" "$(( $(date +%s) - T0 ))"; }

# Static checks are single test cases in one JUnit report.
STATIC_CASES=""
static_case() { # static_case NAME command...
	local name=$1 out; shift
	if out=$("$@" 2>&1); then
		echo "  ✓ $name"
		STATIC_CASES+="<testcase classname=\"static\" name=\"$name\"/>"
	else
		echo "  ✘ $name"; echo "$out" | tail -40
		out=$(echo "$out" | tail -40 | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g')
		STATIC_CASES+="<testcase classname=\"static\" name=\"$name\"><failure message=\"failed\">$out</failure></testcase>"
	fi
}
php_lint() {
	local file failed=0
	while IFS= read -r file; do
		php -l "$file" >/dev/null 2>&1 || { php -l "$file"; failed=1; }
	done < <(git ls-files --cached --others --exclude-standard -- '*.php')
	return $failed
}

section "set-up"
bash env/setup.sh all || { echo "set-up failed"; echo "0 passed, 1 failed"; exit 1; }

section "static checks"
static_case "php -l on every PHP file" php_lint
static_case "PHPCS (WordPress-Extra, WordPress-Docs, PHPCompatibilityWP 7.4+)" vendor/bin/phpcs -q --report=full
static_case "PHPStan level 8 with WordPress stubs" vendor/bin/phpstan analyse --memory-limit=1G --no-progress
static_case "tsc --noEmit (strict)" npx tsc --noEmit
static_case "ESLint (wp-scripts lint-js)" npx wp-scripts lint-js src tests/js tests/e2e tests/smoke tests/load tests/package tests/clone tests/support tests/bench tests/php/servers tests/oauth env
static_case "Stylelint (wp-scripts lint-style)" npx wp-scripts lint-style "src/**/*.scss"
echo "<?xml version=\"1.0\"?><testsuite name=\"static\">$STATIC_CASES</testsuite>" >"$JUNIT/static.xml"

section "jest"
JEST_JUNIT_OUTPUT_FILE="$JUNIT/jest.xml" npx wp-scripts test-unit-js --ci --reporters=default --reporters=jest-junit

section "phpunit: unit and probe"
phpunit --log-junit "$JUNIT/phpunit.xml"

section "start the stack"
bash env/stack.sh stop >/dev/null 2>&1 || true
trap 'bash env/stack.sh stop' EXIT
if bash env/stack.sh start; then
	section "phpunit: integration (real WordPress + MariaDB + SMTP)"
	php -d sendmail_path=/bin/true "$(command -v phpunit)" -c phpunit.integration.xml.dist --log-junit "$JUNIT/integration.xml"

	section "phpunit: database tests on SQLite (the SQLite integration WordPress Playground runs)"
	php -d sendmail_path=/bin/true "$(command -v phpunit)" -c phpunit.sqlite.xml.dist --log-junit "$JUNIT/sqlite.xml"

	section "phpunit: multisite (a subdirectory network, tables wpms_)"
	php -d sendmail_path=/bin/true "$(command -v phpunit)" -c phpunit.multisite.xml.dist --log-junit "$JUNIT/multisite.xml"

	section "playwright (Debian Chromium)"
	npx playwright test --config tests/e2e/playwright.config.ts

	section "load and faults"
	node tests/load/load-and-faults.js

	section "package: the zip installs into a fresh WordPress"
	node tests/package/zip-install.js
fi
bash env/stack.sh stop
trap - EXIT

section "OAuth stack: Postfix + Dovecot check the local authorization server's tokens"
node tests/oauth/oauth-mta.js

section "demo smoke test"
node tests/smoke/demo-smoke.js

section "clone anywhere: a 0700 checkout, as root and as a normal user"
node tests/clone/clone-anywhere.js

section "summary"
node env/summarize.js "$JUNIT" "${SUITES[@]}"
