#!/usr/bin/env bash
# Installs what the stack and the tests need, only what is missing. Safe to run again.
#   bash env/setup.sh [apt|wordpress|npm|build|composer|wpcli|all]   (default: all)
# Debian packages need root; without root the missing ones are listed with the command to run.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

APT_PACKAGES="php8.2-cli php8.2-mysql php8.2-xml php8.2-mbstring php8.2-curl php8.2-gd php8.2-intl
 php8.2-sqlite3 phpunit mariadb-server mariadb-client apache2 libapache2-mod-php8.2 chromium fonts-liberation
 swaks libnet-ssleay-perl libio-socket-ssl-perl libauthen-sasl-perl openssl ca-certificates curl
 gettext zip unzip postfix dovecot-core nsd nftables"
# nftables: the blocked-ports suite's firewall (a namespace that rejects every SMTP port)
# postfix and dovecot-core: the OAuth tests' private Postfix with Dovecot's oauth2 passdb
# (env/oauth/servers.sh). Their system services must never run: the other suites use ports 25/587.
# nsd: the domain check's tests run a private authoritative name server on 127.0.0.1:10053
# (tests/php/integration/Test_Name_Server.php); its system service is not used either.

# Downloads kept between runs for every checkout of this user, outside the checkout: a fresh clone
# (CI) then sets up from them instead of the network. $SPH_CACHE_DIR chooses another place; without
# a writable home (the user nobody) they stay in the checkout's .cache. Delete the folder to fetch anew.
user_cache_dir() {
	local dir=${SPH_CACHE_DIR:-}
	if [ -z "$dir" ] && [ -n "${XDG_CACHE_HOME:-}" ]; then dir="$XDG_CACHE_HOME/smtp-port-helper"; fi
	if [ -z "$dir" ] && [ -n "${HOME:-}" ] && [ "$HOME" != / ]; then dir="$HOME/.cache/smtp-port-helper"; fi
	if [ -n "$dir" ] && mkdir -p "$dir" 2>/dev/null && chmod 700 "$dir" 2>/dev/null && [ -w "$dir" ]; then
		echo "$dir"
	else
		echo "$CACHE/downloads"
	fi
}
USER_CACHE=$(user_cache_dir)
mkdir -p "$USER_CACHE"

# cache_restore NAME DEST MAX_AGE_DAYS — copies the kept NAME to DEST; false when there is none, or
# it is older than MAX_AGE_DAYS (then it is dropped and fetched again: Debian's security updates).
cache_restore() {
	local kept="$USER_CACHE/$1"
	[ -f "$kept/.complete" ] || return 1
	if [ -n "$(find "$kept/.complete" -mtime +"$3" -print)" ]; then rm -rf "$kept"; return 1; fi
	rm -rf "$2"
	cp -a "$kept" "$2" && rm -f "$2/.complete"
}
# cache_store NAME SRC — keeps a copy of SRC as NAME: written beside and renamed, so that a run
# beside this one never reads half of it; when another run stored it first, that copy stays.
cache_store() {
	local tmp
	[ -e "$USER_CACHE/$1" ] && return 0
	tmp=$(mktemp -d "$USER_CACHE/.$1.XXXXXX") || return 0
	if cp -a "$2/." "$tmp/" && chmod --reference="$2" "$tmp" && date >"$tmp/.complete"; then
		mv -T "$tmp" "$USER_CACHE/$1" 2>/dev/null || rm -rf "$tmp"
	else
		rm -rf "$tmp"
	fi
}

apt_packages() {
	local missing="" p
	for p in $APT_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing Debian packages:$missing — run (Postfix unconfigured, no service started):
  echo 'postfix postfix/main_mailer_type select No configuration' | sudo debconf-set-selections
  printf '#!/bin/sh\nexit 101\n' | sudo tee /usr/sbin/policy-rc.d >/dev/null && sudo chmod 755 /usr/sbin/policy-rc.d
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends$missing
  sudo rm /usr/sbin/policy-rc.d   # only if you created it in the line above"
	fi
	log "installing Debian packages:$missing"
	apt-get update -qq >"$RUN/logs/apt.log" 2>&1 || { tail -20 "$RUN/logs/apt.log"; return 1; }
	# Postfix without a system configuration, and no package may start its service while installing
	# (policy-rc.d answers 101 "forbidden"; an existing one, as in Docker images, is kept).
	echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
	local own_policy=""
	if [ ! -e /usr/sbin/policy-rc.d ]; then
		printf '#!/bin/sh\n# env/setup.sh: no service starts while it installs packages.\nexit 101\n' >/usr/sbin/policy-rc.d
		chmod 755 /usr/sbin/policy-rc.d
		own_policy=1
	fi
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >>"$RUN/logs/apt.log" 2>&1 \
		|| { tail -20 "$RUN/logs/apt.log"; [ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d; return 1; }
	[ -z "$own_policy" ] || rm -f /usr/sbin/policy-rc.d
	# The packages' own services are not used: the stack runs private instances on other ports.
	service apache2 stop >/dev/null 2>&1 || true
	service mariadb stop >/dev/null 2>&1 || true
	local service
	for service in postfix dovecot nsd; do
		service "$service" stop >/dev/null 2>&1 || true
		if [ -d /run/systemd/system ]; then
			systemctl disable --now "$service" >/dev/null 2>&1 || true
		else
			update-rc.d "$service" disable >/dev/null 2>&1 || true
		fi
	done
	mail_servers_stopped
}

# After installing: no system Postfix or Dovecot may listen on the mail ports the suites' SMTP servers
# use (the OAuth stack's private Postfix listens only on 127.0.0.1:10587 and 127.0.0.2:587).
mail_servers_stopped() {
	local listening
	listening=$(ss -ltnpH 2>/dev/null | grep -E '"(master|smtpd|dovecot)"' \
		| grep -E '(0\.0\.0\.0|\[::\]|\*|127\.0\.0\.1|\[::1\]):(25|465|587|2525|110|143|993|995) ' || true)
	[ -z "$listening" ] || die "a system mail server is listening after the install — stop it: $listening"
}

# WordPress 6.8 from Debian trixie (bookworm only has 6.1), unpacked into $CACHE/wordpress without
# touching the system's apt configuration: a private sources list, lists and download folder.
fetch_wordpress() {
	local dest="$CACHE/wordpress"
	[ -f "$dest/wp-includes/version.php" ] && return 0
	cache_restore wordpress-6.8 "$dest" 7 && return 0
	log "fetching WordPress 6.8 (Debian trixie packages)"
	local apt_dir="$CACHE/apt-trixie" mirror
	mirror=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=$(awk '/^deb /{print $2; exit}' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || die "no Debian mirror configured in /etc/apt"
	mkdir -p "$apt_dir/lists/partial" "$apt_dir/debs"
	{
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main"
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${mirror%/debian}/debian-security trixie-security main"
	} >"$apt_dir/sources.list"
	local opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o Dir::Etc::sourceparts=/dev/null
		-o "Dir::State::Lists=$apt_dir/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=
		-o "Debug::NoLocking=1")
	apt-get "${opts[@]}" -qq update >"$RUN/logs/apt-trixie.log" 2>&1 || { tail "$RUN/logs/apt-trixie.log"; return 1; }
	rm -f "$apt_dir"/debs/*.deb
	(cd "$apt_dir/debs" && apt-get "${opts[@]}" -qq download wordpress wordpress-theme-twentytwentyfive \
		php-getid3 libjs-lodash libjs-underscore libjs-cropper >>"$RUN/logs/apt-trixie.log" 2>&1) \
		|| { tail "$RUN/logs/apt-trixie.log"; return 1; }
	local unpack="$CACHE/wordpress-unpack" deb
	rm -rf "$unpack" "$dest"; mkdir -p "$unpack"
	for deb in "$apt_dir"/debs/*.deb; do dpkg-deb -x "$deb" "$unpack"; done
	# Debian's wp-config.php reads /etc/wordpress and its .htaccess links there: neither is wanted.
	rm -f "$unpack/usr/share/wordpress/wp-config.php" "$unpack/usr/share/wordpress/.htaccess"
	cp -rL "$unpack/usr/share/wordpress" "$dest"
	rm -rf "$unpack"
	grep -q "wp_version = '6.8" "$dest/wp-includes/version.php" || die "unexpected WordPress version in $dest"
	cache_store wordpress-6.8 "$dest"
}

npm_deps() {
	cd "$ROOT"
	# Reinstall when package-lock.json changed since the last install.
	if [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
		return 0
	fi
	# A fresh clone unpacks the node_modules a run before installed from the same lock file, instead
	# of npm ci writing its ~106,000 files one package at a time and running the install scripts again.
	local archive
	archive="$USER_CACHE/node_modules-$(npm_archive_key).$(archive_extension)"
	if [ -f "$archive" ] && [ -z "$(find "$archive" -mtime +30 -print)" ]; then
		log "unpacking npm packages from $archive"
		rm -rf node_modules
		if tar --no-same-owner -I "$(archive_compressor) -d" -xf "$archive" && [ -f node_modules/.package-lock.json ]; then
			touch node_modules/.package-lock.json "$archive"
			return 0
		fi
		log "the archive could not be unpacked: npm ci instead"
		rm -rf node_modules "$archive"
	fi
	# --prefer-offline: packages already in npm's own cache (~/.npm) are not checked with the registry again.
	log "installing npm packages"
	npm ci --prefer-offline --no-audit --no-fund --loglevel=error >"$RUN/logs/npm-ci.log" 2>&1 || { tail -30 "$RUN/logs/npm-ci.log"; return 1; }
	npm_archive_store "$archive"
}

# The archive's name: the lock file, Node's version and the machine (packages with native parts).
npm_archive_key() {
	{ sha256sum package-lock.json; node --version; uname -m; } | sha256sum | cut -c1-16
}
# zstd when installed (fast, on every core), else gzip at its fastest level.
archive_compressor() {
	if command -v zstd >/dev/null 2>&1; then echo "zstd -T0 -q"; else echo "gzip -1"; fi
}
archive_extension() {
	if command -v zstd >/dev/null 2>&1; then echo tar.zst; else echo tar.gz; fi
}
# npm_archive_store FILE — packs node_modules beside FILE and renames it: a run beside this one
# never reads half an archive. Archives of other lock files are dropped after 7 days unused
# (a restore touches its archive).
npm_archive_store() {
	local tmp
	[ -e "$1" ] && return 0
	tmp=$(mktemp "$USER_CACHE/.node_modules.XXXXXX") || return 0
	if tar -I "$(archive_compressor)" -cf "$tmp" node_modules 2>"$RUN/logs/npm-archive.log"; then
		mv -f "$tmp" "$1"
	else
		rm -f "$tmp"
		log "node_modules could not be kept in $USER_CACHE (see $RUN/logs/npm-archive.log)"
	fi
	find "$USER_CACHE" -mindepth 1 -maxdepth 1 -name 'node_modules-*' ! -path "$1" -mtime +7 -exec rm -f {} + 2>/dev/null || true
}

build() {
	cd "$ROOT"
	if [ -f build/index.asset.php ] && [ -z "$(find src package-lock.json -newer build/index.asset.php -print -quit)" ]; then
		return 0
	fi
	# Kept per content of everything the build reads (the same inputs give the same files).
	local key
	key="build-$(build_inputs_hash)"
	if cache_restore "$key" build 30; then
		find build -exec touch {} +
		return 0
	fi
	log "building the settings page"
	npx wp-scripts build >"$RUN/logs/build.log" 2>&1 || { cat "$RUN/logs/build.log"; return 1; }
	cache_store "$key" build
	find "$USER_CACHE" -mindepth 1 -maxdepth 1 -name 'build-*' -mtime +7 -exec rm -rf {} + 2>/dev/null || true
}

# The build's inputs: the sources, the npm packages and the build's configuration files, by content.
build_inputs_hash() {
	{
		find src -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
		sha256sum package.json package-lock.json
		find . -maxdepth 1 -type f \( -name 'webpack.config.*' -o -name 'babel.config.*' -o -name '.babelrc*' \
			-o -name 'postcss.config.*' -o -name '.browserslistrc' -o -name 'tsconfig.json' \) -print0 \
			| LC_ALL=C sort -z | xargs -0 -r sha256sum
		node --version
	} | sha256sum | cut -c1-16
}

# WP-CLI for the integration test of `wp smtp-port-helper` (tests/php/integration/Cli_Command_Test.php),
# in $CACHE/wp-cli: gitignored, never committed or shipped. Only the framework, wp-cli/wp-cli: the
# Packagist copy here does not serve wp-cli/wp-cli-bundle. It serves mustache/mustache 2.13.0 only,
# while wp-cli 2.11 asks for ^2.14.1, hence the inline alias (2.13.0 works; it only emits PHP 8
# deprecation notices). Without composer or on failure the test is skipped, never the whole setup.
wpcli() {
	local dir="$CACHE/wp-cli"
	[ -f "$dir/vendor/wp-cli/wp-cli/php/boot-fs.php" ] && return 0
	cache_restore wp-cli "$dir" 30 && return 0
	command -v composer >/dev/null 2>&1 || { log "composer not found: the WP-CLI test will be skipped"; return 0; }
	log "installing WP-CLI (wp-cli/wp-cli) into $dir"
	mkdir -p "$dir"
	(cd "$dir" && composer require --no-interaction --no-progress \
		"mustache/mustache:2.13.0 as 2.14.1" "wp-cli/wp-cli:^2.11") >"$RUN/logs/wp-cli-install.log" 2>&1 \
		|| { tail -20 "$RUN/logs/wp-cli-install.log"; log "WP-CLI could not be installed: its test will be skipped"; return 0; }
	cache_store wp-cli "$dir"
}

# PHP development tools from composer.json (PHPCS + WPCS + PHPCompatibilityWP, PHPStan + WordPress
# stubs) into vendor/: gitignored, never shipped. Composer here writes no lock file, so the versions
# are those composer.json allows that the Packagist copy serves.
composer_deps() {
	cd "$ROOT"
	[ -x vendor/bin/phpcs ] && [ -x vendor/bin/phpstan ] && [ vendor/autoload.php -nt composer.json ] && return 0
	# Kept per composer.json and PHP version (composer resolves again when either changes).
	local key
	key="php-tools-$(cat composer.json <(php -r 'echo PHP_VERSION;') | sha256sum | cut -c1-16)"
	if cache_restore "$key" vendor 30; then
		touch vendor/autoload.php
		return 0
	fi
	command -v composer >/dev/null 2>&1 || die "composer is needed for PHPCS and PHPStan"
	log "installing PHP development tools (composer)"
	composer update --no-interaction --no-progress >"$RUN/logs/composer.log" 2>&1 || { tail -30 "$RUN/logs/composer.log"; return 1; }
	touch vendor/autoload.php
	cache_store "$key" vendor
}

case "${1:-all}" in
	apt) apt_packages ;;
	composer) composer_deps ;;
	wordpress) fetch_wordpress ;;
	npm) npm_deps ;;
	build) build ;;
	wpcli) wpcli ;;
	all) apt_packages; fetch_wordpress; npm_deps; build; composer_deps; wpcli ;;
	*) die "usage: $0 [apt|wordpress|npm|build|composer|wpcli|all]" ;;
esac
