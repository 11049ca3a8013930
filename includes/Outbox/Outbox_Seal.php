<?php
/**
 * The sealed columns of the outbox: each field bound to its site and column.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name (WordPress 6.6's %i is unknown to WPCS 2.3).

/**
 * A message's summary (recipients, subject) and payload (envelope and message) are stored sealed
 * by Secret_Box, each in the context of its site and column: a sealed value moved to another
 * site, column or the password option opens nowhere. Recipients are found by keyed hashes
 * (fingerprint()), never by a readable address.
 */
final class Outbox_Seal {

	/**
	 * The sealed-secret helper (the key of the password); null when the site has no key material
	 * fit for a key (then nothing is stored: a message would be readable by whoever has the database).
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * Takes the box.
	 *
	 * @param Secret_Box|null $box The site's box, or null when there is none.
	 */
	public function __construct( ?Secret_Box $box ) {
		$this->box = $box;
	}

	/**
	 * Whether messages can be stored (there is a key).
	 */
	public function can_seal(): bool {
		return null !== $this->box;
	}

	/**
	 * Seals one field of a message for this site's outbox: the associated data names the site and
	 * the field, so a sealed value moved to another site, column or the password option opens nowhere.
	 *
	 * @param string $field summary or payload.
	 * @param string $plain JSON.
	 */
	public function seal( string $field, string $plain ): ?string {
		return null === $this->box ? null : $this->box->seal( $plain, self::binding( $field ) );
	}

	/**
	 * Opens one sealed field; null when it cannot be opened.
	 *
	 * @param string $field  summary or payload.
	 * @param mixed  $sealed Stored value.
	 */
	public function open( string $field, $sealed ): ?string {
		return null === $this->box ? null : $this->box->open( $sealed, self::binding( $field ) );
	}

	/**
	 * Seals a stored field again under this key (Rekey), opening it with the former key's box.
	 *
	 * @param string          $field  summary or payload.
	 * @param mixed           $sealed Stored value.
	 * @param Secret_Box|null $old    The former key's box, if any.
	 */
	public function reseal( string $field, $sealed, ?Secret_Box $old ): Resealed {
		return null === $this->box ? new Resealed( Resealed::UNREADABLE ) : $this->box->reseal( $sealed, self::binding( $field ), $old );
	}

	/**
	 * The keyed hash of a recipient's address (normalised by the caller) in this site's outbox;
	 * null without a key.
	 *
	 * @param string $address Normalised address.
	 */
	public function fingerprint( string $address ): ?string {
		return null === $this->box ? null : $this->box->fingerprint( 'outbox-recipient:site:' . get_current_blog_id(), $address );
	}

	/**
	 * The associated data of a field of this site's outbox.
	 *
	 * @param string $field summary or payload.
	 */
	private static function binding( string $field ): string {
		return self::context( $field, get_current_blog_id() );
	}

	/**
	 * The context a field of a site's outbox is sealed for (the password's shape, for the stored
	 * format: scope, `outbox`, field).
	 *
	 * @param string $field   summary or payload.
	 * @param int    $site_id The site.
	 */
	public static function context( string $field, int $site_id ): string {
		return Secret_Box::binding( 'site:' . $site_id, 'outbox', $field );
	}

	/**
	 * Seals every waiting message of this site again under this outbox's key (`wp smtp-port-helper
	 * rekey`), opening it with the former key; 100 rows at a time.
	 *
	 * @param Secret_Box|null   $old        The former key's box, if any.
	 * @param Outbox_Recipients $recipients The recipients' index (keyed with the former key too).
	 * @return array{resealed: int, unreadable: int}
	 */
	public function rekey_rows( ?Secret_Box $old, Outbox_Recipients $recipients ): array {
		global $wpdb;
		$table  = Outbox_Table::name();
		$counts = array(
			'resealed'   => 0,
			'unreadable' => 0,
		);
		if ( ! $this->can_seal() || ! Outbox_Table::is_current() ) {
			return $counts;
		}
		$last = 0;
		do {
			$rows  = (array) $wpdb->get_results( $wpdb->prepare( "SELECT id, summary, payload FROM {$table} WHERE id > %d ORDER BY id LIMIT 100", $last ), 'ARRAY_A' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's table.
			$count = count( $rows );
			foreach ( $rows as $row ) {
				$last    = (int) $row['id'];
				$changes = array();
				foreach ( array( 'summary', 'payload' ) as $field ) {
					$result = $this->reseal( $field, $row[ $field ], $old );
					if ( Resealed::UNREADABLE === $result->outcome ) {
						++$counts['unreadable'];
						continue 2;
					}
					if ( null !== $result->sealed ) {
						$changes[ $field ] = $result->sealed;
					}
				}
				if ( array() !== $changes ) {
					$wpdb->update( $table, $changes, array( 'id' => $last ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
					++$counts['resealed'];
					// The recipients' hashes were keyed with the former key too.
					$recipients->unindex( $last );
				}
			}
		} while ( 100 === $count );
		$recipients->index_recipients();
		return $counts;
	}
}
