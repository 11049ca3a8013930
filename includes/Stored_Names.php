<?php
/**
 * Every name under which the plugin keeps something in the database.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The one list of what the plugin stores: options, option prefixes, transient prefixes, network
 * options, tables and WP-Cron hooks. The code that writes a name takes it from here (or from
 * Plugin, whose constants a front-end request can read without loading this file), uninstall.php
 * removes every entry on every site and network, and Uninstall_Test fails when code in includes/
 * writes a name that is not listed.
 */
final class Stored_Names {

	/**
	 * Every name below starts with this. Uninstall also removes options and transients under it
	 * that no current code writes (names of earlier versions cannot be in this list).
	 */
	public const PREFIX = 'smtp_port_helper_';

	/** The settings of a site, and the network defaults under the same name. */
	public const SETTINGS = Plugin::SETTINGS_OPTION;

	/** The OAuth connection: the sealed refresh token, the account, the server and mailbox. */
	public const OAUTH_TOKENS = Plugin::OAUTH_TOKENS_OPTION;

	/** The sealed OAuth access token and its expiry. */
	public const OAUTH_ACCESS = 'smtp_port_helper_oauth_access';

	/** Held while one request refreshes the OAuth access token. */
	public const OAUTH_REFRESH_LOCK = 'smtp_port_helper_oauth_refresh_lock';

	/** The site's own DKIM key: the public key, and the private key sealed (Deliverability\Dkim_Key_Store). */
	public const DKIM_KEY = 'smtp_port_helper_dkim_key';

	/** How the last message was really sent (Send_Path_Recorder). */
	public const LAST_SEND = 'smtp_port_helper_last_send';

	/** The outbox table's schema version. */
	public const OUTBOX_DB = Plugin::OUTBOX_DB_OPTION;

	/** How many messages left the outbox late since the notice was last shown. */
	public const OUTBOX_LATE = 'smtp_port_helper_outbox_late';

	/** When the ports were last re-tested while mail waited. */
	public const OUTBOX_RETEST = 'smtp_port_helper_outbox_retest';

	/** Since when mail waits because the server could not take it. */
	public const OUTBOX_OUTAGE = 'smtp_port_helper_outbox_outage';

	/** Mail the outbox's budget refused (Outbox_Full_Notice). */
	public const OUTBOX_REFUSED = 'smtp_port_helper_outbox_refused';

	/** The outbox's add lock (Outbox::add()). */
	public const OUTBOX_ADD_LOCK = 'smtp_port_helper_outbox_add_lock';

	/** Rate limiters' counters (REST/Rate_Limiter; the network budget's on the main site). */
	public const RATE_LIMIT_PREFIX = 'smtp_port_helper_rl_';

	/** Sending pace of a mailbox (Mail\Send_Pacer, on the main site): its state, window and hourly counters. */
	public const PACE_PREFIX = 'smtp_port_helper_pace_';

	/** Concurrency slots (REST/Concurrency_Limit). */
	public const SLOT_PREFIX = 'smtp_port_helper_slot_';

	/** Transient: a port that could not be connected to. */
	public const PORT_DOWN_PREFIX = 'smtp_port_helper_down_';

	/** Transient: the port that works for a host. */
	public const PORT_WORKS_PREFIX = 'smtp_port_helper_works_';

	/** Transient: the address family that works for a host and port. */
	public const FAMILY_PREFIX = 'smtp_port_helper_family_';

	/** Transient: a started OAuth sign-in (state and PKCE verifier). */
	public const OAUTH_STATE_PREFIX = 'smtp_port_helper_oauth_state_';

	/** Transient: the outcome of an OAuth sign-in, shown once to the user. */
	public const OAUTH_RESULT_PREFIX = 'smtp_port_helper_oauth_result_';

	/** Network option a super admin sets (wp site option update): sub-sites may use internal addresses. */
	/** The network's lock of the sites' destination fields (Settings_Layers). */
	public const LOCK_SITE_DESTINATION = 'smtp_port_helper_lock_site_destination';

	public const SITES_MAY_USE_INTERNAL = 'smtp_port_helper_sites_may_use_internal_addresses';

	/** The outbox table, after the site's table prefix. */
	public const OUTBOX_TABLE = 'smtp_port_helper_outbox';

	/** The outbox's recipient index (keyed hashes, for the budget and the privacy tools). */
	public const OUTBOX_RECIPIENTS_TABLE = 'smtp_port_helper_outbox_rcpt';

	/** The WP-Cron hook of the outbox. */
	public const OUTBOX_CRON = Plugin::OUTBOX_CRON_HOOK;

	/** The daily self-check's findings: the last run, a port it switched to, an open outage (Health\Self_Check). */
	public const SELF_CHECK = 'smtp_port_helper_self_check';

	/** The daily self-check's turn (an Atomic_Option lease: one run a day, whoever runs it). */
	public const SELF_CHECK_TURN = 'smtp_port_helper_self_check_turn';

	/** Since when the daily self-check finds no working path; created once per outage (the one who creates it tells). */
	public const SELF_CHECK_OUTAGE = 'smtp_port_helper_self_check_outage';

	/** The WP-Cron hook of the daily self-check. */
	public const SELF_CHECK_CRON = Plugin::SELF_CHECK_CRON_HOOK;

	/** The weekly WP-Cron hook that keeps an OAuth sign-in alive on a quiet site. */
	public const OAUTH_KEEPALIVE_CRON = Plugin::OAUTH_KEEPALIVE_CRON_HOOK;

	/** Options of each site. */
	public const SITE_OPTIONS = array(
		self::SETTINGS,
		self::OAUTH_TOKENS,
		self::OAUTH_ACCESS,
		self::OAUTH_REFRESH_LOCK,
		self::LAST_SEND,
		self::DKIM_KEY,
		self::OUTBOX_DB,
		self::OUTBOX_LATE,
		self::OUTBOX_RETEST,
		self::OUTBOX_OUTAGE,
		self::OUTBOX_REFUSED,
		self::OUTBOX_ADD_LOCK,
		self::SELF_CHECK,
		self::SELF_CHECK_TURN,
		self::SELF_CHECK_OUTAGE,
	);

	/** Options of each site written under a name that starts with one of these. */
	public const SITE_OPTION_PREFIXES = array( self::RATE_LIMIT_PREFIX, self::SLOT_PREFIX, self::PACE_PREFIX );

	/** Transients (of a site, or of the network) whose name starts with one of these. */
	public const TRANSIENT_PREFIXES = array(
		self::PORT_DOWN_PREFIX,
		self::PORT_WORKS_PREFIX,
		self::FAMILY_PREFIX,
		self::OAUTH_STATE_PREFIX,
		self::OAUTH_RESULT_PREFIX,
	);

	/** Options of each network. */
	public const NETWORK_OPTIONS = array( self::SETTINGS, self::SITES_MAY_USE_INTERNAL, self::LOCK_SITE_DESTINATION );

	/** Tables of each site, after its table prefix. */
	public const TABLES = array( self::OUTBOX_TABLE, self::OUTBOX_RECIPIENTS_TABLE );

	/** WP-Cron hooks of each site. */
	public const CRON_HOOKS = array( self::OUTBOX_CRON, self::SELF_CHECK_CRON, self::OAUTH_KEEPALIVE_CRON );
}
