#!/usr/bin/env bash
# The providers' HTTPS API test servers (issue #21, env/providers/api-servers.js): SendGrid, Postmark,
# Mailgun, Resend, Brevo, Microsoft Graph and the Gmail API (tokens of the OAuth stack's authorization server) and Amazon SES (aws-ses-v2-local behind a SigV4-checking proxy) on loopback with the stack's certificate (.run/smtp/cert.pem, which WordPress trusts
# through SMTP_PORT_HELPER_CA_FILE). Received messages: $PROVIDER_API_MAIL_DIR/<provider>/*.json.
#   bash env/providers/servers.sh start|stop|status|restart
# The PHP integration tests start their own copy on free ports (tests/php/integration/Provider_Api_Servers.php);
# this one is for the demo and for trying the plugin by hand.
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

export PROVIDER_API_PORTS=${PROVIDER_API_PORTS:-sendgrid=10461,postmark=10462,mailgun=10463,resend=10464,brevo=10465,ses=10466,graph=10467,gmail=10468}
export PROVIDER_API_MAIL_DIR=${PROVIDER_API_MAIL_DIR:-$RUN/providers/mails}

ready() { [ "$(grep -c '"listening"' "$RUN/logs/provider-apis.log")" -ge "$(echo "$PROVIDER_API_PORTS" | tr , '\n' | wc -l)" ]; }

start() {
	local pair
	for pair in ${PROVIDER_API_PORTS//,/ }; do
		port_free "${pair#*=}" || die "port ${pair#*=} is taken (PROVIDER_API_PORTS)"
	done
	smtp_certificate
	mkdir -p "$PROVIDER_API_MAIL_DIR"
	PROVIDER_API_CERT_DIR="$SMTP_DIR" start_detached provider-apis "$RUN/logs/provider-apis.log" \
		node "$ROOT/env/providers/api-servers.js" "$PROVIDER_API_MAIL_DIR"
	wait_for 15 ready || { cat "$RUN/logs/provider-apis.log"; stop; return 1; }
	log "provider API test servers on 127.0.0.1: $PROVIDER_API_PORTS → $PROVIDER_API_MAIL_DIR"
}

stop() { kill_pidfile provider-apis; }

status() {
	[ -f "$RUN/pids/provider-apis.pid" ] && kill -0 "$(cat "$RUN/pids/provider-apis.pid")" 2>/dev/null \
		&& echo "provider APIs: $PROVIDER_API_PORTS" || echo "provider APIs: down"
}

case "${1:-}" in
	start) stop; start ;;
	stop) stop ;;
	restart) stop; start ;;
	status) status ;;
	*) die "usage: $0 start|stop|status|restart" ;;
esac
