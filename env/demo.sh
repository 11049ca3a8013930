#!/usr/bin/env bash
# The demo: WordPress with the plugin active and local SMTP test servers, until Ctrl-C.
#   bash env/demo.sh            WordPress Playground (PHP-wasm + SQLite): no database server, no root
#   bash env/demo.sh --native   MariaDB + Apache (needs the Debian packages; installs them as root)
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MODE=playground
[ "${1:-}" = "--native" ] && MODE=native

cleanup() {
	trap - EXIT INT TERM
	log "stopping"
	if [ "$MODE" = native ]; then
		bash "$ROOT/env/stack.sh" stop
	else
		kill_pidfile playground
		kill_pidfile smtp
	fi
	log "stopped"
}

announce() {
	cat <<EOF

  SMTP Port Helper demo is running ($MODE).

  Settings page:  $1/wp-admin/options-general.php?page=smtp-port-helper
  Log in as:      $WP_ADMIN_USER / $WP_ADMIN_PASSWORD
  SMTP servers:   127.0.0.1 ports $SMTP_PORTS (implicit TLS on $SMTP_TLS_PORTS, STARTTLS elsewhere;
                  AUTH $SMTP_USER / $SMTP_PASS after TLS); received mail in $SMTP_MAIL_DIR

  Try it: the host and the test login of these servers are already filled in. Click "Test ports",
  then the recommended "Use port …" button, "Save settings", and "Send test email".

  Press Ctrl-C to stop.
EOF
	echo "demo ready: $1" >&2
}

playground() {
	bash "$ROOT/env/setup.sh" wordpress
	bash "$ROOT/env/setup.sh" npm
	bash "$ROOT/env/setup.sh" build
	for port in "$PLAYGROUND_PORT" ${SMTP_PORTS//,/ }; do
		port_free "$port" || die "port $port is in use (is the stack running? bash env/stack.sh stop)"
	done
	smtp_start

	# Playground writes its SQLite database and wp-config.php into the WordPress it boots: give it a copy.
	local wp="$RUN/playground-wp" url="http://127.0.0.1:$PLAYGROUND_PORT"
	rm -rf "$wp"; cp -r "$CACHE/wordpress" "$wp"
	mkdir -p "$wp/wp-content/mu-plugins"
	cp "$ROOT/env/mu-plugins/local-stack-offline.php" "$wp/wp-content/mu-plugins/"
	# Playground copies wp-config-sample.php, whose salts are the public placeholder: the plugin never
	# seals the SMTP password with those, so the demo gets a key of its own, new on every start.
	local key; key=$(od -An -tx1 -N32 /dev/urandom | tr -d ' \n')
	cat >"$RUN/playground-blueprint.json" <<JSON
{
	"\$schema": "https://playground.wordpress.net/blueprint-schema.json",
	"landingPage": "/wp-admin/options-general.php?page=smtp-port-helper",
	"steps": [
		{ "step": "defineWpConfigConsts", "consts": {
			"SMTP_PORT_HELPER_CA_FILE": "/smtp/cert.pem",
			"SMTP_PORT_HELPER_KEY": "$key",
			"WP_HTTP_BLOCK_EXTERNAL": true
		} },
		{ "step": "setSiteOptions", "options": { "blogname": "SMTP Port Helper demo", "show_avatars": 0 } },
		{ "step": "activatePlugin", "pluginPath": "smtp-port-helper/smtp-port-helper.php" },
		{ "step": "runPHP", "code": "<?php \$argv = array( 'demo-preset.php', '/wordpress', '127.0.0.1', '$SMTP_USER', '$SMTP_PASS' ); require '/wordpress/wp-content/plugins/smtp-port-helper/env/demo-preset.php';" }
	]
}
JSON
	log "starting WordPress Playground on $url"
	(cd "$ROOT" && start_detached playground "$RUN/logs/playground.log" npx wp-playground-cli server --php=8.2 \
		--port="$PLAYGROUND_PORT" --mount-before-install="$wp:/wordpress" \
		--wordpress-install-mode=install-from-existing-files \
		--mount="$ROOT:/wordpress/wp-content/plugins/smtp-port-helper" --mount="$SMTP_DIR:/smtp" \
		--blueprint="$RUN/playground-blueprint.json" --login --verbosity=quiet)
	wait_for 120 curl -fsS -o /dev/null "$url/wp-login.php" || { tail -30 "$RUN/logs/playground.log"; return 1; }
	announce "$url"
}

native() {
	bash "$ROOT/env/setup.sh" all
	bash "$ROOT/env/stack.sh" start
	php -d sendmail_path=/bin/true "$ROOT/env/demo-preset.php" "$RUN/wp" 127.0.0.1 "$SMTP_USER" "$SMTP_PASS" >&2
	announce "$WP_URL"
}

trap cleanup EXIT
trap 'exit 130' INT TERM
"$MODE"
# Stay up until Ctrl-C (or SIGTERM); the EXIT trap cleans up. A dead server ends the demo too.
while kill -0 "$(cat "$RUN/pids/smtp.pid")" 2>/dev/null; do
	if [ "$MODE" = playground ] && ! kill -0 "$(cat "$RUN/pids/playground.pid")" 2>/dev/null; then
		tail -20 "$RUN/logs/playground.log"; die "Playground stopped"
	fi
	sleep 1
done
die "the SMTP servers stopped"
