<?php
/**
 * What a person can see and do with the outbox: one engine for REST, WP-CLI and Site Health.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Refusal;

defined( 'ABSPATH' ) || exit;

/**
 * Lists the waiting and failed mail with a plain explanation of its last error (never a body),
 * retries a message now, deletes one, runs the outbox.
 */
final class Outbox_Manager {

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Builds the runner when a delivery is asked for (it needs the mailer).
	 *
	 * @var callable(): Outbox_Runner
	 */
	private $runner;

	/**
	 * The settings: which transport is in use (a held message is explained in its terms).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the outbox, what builds the runner and the settings.
	 *
	 * @param Outbox                    $outbox   The outbox.
	 * @param callable(): Outbox_Runner $runner   Builds the runner.
	 * @param Settings_Store|null       $settings The settings (null: the site's).
	 */
	public function __construct( Outbox $outbox, callable $runner, ?Settings_Store $settings = null ) {
		$this->outbox   = $outbox;
		$this->runner   = $runner;
		$this->settings = $settings ?? new Settings_Store();
	}

	/**
	 * The messages, oldest first, each with the plain explanation of its last error.
	 *
	 * @param int $limit At most this many.
	 * @return list<array<string, mixed>>
	 */
	public function entries( int $limit = 100 ): array {
		$transport = $this->transport_in_use();
		return array_map( static fn( array $entry ): array => self::with_explanation( $entry, $transport ), $this->outbox->entries( $limit ) );
	}

	/**
	 * One message with its explanation, or null.
	 *
	 * @param int $id Message id.
	 * @return array<string, mixed>|null
	 */
	public function entry( int $id ): ?array {
		$entry = $this->outbox->find( $id );
		return null === $entry ? null : self::with_explanation( $entry, $this->transport_in_use() );
	}

	/**
	 * Number of messages per status.
	 *
	 * @return array<string, int>
	 */
	public function counts(): array {
		return $this->outbox->counts();
	}

	/**
	 * Held messages that wait for the server their route names (Send_Route: the site moved to
	 * another server, or the network has none), not for a login: saving a password frees none.
	 */
	public function held_for_route(): int {
		global $wpdb;
		$table = Outbox_Table::name();
		return (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE status = %s AND stage = %s", Outbox::HELD, Send_Route::HELD_STAGE ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table.
	}

	/**
	 * Makes a message due now and runs the outbox.
	 *
	 * @param int $id Message id.
	 * @return array{found: bool, delivered: bool, entry: array<string, mixed>|null}
	 */
	public function retry( int $id ): array {
		if ( ! $this->outbox->retry( $id ) ) {
			return array(
				'found'     => null !== $this->outbox->find( $id ),
				'delivered' => false,
				'entry'     => $this->entry( $id ),
			);
		}
		$this->run();
		$entry = $this->entry( $id );
		return array(
			'found'     => true,
			'delivered' => null === $entry,
			'entry'     => $entry,
		);
	}

	/**
	 * Deletes a message: true when deleted, false when it is being sent right now, null when
	 * there is no such message.
	 *
	 * @param int $id Message id.
	 */
	public function delete( int $id ): ?bool {
		if ( null === $this->outbox->find( $id ) ) {
			return null;
		}
		return $this->outbox->delete( $id );
	}

	/**
	 * Delivers what is due now.
	 *
	 * @return array{delivered: int, waiting: int, failed: int, held: int}
	 */
	public function run(): array {
		return ( $this->runner )()->run( 200, 20 );
	}

	/**
	 * An entry with `explanation`: what its last error means and what happens next.
	 *
	 * @param array{id: int, status: string, to: list<string>, subject: string, queued_at: int, next_attempt_at: int|null, attempts: int, stage: string, code: int, error: string, size: int} $entry Entry.
	 * @param string                                                                                                                                                                          $transport The transport in use.
	 * @return array<string, mixed>
	 */
	public static function with_explanation( array $entry, string $transport = 'smtp' ): array {
		$entry['explanation'] = self::explain( $entry['status'], $entry['stage'], $entry['code'], $transport );
		return $entry;
	}

	/**
	 * What refused the held mail, when an HTTPS API did (401/403), in the terms of the transport
	 * in use; null otherwise (an SMTP login, a sign-in, a route).
	 */
	public function held_by_api(): ?Api_Refusal {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT stage, last_code FROM {$table} WHERE status = %s AND stage = %s ORDER BY id DESC LIMIT 1", Outbox::HELD, Api_Refusal::STAGE ), 'ARRAY_A' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's own table.
		return is_array( $row ) ? Api_Refusal::of( (string) $row['stage'], (int) $row['last_code'], $this->transport_in_use() ) : null;
	}

	/**
	 * The transport the site sends with now.
	 */
	private function transport_in_use(): string {
		return $this->settings->get()->transport;
	}

	/**
	 * The plain words for a message's state and last error.
	 *
	 * @param string $status Status.
	 * @param string $stage  Where the last attempt failed.
	 * @param int    $code   SMTP code (HTTP status for stage `api`), 0 without an answer.
	 * @param string $transport The transport in use.
	 */
	public static function explain( string $status, string $stage, int $code, string $transport = 'smtp' ): string {
		$refusal = Outbox::HELD === $status ? Api_Refusal::of( $stage, $code, $transport ) : null;
		if ( null !== $refusal ) {
			return $refusal->explanation();
		}
		if ( 'decrypt' === $stage ) {
			return __( 'The stored message cannot be decrypted any more (the security keys of this site changed). Delete it.', 'smtp-port-helper' );
		}
		if ( Outbox_Entry::INTERRUPTED === $stage ) {
			return __( 'The last attempt was interrupted before its answer was recorded (the process sending it ended with an error). The message is due again and is retried at the time shown; a server that took it already may deliver it twice.', 'smtp-port-helper' );
		}
		if ( 'route' === $stage ) {
			return __( 'This message was written for another SMTP server or login than the one this site uses now, or for the network\'s server, which is not set. It is not sent anywhere else: it waits until that server is set again. Delete it if it is no longer needed.', 'smtp-port-helper' );
		}
		if ( 'policy' === $stage ) {
			return __( 'The saved SMTP server is an address this site may not connect to (address policy). Waiting mail is held until you correct the host or port in the settings; then it is sent at once.', 'smtp-port-helper' );
		}
		if ( 'oauth' === $stage ) {
			return __( 'The provider refused the sign-in of the mailbox (OAuth 2.0). Waiting mail is held until you click "Connect" in the settings and sign in again; then it is sent at once.', 'smtp-port-helper' );
		}
		if ( Outbox::HELD === $status || 'auth' === $stage ) {
			return __( 'The SMTP server refused the login. Waiting mail is held until you correct the user name or password in the settings; then it is sent at once.', 'smtp-port-helper' );
		}
		if ( Outbox::FAILED === $status && 'api' === $stage && $code >= 400 && $code < 500 ) {
			return __( 'The provider\'s HTTPS API refused this message for good (too large for it, or its content or a recipient refused; its words are under "Last error"). It is not retried by itself and was not sent. Make it fit or send it another way — for example switch the transport to SMTP in the settings — then retry it, or delete it.', 'smtp-port-helper' );
		}
		if ( Outbox::FAILED === $status && $code >= 500 ) {
			return __( 'The SMTP server refused this message for good (a permanent error). It is not retried; check the address or the content, then retry or delete it.', 'smtp-port-helper' );
		}
		if ( Outbox::FAILED === $status ) {
			return __( 'The message could not be delivered before it expired. Retry it once the SMTP server works again, or delete it.', 'smtp-port-helper' );
		}
		switch ( $stage ) {
			case Outbox_Pacing::PACED:
				return __( 'The mailbox has reached its provider\'s sending limit (or mail written earlier waits for it). The message leaves in its turn as soon as the limit allows; this is not an error.', 'smtp-port-helper' );
			case Outbox_Pacing::THROTTLED:
				return __( 'The provider asked to slow down (its sending limit was reached). The message waits as long as the provider asked and then leaves in its turn; it is not counted as a failure.', 'smtp-port-helper' );
			case 'down':
				return __( 'Every port of the SMTP server was known to be down, so the message was not tried right away. It is retried automatically.', 'smtp-port-helper' );
			case 'dns':
				return __( 'The name of the SMTP server could not be looked up in time (DNS). The message is retried automatically.', 'smtp-port-helper' );
			case 'token':
				return __( 'The OAuth 2.0 sign-in could not be renewed because the provider\'s token endpoint did not answer. The message is retried automatically.', 'smtp-port-helper' );
			case 'deadline':
				return __( 'The SMTP server did not answer within the time limit. The message is retried automatically.', 'smtp-port-helper' );
			case 'tls':
				return __( 'The encrypted connection (TLS) to the SMTP server failed. The message is retried automatically.', 'smtp-port-helper' );
			case 'disabled':
				return __( 'Sending through SMTP is switched off or no server is saved. The message waits until it is switched on again.', 'smtp-port-helper' );
			case 'mail':
			case 'rcpt':
			case 'data':
				return __( 'The SMTP server asked to try again later (a temporary answer). The message is retried automatically.', 'smtp-port-helper' );
		}
		return __( 'No port of the SMTP server could be connected to. The message is retried automatically.', 'smtp-port-helper' );
	}
}
