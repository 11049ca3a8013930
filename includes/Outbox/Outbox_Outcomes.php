<?php
/**
 * What a delivery attempt did to a claimed message.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Transport\Outgoing_Message;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name (WordPress 6.6's %i is unknown to WPCS 2.3).

/**
 * Delivered (deleted at once), partly delivered (kept for the recipients still waiting), deferred
 * (a longer wait each time, failed once expired), failed for good, or held until the settings
 * change. Each change applies only while the runner's claim token still holds the message, and
 * gives the claim back.
 */
final class Outbox_Outcomes {

	/**
	 * The outbox's sealing.
	 *
	 * @var Outbox_Seal
	 */
	private Outbox_Seal $seal;

	/**
	 * The recipients' index.
	 *
	 * @var Outbox_Recipients
	 */
	private Outbox_Recipients $recipients;

	/**
	 * Takes the sealing and the recipients' index.
	 *
	 * @param Outbox_Seal       $seal       The outbox's sealing.
	 * @param Outbox_Recipients $recipients The recipients' index.
	 */
	public function __construct( Outbox_Seal $seal, Outbox_Recipients $recipients ) {
		$this->seal       = $seal;
		$this->recipients = $recipients;
	}

	/**
	 * Delivered: nothing of it is kept.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 */
	public function delivered( int $id, string $token ): void {
		global $wpdb;
		$deleted = $wpdb->delete(
			Outbox_Table::name(),
			array(
				'id'          => $id,
				'claim_token' => $token,
			),
			array( '%d', '%s' )
		);
		if ( 1 === $deleted ) {
			$this->recipients->unindex( $id );
		}
	}

	/**
	 * Some recipients took it, others wait: keeps the message for those only, still claimed.
	 *
	 * @param int                                                                                                   $id        Message id.
	 * @param string                                                                                                $token     Claim token.
	 * @param array{from: string, recipients: list<string>, data: string, route?: string, idempotency_key?: string} $message The message.
	 * @param string[]                                                                                              $waiting   Recipients still waiting.
	 */
	public function narrow( int $id, string $token, array $message, array $waiting ): void {
		global $wpdb;
		$message['recipients'] = array_values( $waiting );
		// The attempt that reached the others carried the key: the rest is another request.
		$message['idempotency_key'] = Outgoing_Message::key_for_recipients( (string) ( $message['idempotency_key'] ?? '' ), $message['recipients'] );
		unset( $message['route'] ); // A column of its own.
		$summary = array(
			'to'      => $message['recipients'],
			'subject' => Outbox_Entry::subject_of( $message['data'] ),
		);
		$wpdb->update(
			Outbox_Table::name(),
			array(
				'summary' => (string) $this->seal->seal( 'summary', (string) wp_json_encode( $summary ) ),
				'payload' => (string) $this->seal->seal( 'payload', (string) wp_json_encode( $message ) ),
			),
			array(
				'id'          => $id,
				'claim_token' => $token,
			),
			array( '%s', '%s' ),
			array( '%d', '%s' )
		);
		$table      = Outbox_Table::name();
		$created_at = (int) $wpdb->get_var( $wpdb->prepare( "SELECT created_at FROM {$table} WHERE id = %d AND claim_token = %s", $id, $token ) );
		if ( $created_at > 0 ) {
			$this->recipients->unindex( $id );
			$this->recipients->index( $id, $message['recipients'], $created_at );
		}
	}

	/**
	 * Not delivered this time: waits for the next attempt, with a longer wait each time, or
	 * fails once it has expired. Returns the new status.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	public function defer( int $id, string $token, array $failure ): string {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT attempts, expires_at FROM {$table} WHERE id = %d AND claim_token = %s", $id, $token ), 'ARRAY_A' );
		if ( ! is_array( $row ) ) {
			return '';
		}
		$now      = time();
		$attempts = (int) $row['attempts'] + 1;
		$next     = $now + Outbox::backoff( $attempts );
		$status   = $now >= (int) $row['expires_at'] ? Outbox::FAILED : Outbox::QUEUED;
		if ( Outbox::FAILED === $status ) {
			$failure['error'] = sprintf( 'Expired after %d attempts; last error: %s', $attempts, $failure['error'] );
		}
		$this->set( $id, $token, $status, $failure, $attempts, $next );
		return $status;
	}

	/**
	 * Refused for good (a `5xx`, or unreadable): never retried by itself.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function fail( int $id, string $token, array $failure ): void {
		$this->set( $id, $token, Outbox::FAILED, $failure, null, 0 );
	}

	/**
	 * A login was refused: this message and every queued one wait until the settings change.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function hold( int $id, string $token, array $failure ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$this->set( $id, $token, Outbox::HELD, $failure, null, 0 );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s WHERE status = %s", Outbox::HELD, Outbox::QUEUED ) );
	}

	/**
	 * This message alone waits until the settings change (its route's server is gone): the other
	 * messages go on.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	public function hold_message( int $id, string $token, array $failure ): void {
		$this->set( $id, $token, Outbox::HELD, $failure, null, 0 );
	}

	/**
	 * Updates a claimed message's state and last failure, releasing the claim.
	 *
	 * @param int                                            $id       Message id.
	 * @param string                                         $token    Claim token.
	 * @param string                                         $status   New status.
	 * @param array{stage: string, code: int, error: string} $failure  The failure.
	 * @param int|null                                       $attempts New attempt count, or null to add one.
	 * @param int                                            $next     Next attempt (Unix time; 0 for none).
	 */
	private function set( int $id, string $token, string $status, array $failure, ?int $attempts, int $next ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, stage = %s, last_code = %d, last_error = %s, attempts = " . ( null === $attempts ? 'attempts + 1' : (string) (int) $attempts ) . ', next_attempt_at = %d, claim_token = %s, claimed_until = 0 WHERE id = %d AND claim_token = %s', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- an integer.
				$status,
				$failure['stage'],
				$failure['code'],
				Outbox_Entry::clip( $failure['error'] ),
				$next,
				'',
				$id,
				$token
			)
		);
	}
}
