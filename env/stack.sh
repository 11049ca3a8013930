#!/usr/bin/env bash
# The real local stack: MariaDB (private datadir), WordPress 6.8, Apache with mod_php (private
# config), SMTP test servers. Nothing under /etc is changed; every process has a pid file in $RUN/pids.
#   bash env/stack.sh start|stop|status|restart|smtp-restart
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DB_SOCKET="$RUN/mysql/mysqld.sock"
# all: also the multisite network and the SQLite WordPress the PHP suites use; main: the site and its
# test tables only (the browser lane's stack in env/test-all.sh).
STACK_SITES=${STACK_SITES:-all}
WP_DIR="$RUN/wp"

# The web server runs PHP as a user who can read the checkout. Apache with mod_php as the invoking
# user for a normal user; as root, Apache's workers must be www-data, who cannot enter a checkout in
# a private (0700) directory such as root's home — then PHP's built-in server runs as root instead.
# WEB_SERVER=apache|php chooses by hand.
web_server_choice() {
	if [ -n "${WEB_SERVER:-}" ]; then echo "$WEB_SERVER"; return; fi
	command -v apache2 >/dev/null 2>&1 || { echo php; return; }
	if [ "$(id -u)" != 0 ] || runuser -u www-data -- test -r "$ROOT/smtp-port-helper.php" -a -x "$RUN" 2>/dev/null; then
		echo apache
	else
		echo php
	fi
}
WEB_SERVER=$(web_server_choice)
WEB_USER=$([ "$(id -u)" = 0 ] && [ "$WEB_SERVER" = apache ] && echo www-data || id -un)

mariadb_start() {
	local data="$RUN/mysql/data"
	if [ ! -d "$data/mysql" ]; then
		mkdir -p "$RUN/mysql"
		mariadb-install-db --no-defaults --user="$(id -un)" --datadir="$data" \
			--auth-root-authentication-method=normal --skip-test-db >"$RUN/logs/mariadb-install.log" 2>&1 \
			|| { tail "$RUN/logs/mariadb-install.log"; return 1; }
	fi
	mariadbd --no-defaults --user="$(id -un)" --datadir="$data" --socket="$DB_SOCKET" \
		--port="$DB_PORT" --bind-address=127.0.0.1 --pid-file="$RUN/pids/mariadb.pid" \
		--log-error="$RUN/logs/mariadb.err" --skip-name-resolve --skip-log-bin \
		--innodb-buffer-pool-size=64M --innodb-flush-log-at-trx-commit=2 >/dev/null 2>&1 &
	wait_for 30 mariadb-admin --no-defaults -uroot --socket="$DB_SOCKET" ping \
		|| { tail "$RUN/logs/mariadb.err"; return 1; }
	mariadb --no-defaults -uroot --socket="$DB_SOCKET" <<'SQL'
CREATE DATABASE IF NOT EXISTS wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'wp'@'127.0.0.1' IDENTIFIED BY 'wp';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wp'@'127.0.0.1';
SQL
}

# host:port of WP_URL, the network's domain.
WP_HOST=${WP_URL#*://}
WP_HOST=${WP_HOST%%/*}

wordpress_files() {
	[ -f "$CACHE/wordpress/wp-includes/version.php" ] || bash "$ROOT/env/setup.sh" wordpress
	if [ ! -f "$WP_DIR/wp-includes/version.php" ]; then
		cp -r "$CACHE/wordpress" "$WP_DIR"
	fi
	ln -sfn "$ROOT" "$WP_DIR/wp-content/plugins/smtp-port-helper"
	mkdir -p "$WP_DIR/wp-content/mu-plugins"
	cp "$ROOT/env/mu-plugins/local-stack-offline.php" "$ROOT/env/mu-plugins/bench-request-cost.php" "$WP_DIR/wp-content/mu-plugins/"
	mkdir -p "$WP_DIR/wp-content/uploads"
	touch "$RUN/logs/wp-debug.log"
	if [ "$WEB_USER" = www-data ]; then chown -R "$WEB_USER" "$WP_DIR/wp-content/uploads" "$RUN/logs/wp-debug.log"; fi
	wordpress_config "$WP_DIR" "$(cat <<PHP
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', '127.0.0.1:$DB_PORT' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
PHP
)"
}

# wordpress_config DIR DATABASE_LINES — the stack's wp-config.php, with the lines that choose the database.
wordpress_config() {
	cat >"$1/wp-config.php" <<PHP
<?php
// Written by env/stack.sh for the local stack. The PHPUnit integration suite uses its own table
// prefix (SMTP_PORT_HELPER_TABLE_PREFIX) in the same database. SMTP_PORT_HELPER_MULTISITE=1 in the
// environment loads a second install in the same database and files instead: a subdirectory
// multisite network with table prefix wpms_ (env/install-multisite.php, the multisite suite).
$2
foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as \$name ) {
	define( \$name, 'local-stack-only-' . \$name );
}
\$table_prefix = getenv( 'SMTP_PORT_HELPER_TABLE_PREFIX' ) ?: 'wp_';
if ( '1' === getenv( 'SMTP_PORT_HELPER_MULTISITE' ) ) {
	\$table_prefix = 'wpms_';
	define( 'WP_ALLOW_MULTISITE', true );
	define( 'MULTISITE', true );
	define( 'SUBDOMAIN_INSTALL', false );
	define( 'DOMAIN_CURRENT_SITE', '$WP_HOST' );
	define( 'PATH_CURRENT_SITE', '/' );
	define( 'SITE_ID_CURRENT_SITE', 1 );
	define( 'BLOG_ID_CURRENT_SITE', 1 );
} else {
	// Not on the network: these would give every site of it the main site's URL.
	define( 'WP_HOME', '$WP_URL' );
	define( 'WP_SITEURL', '$WP_URL' );
}
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '$RUN/logs/wp-debug.log' );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'FS_METHOD', 'direct' );
// The SMTP test servers' certificate, generated for this run, trusted through configuration.
// Credentials are settings (saved encrypted), not constants: the tests save them like a user would.
define( 'SMTP_PORT_HELPER_CA_FILE', '$SMTP_CA' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
PHP
}

wordpress_install() {
	local prefix
	for prefix in wp_ wptests_; do
		SMTP_PORT_HELPER_TABLE_PREFIX=$prefix php -d sendmail_path=/bin/true "$ROOT/env/install-wp.php" "$WP_DIR" \
			>>"$RUN/logs/wp-install.log" 2>&1 || { tail "$RUN/logs/wp-install.log"; return 1; }
	done
	# The multisite network (tables wpms_*) for the multisite suite.
	[ "$STACK_SITES" = all ] || return 0
	php -d sendmail_path=/bin/true "$ROOT/env/install-multisite.php" "$WP_DIR" \
		>>"$RUN/logs/wp-install.log" 2>&1 || { tail "$RUN/logs/wp-install.log"; return 1; }
}

# A third WordPress in the same files' layout, on SQLite through the SQLite integration that
# WordPress Playground runs (the copy @wp-playground/cli bundles, so the demo's driver is the one
# tested): the database suite (phpunit.sqlite.xml.dist) runs the plugin's statements on it.
SQLITE_WP_DIR="$RUN/wp-sqlite"
wordpress_sqlite() {
	local zip="$ROOT/node_modules/@wp-playground/cli/sqlite-database-integration.zip"
	local plugins="$SQLITE_WP_DIR/wp-content/plugins"
	[ -f "$zip" ] || bash "$ROOT/env/setup.sh" npm
	rm -rf "$SQLITE_WP_DIR" "$RUN/sqlite"
	cp -r "$CACHE/wordpress" "$SQLITE_WP_DIR"
	mkdir -p "$RUN/sqlite" "$SQLITE_WP_DIR/wp-content/mu-plugins"
	unzip -q "$zip" -d "$plugins"
	mv "$plugins/plugin-sqlite-database-integration" "$plugins/sqlite-database-integration"
	sed -e "s#{SQLITE_IMPLEMENTATION_FOLDER_PATH}#$plugins/sqlite-database-integration#" \
		-e 's#{SQLITE_PLUGIN}#sqlite-database-integration/load.php#' \
		"$plugins/sqlite-database-integration/db.copy" >"$SQLITE_WP_DIR/wp-content/db.php"
	ln -sfn "$ROOT" "$plugins/smtp-port-helper"
	cp "$ROOT/env/mu-plugins/local-stack-offline.php" "$SQLITE_WP_DIR/wp-content/mu-plugins/"
	wordpress_config "$SQLITE_WP_DIR" "$(cat <<PHP
define( 'DB_ENGINE', 'sqlite' );
define( 'WP_SQLITE_AST_DRIVER', true );
define( 'DB_DIR', '$RUN/sqlite/' );
define( 'DB_FILE', 'wordpress.sqlite' );
define( 'DB_NAME', 'wordpress' );
PHP
)"
	SMTP_PORT_HELPER_TABLE_PREFIX=wptests_ php -d sendmail_path=/bin/true "$ROOT/env/install-wp.php" "$SQLITE_WP_DIR" \
		>>"$RUN/logs/wp-install.log" 2>&1 || { tail "$RUN/logs/wp-install.log"; return 1; }
}

apache_start() {
	local conf="$RUN/apache"
	mkdir -p "$conf/run"
	[ "$WEB_USER" = www-data ] && chown "$WEB_USER" "$conf/run"
	cat >"$conf/httpd.conf" <<CONF
ServerRoot $conf
PidFile $RUN/pids/apache.pid
DefaultRuntimeDir $conf/run
Mutex file:$conf/run default
ServerName 127.0.0.1
Listen 127.0.0.1:$WP_PORT
User $WEB_USER
Group $([ "$WEB_USER" = www-data ] && echo www-data || id -gn)
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
LoadModule php_module /usr/lib/apache2/modules/libphp8.2.so
StartServers 4
MinSpareServers 2
MaxSpareServers 8
MaxRequestWorkers 24
TypesConfig /etc/mime.types
ErrorLog $RUN/logs/web-error.log
LogFormat "%h \"%r\" %>s %b %D" short
CustomLog $RUN/logs/web-access.log short
DocumentRoot $WP_DIR
DirectoryIndex index.php index.html
<FilesMatch "\.php$">
	SetHandler application/x-httpd-php
</FilesMatch>
<Directory />
	Options FollowSymLinks
	AllowOverride None
	Require all granted
</Directory>
<Directory $WP_DIR>
	RewriteEngine On
	RewriteBase /
	RewriteRule ^index\.php$ - [L]
	RewriteCond %{REQUEST_FILENAME} !-f
	RewriteCond %{REQUEST_FILENAME} !-d
	RewriteRule . /index.php [L]
</Directory>
CONF
	apache2 -f "$conf/httpd.conf" -k start
	web_ready
}

# PHP's built-in server with worker processes (about Apache's throughput on 2 cores), as the invoking
# user; env/php-router.php applies the rewrite rules the Apache configuration above has.
php_server_start() {
	PHP_CLI_SERVER_WORKERS=${PHP_SERVER_WORKERS:-8} start_detached web "$RUN/logs/web-error.log" \
		php -d sendmail_path=/bin/true -S "127.0.0.1:$WP_PORT" -t "$WP_DIR" "$ROOT/env/php-router.php"
	web_ready
}

web_ready() {
	wait_for 20 curl -fsS -o /dev/null "$WP_URL/wp-login.php" || { tail "$RUN/logs/web-error.log"; return 1; }
}

start() {
	status_quiet && die "the stack is already running (bash env/stack.sh stop)"
	for port in "$WP_PORT" "$DB_PORT" ${SMTP_PORTS//,/ }; do
		port_free "$port" || die "port $port is in use; set WP_PORT, DB_PORT or SMTP_PORTS"
	done
	local sqlite_pid='' oauth_pid=''
	log "SMTP test servers on 127.0.0.1:$SMTP_PORTS"; smtp_start
	# What does not need MariaDB starts beside it and the WordPress installs, which wait for each other.
	if [ "$STACK_SITES" = all ]; then
		log "WordPress on SQLite in $SQLITE_WP_DIR (beside what follows)"
		wordpress_sqlite &
		sqlite_pid=$!
	fi
	# The OAuth test stack (authorization server, Postfix + Dovecot as root): env/oauth/README.md.
	# Not needed by the other suites, so a failure is reported, not fatal.
	if [ "${OAUTH_STACK:-1}" = 1 ]; then
		{ bash "$ROOT/env/oauth/servers.sh" start || log "the OAuth test servers did not start: the OAuth tests will fail"; } &
		oauth_pid=$!
	fi
	log "starting MariaDB on 127.0.0.1:$DB_PORT"; mariadb_start
	log "WordPress in $WP_DIR"; wordpress_files; wordpress_install
	if [ "$WEB_SERVER" = apache ]; then
		log "Apache on $WP_URL (PHP runs as $WEB_USER)"; apache_start
	else
		log "PHP's built-in server on $WP_URL (PHP runs as $WEB_USER)"; php_server_start
	fi
	[ -z "$sqlite_pid" ] || wait "$sqlite_pid" || die "WordPress on SQLite was not installed (above)"
	[ -z "$oauth_pid" ] || wait "$oauth_pid"
}

stop() {
	bash "$ROOT/env/oauth/servers.sh" stop || true
	if [ -f "$RUN/pids/apache.pid" ]; then
		apache2 -f "$RUN/apache/httpd.conf" -k stop 2>/dev/null || true
		for _ in $(seq 1 50); do [ -f "$RUN/pids/apache.pid" ] || break; sleep 0.1; done
		kill_pidfile apache
	fi
	kill_pidfile web
	kill_pidfile smtp
	if [ -S "$DB_SOCKET" ]; then
		mariadb-admin --no-defaults -uroot --socket="$DB_SOCKET" shutdown 2>/dev/null || true
		for _ in $(seq 1 100); do [ -f "$RUN/pids/mariadb.pid" ] || break; sleep 0.1; done
	fi
	kill_pidfile mariadb
}

status_quiet() {
	local f
	for f in "$RUN"/pids/*.pid; do [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && return 0; done
	return 1
}

status() {
	local f
	for f in "$RUN"/pids/*.pid; do
		[ -f "$f" ] || continue
		printf '%-12s %-8s %s\n' "$(basename "$f" .pid)" "$(cat "$f")" "$(kill -0 "$(cat "$f")" 2>/dev/null && echo up || echo dead)"
	done
}

# Restarts only the SMTP servers, e.g. with another SMTP_PORTS for a test that needs a port closed.
smtp_restart() {
	kill_pidfile smtp
	smtp_start
}

case "${1:-}" in
	start) start ;;
	smtp-restart) smtp_restart ;;
	stop) stop ;;
	restart) stop; start ;;
	status) status ;;
	*) die "usage: $0 start|stop|restart|status|smtp-restart" ;;
esac
