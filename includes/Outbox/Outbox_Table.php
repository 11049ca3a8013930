<?php
/**
 * The outbox's own table: created and upgraded with dbDelta, per site.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * `{prefix}smtp_port_helper_outbox`, one per site on a network. The schema version is an option of
 * the site (`smtp_port_helper_outbox_db`); Plugin compares it on each request and calls install()
 * only when it differs, on activation and after an update of the plugin.
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
		return $wpdb->prefix . 'smtp_port_helper_outbox';
	}

	/**
	 * Creates or upgrades the table of the current site and records the version.
	 */
	public static function install(): void {
		global $wpdb;
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		dbDelta( self::create_sql( self::name(), $wpdb->get_charset_collate() ) );
		update_option( self::VERSION_OPTION, self::VERSION, true );
	}

	/**
	 * Whether the current site's table is at the current version.
	 */
	public static function is_current(): bool {
		return (int) get_option( self::VERSION_OPTION, 0 ) === self::VERSION;
	}

	/**
	 * Drops the table of the current site (uninstall).
	 */
	public static function drop(): void {
		global $wpdb;
		$wpdb->query( 'DROP TABLE IF EXISTS ' . self::name() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- a table name of this plugin.
		delete_option( self::VERSION_OPTION );
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
}
