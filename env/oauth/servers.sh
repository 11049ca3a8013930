#!/usr/bin/env bash
# The local OAuth test stack (issue #13), all on loopback:
#   - the authorization server (env/oauth/authorization-server.js, oidc-provider)  127.0.0.1:$OAUTH_PORT
#   - the mail capture Postfix relays to (env/oauth/capture.js)                    127.0.0.1:$OAUTH_CAPTURE_PORT
#   - a private Postfix submission service (STARTTLS, AUTH only after TLS) whose SASL is a private
#     Dovecot with the oauth2 passdb, introspecting each token at the authorization server:
#     $OAUTH_MTA_LISTEN (default 127.0.0.1:10587 and 127.0.0.2:587, see env/oauth/README.md)
# Postfix and Dovecot run as private instances (postfix -c, dovecot -c) with their configuration,
# queue and state under $OAUTH_MTA_DIR (.cache/oauth-mta, or /run/… for a private checkout);
# nothing under /etc is changed. They need root (Postfix's
# master must start as root); without root only the authorization server and the capture start.
#   bash env/oauth/servers.sh start|stop|status|restart
set -Eeuo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

export OAUTH_PORT=${OAUTH_PORT:-9411}
export OAUTH_CAPTURE_PORT=${OAUTH_CAPTURE_PORT:-10026}
export OAUTH_MTA_LISTEN=${OAUTH_MTA_LISTEN:-127.0.0.1:10587,127.0.0.2:587}
export OAUTH_MAIL_DIR=${OAUTH_MAIL_DIR:-$RUN/oauth/mails}
# Postfix's own user must reach its queue. In a private (0700) checkout it cannot, so there the
# state lives in /run (root only, like the MTA itself), one folder per checkout.
default_mta_dir() {
	if [ "$(id -u)" = 0 ] && id postfix >/dev/null 2>&1 && ! runuser -u postfix -- test -x "$ROOT" 2>/dev/null; then
		echo "/run/smtp-port-helper-oauth-mta-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
	else
		echo "$CACHE/oauth-mta"
	fi
}
OAUTH_MTA_DIR=${OAUTH_MTA_DIR:-$(default_mta_dir)}
POSTFIX_CONF="$OAUTH_MTA_DIR/postfix"
POSTFIX_QUEUE="$OAUTH_MTA_DIR/postfix-queue"
DOVECOT_DIR="$OAUTH_MTA_DIR/dovecot"
ISSUER="http://127.0.0.1:$OAUTH_PORT"

# Why the MTA cannot run here ('' when it can).
mta_unavailable() {
	[ "$(id -u)" = 0 ] || { echo "Postfix and Dovecot need root (Postfix's master starts as root)"; return; }
	[ -x /usr/sbin/postfix ] || { echo "Debian's postfix is not installed (bash env/setup.sh apt)"; return; }
	[ -x /usr/sbin/dovecot ] || { echo "Debian's dovecot-core is not installed (bash env/setup.sh apt)"; return; }
	id postfix >/dev/null 2>&1 || { echo "the user postfix is missing (reinstall Debian's postfix)"; return; }
	mkdir -p "$OAUTH_MTA_DIR"
	runuser -u postfix -- test -x "$OAUTH_MTA_DIR" 2>/dev/null \
		|| { echo "the user postfix cannot enter $OAUTH_MTA_DIR (a private checkout): set OAUTH_MTA_DIR to a directory it can reach"; return; }
	echo ""
}

auth_server_ready() { curl -sf "$ISSUER/test/health" >/dev/null; }
capture_ready() { grep -q '"listening"' "$RUN/logs/oauth-capture.log"; }
mta_ready() {
	local listen
	for listen in ${OAUTH_MTA_LISTEN//,/ }; do
		(exec 3<>"/dev/tcp/${listen%:*}/${listen##*:}") 2>/dev/null || return 1
	done
	[ -S "$POSTFIX_QUEUE/private/auth" ]
}

postfix_config() {
	mkdir -p "$POSTFIX_CONF" "$POSTFIX_QUEUE"
	# `postfix start` checks the configuration and creates the queue's folders itself.
	install -d -o postfix -m 700 "$OAUTH_MTA_DIR/postfix-data"
	smtp_certificate
	cat >"$POSTFIX_CONF/main.cf" <<CONF
# Written by env/oauth/servers.sh: a private submission-only Postfix for the OAuth tests.
compatibility_level = 3.6
queue_directory = $POSTFIX_QUEUE
data_directory = $OAUTH_MTA_DIR/postfix-data
command_directory = /usr/sbin
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
shlib_directory = /usr/lib/postfix
mail_owner = postfix
setgid_group = postdrop
maillog_file = $RUN/logs/postfix.log
maillog_file_prefixes = $RUN/logs
myhostname = mta.oauth.test
mydomain = oauth.test
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
# Everything accepted goes to the capture, never anywhere else.
relayhost = [127.0.0.1]:$OAUTH_CAPTURE_PORT
smtp_dns_support_level = disabled
smtp_tls_security_level = none
default_transport = smtp
maximal_queue_lifetime = 10m
bounce_queue_lifetime = 10m
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 20s
# Submission: TLS first (the stack's test certificate), then AUTH through Dovecot, which checks
# XOAUTH2/OAUTHBEARER tokens at the authorization server; no relaying without it.
smtpd_banner = \$myhostname ESMTP local OAuth test Postfix
smtpd_tls_cert_file = $SMTP_DIR/cert.pem
smtpd_tls_key_file = $SMTP_DIR/key.pem
smtpd_tls_security_level = encrypt
smtpd_tls_auth_only = yes
smtpd_sasl_auth_enable = yes
smtpd_sasl_type = dovecot
smtpd_sasl_path = private/auth
smtpd_sasl_authenticated_header = yes
smtpd_client_restrictions = permit_sasl_authenticated, reject
smtpd_relay_restrictions = permit_sasl_authenticated, reject
smtpd_recipient_restrictions = permit_sasl_authenticated, reject
smtpd_helo_required = no
CONF
	{
		local listen
		for listen in ${OAUTH_MTA_LISTEN//,/ }; do
			printf '%s inet n - n - - smtpd\n  -o syslog_name=postfix/submission\n' "$listen"
		done
		cat <<'MASTER'
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
MASTER
	} >"$POSTFIX_CONF/master.cf"
}

dovecot_config() {
	mkdir -p "$DOVECOT_DIR/run" "$DOVECOT_DIR/state"
	# The introspection credentials are the resource server's (env/oauth/settings.js).
	local id secret
	id=$(node -p "require('$ROOT/env/oauth/settings').introspectionClientId")
	secret=$(node -p "require('$ROOT/env/oauth/settings').introspectionClientSecret")
	cat >"$DOVECOT_DIR/oauth2.conf.ext" <<CONF
# Dovecot's oauth2 passdb: every XOAUTH2/OAUTHBEARER token is posted to the introspection endpoint
# (RFC 7662); it must be active and its email must be the user name the client logged in with.
introspection_mode = post
introspection_url = http://$id:$secret@127.0.0.1:$OAUTH_PORT/token/introspection
force_introspection = yes
username_attribute = email
active_attribute = active
active_value = true
timeout_msecs = 5000
CONF
	chmod 600 "$DOVECOT_DIR/oauth2.conf.ext"
	cat >"$DOVECOT_DIR/dovecot.conf" <<CONF
# Written by env/oauth/servers.sh: a private Dovecot that only authenticates, for Postfix's SASL.
protocols =
listen = 127.0.0.1
instance_name = sph-oauth-dovecot
base_dir = $DOVECOT_DIR/run
state_dir = $DOVECOT_DIR/state
log_path = $RUN/logs/dovecot.log
ssl = no
auth_verbose = yes
auth_mechanisms = xoauth2 oauthbearer
passdb {
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = $DOVECOT_DIR/oauth2.conf.ext
}
userdb {
  driver = static
  args = uid=65534 gid=65534 home=/nonexistent
}
# No growing delay (2, 4, 8, 15 s) after refused tokens from the same address: every test comes
# from 127.0.0.1 and refuses on purpose.
auth_failure_delay = 0
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service auth {
  unix_listener $POSTFIX_QUEUE/private/auth {
    mode = 0660
    user = postfix
    group = postfix
  }
}
CONF
}

mta_start() {
	postfix_config
	dovecot_config
	: >"$RUN/logs/postfix-start.log"
	: >"$RUN/logs/dovecot-start.log"
	# Postfix first: it creates the queue's private/ folder, where Dovecot puts its auth socket.
	postfix -c "$POSTFIX_CONF" start >>"$RUN/logs/postfix-start.log" 2>&1 \
		|| { tail -20 "$RUN/logs/postfix-start.log"; tail -20 "$RUN/logs/postfix.log" 2>/dev/null; return 1; }
	dovecot -c "$DOVECOT_DIR/dovecot.conf" >>"$RUN/logs/dovecot-start.log" 2>&1 \
		|| { tail -20 "$RUN/logs/dovecot-start.log"; return 1; }
	wait_for 20 mta_ready || { log "Postfix/Dovecot did not come up"; tail -20 "$RUN/logs/postfix.log" "$RUN/logs/dovecot.log"; return 1; }
}

# Waits (at most 10 s) until the master process in a pid file is gone, then SIGKILLs it and its
# children — only if it still is that program (a stale pid file may name another process by now).
stop_pid_file() {
	local file=$1 program=$2 pid
	[ -f "$file" ] || return 0
	pid=$(head -1 "$file" | tr -d ' ')
	[ -n "$pid" ] || return 0
	for _ in $(seq 1 100); do
		[ "$(ps -o comm= -p "$pid" 2>/dev/null)" = "$program" ] || { rm -f "$file"; return 0; }
		sleep 0.1
	done
	pkill -9 -P "$pid" 2>/dev/null || true
	kill -9 "$pid" 2>/dev/null || true
	rm -f "$file"
}

mta_stop() {
	if [ -f "$POSTFIX_CONF/main.cf" ] && [ -f "$POSTFIX_QUEUE/pid/master.pid" ]; then
		timeout 20 postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true
		stop_pid_file "$POSTFIX_QUEUE/pid/master.pid" master
	fi
	if [ -f "$DOVECOT_DIR/run/master.pid" ]; then
		timeout 20 dovecot -c "$DOVECOT_DIR/dovecot.conf" stop >/dev/null 2>&1 || true
		stop_pid_file "$DOVECOT_DIR/run/master.pid" dovecot
	fi
}

start() {
	local why
	why=$(mta_unavailable)
	mkdir -p "$OAUTH_MAIL_DIR"
	local port
	for port in "$OAUTH_PORT" "$OAUTH_CAPTURE_PORT"; do
		port_free "$port" || die "port $port is taken (OAUTH_PORT, OAUTH_CAPTURE_PORT)"
	done
	start_detached oauth-server "$RUN/logs/oauth-server.log" node "$ROOT/env/oauth/authorization-server.js"
	start_detached oauth-capture "$RUN/logs/oauth-capture.log" node "$ROOT/env/oauth/capture.js" "$OAUTH_MAIL_DIR"
	# Its start takes seconds; a CI run right after the stack stopped once took over 20 s.
	wait_for 60 auth_server_ready || { cat "$RUN/logs/oauth-server.log"; stop; return 1; }
	wait_for 10 capture_ready || { cat "$RUN/logs/oauth-capture.log"; stop; return 1; }
	log "OAuth authorization server on $ISSUER, mail capture on 127.0.0.1:$OAUTH_CAPTURE_PORT → $OAUTH_MAIL_DIR"
	if [ -n "$why" ]; then
		log "Postfix/Dovecot not started: $why"
		return 0
	fi
	mta_start || { stop; return 1; }
	log "Postfix submission with Dovecot's OAuth check on $OAUTH_MTA_LISTEN"
}

stop() {
	mta_stop
	kill_pidfile oauth-capture
	kill_pidfile oauth-server
}

status() {
	auth_server_ready && echo "authorization server: $ISSUER" || echo "authorization server: down"
	capture_ready 2>/dev/null && [ -f "$RUN/pids/oauth-capture.pid" ] && kill -0 "$(cat "$RUN/pids/oauth-capture.pid")" 2>/dev/null \
		&& echo "capture: 127.0.0.1:$OAUTH_CAPTURE_PORT → $OAUTH_MAIL_DIR" || echo "capture: down"
	mta_ready 2>/dev/null && echo "postfix + dovecot: $OAUTH_MTA_LISTEN" || echo "postfix + dovecot: down"
}

case "${1:-}" in
	start) stop; start ;;
	stop) stop ;;
	restart) stop; start ;;
	status) status ;;
	*) die "usage: $0 start|stop|status|restart" ;;
esac
