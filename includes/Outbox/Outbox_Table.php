<?php
/**
 * The outbox's own table: created and upgraded with dbDelta, per site.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * `{prefix}smtp_port_helper_outbox`, one per site on a network, and beside it
 * `{prefix}smtp_port_helper_outbox_rcpt`: one row per message and recipient holding a keyed hash
 * of the address (Secret_Box::fingerprint()), so the privacy tools and the per-recipient budget
 * find a person's messages without opening any and without the address readable in the
 * database. The schema version is an option of the site (`smtp_port_helper_outbox_db`); Plugin
 * compares it on each request and calls install() only when it differs, on activation and after
 * an update of the plugin.
 */
final class Outbox_Table {

	/** Version of the table's schema; raise it with every change of create_sql(). */
	public const VERSION = \SmtpPortHelper\Plugin::OUTBOX_DB_VERSION;

	/** Option holding the installed schema version. */
	public const VERSION_OPTION = \SmtpPortHelper\Plugin::OUTBOX_DB_OPTION;

	/**
	 * The table name of the current site.
	 */
	public static function name(): string {
		global $wpdb;
		return $wpdb->prefix . \SmtpPortHelper\Stored_Names::OUTBOX_TABLE;
	}

	/**
	 * The recipient table of the current site.
	 */
	public static function recipients_name(): string {
		global $wpdb;
		return $wpdb->prefix . \SmtpPortHelper\Stored_Names::OUTBOX_RECIPIENTS_TABLE;
	}

	/**
	 * Creates or upgrades the tables of the current site, indexes the recipients of messages
	 * stored before the recipient table existed, and records the version.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		$collate = $wpdb->get_charset_collate();
		dbDelta( array( self::create_sql( self::name(), $collate ), self::recipients_sql( self::recipients_name(), $collate ) ) );
		( new Outbox() )->index_recipients();
		update_option( self::VERSION_OPTION, self::VERSION, true );
	}

	/**
	 * Whether the current site's table is at the current version.
	 */
	public static function is_current(): bool {
		return (int) get_option( self::VERSION_OPTION, 0 ) === self::VERSION;
	}

	/**
	 * The CREATE TABLE statement in dbDelta's format. Times are Unix seconds. `summary` (the
	 * recipients and subject) and `payload` (the envelope and the complete message) are sealed
	 * with the Secret_Box key of the password. `route` is the server the message may go through
	 * (Mail\Send_Route: `network`, or `site:` and the fingerprint of the site's server and login).
	 *
	 * @param string $table   Table name.
	 * @param string $collate Charset and collation clause.
	 */
	public static function create_sql( string $table, string $collate ): string {
		return "CREATE TABLE {$table} (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  status varchar(16) NOT NULL DEFAULT 'queued',
  created_at bigint(20) unsigned NOT NULL DEFAULT 0,
  next_attempt_at bigint(20) unsigned NOT NULL DEFAULT 0,
  expires_at bigint(20) unsigned NOT NULL DEFAULT 0,
  attempts int(10) unsigned NOT NULL DEFAULT 0,
  stage varchar(16) NOT NULL DEFAULT '',
  last_code smallint(5) unsigned NOT NULL DEFAULT 0,
  last_error text NOT NULL,
  claim_token varchar(64) NOT NULL DEFAULT '',
  claimed_until bigint(20) unsigned NOT NULL DEFAULT 0,
  size int(10) unsigned NOT NULL DEFAULT 0,
  summary text NOT NULL,
  payload longtext NOT NULL,
  route varchar(80) NOT NULL DEFAULT '',
  PRIMARY KEY  (id),
  KEY status_due (status,next_attempt_at)
) {$collate};";
	}

	/**
	 * The recipient table in dbDelta's format: a message's recipients as keyed hashes (64 hex
	 * characters), with the time the message was queued for the per-recipient budget.
	 *
	 * @param string $table   Table name.
	 * @param string $collate Charset and collation clause.
	 */
	public static function recipients_sql( string $table, string $collate ): string {
		return "CREATE TABLE {$table} (
  message_id bigint(20) unsigned NOT NULL,
  recipient char(64) NOT NULL,
  created_at bigint(20) unsigned NOT NULL DEFAULT 0,
  PRIMARY KEY  (message_id,recipient),
  KEY recipient_created (recipient,created_at)
) {$collate};";
	}
}
