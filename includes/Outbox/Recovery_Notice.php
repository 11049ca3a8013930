<?php
/**
 * One mail to the admin address when delivery works again after mail waited.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Mail\Phpmailer_Classes;
use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * An outage begins when mail waits because the server could not take it — no connection, TLS,
 * the time limit, a refused login, a `4xx` for the sender or the content (a recipient's `4xx`,
 * e.g. greylisting, is no outage) — and is kept as an option holding its start. The first queue
 * run that delivers again ends it with one atomic DELETE, so only one runner of several sends the
 * notice, once per outage. The notice goes over the run's connection that just delivered (the
 * working path), never through wp_mail(), so it is never queued itself; when it cannot be handed
 * over, the outage stays open for the next run.
 */
final class Recovery_Notice {

	/** Option: Unix time the current outage began (absent: no outage). */
	public const OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_OUTAGE;

	/**
	 * The settings (the From address).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings.
	 *
	 * @param Settings_Store $settings The settings (the From address).
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * `smtp_port_helper_mail_queued`: a message waits; an outage begins unless only a recipient
	 * was deferred.
	 *
	 * @param mixed $id         Outbox id.
	 * @param mixed $recipients Recipients it waits for.
	 * @param mixed $failure    Why it waits: stage, code, error.
	 */
	public static function mail_queued( $id, $recipients, $failure ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed
		// Mail held for the sending limit, or throttled, waits for its time: that is no outage.
		if ( is_array( $failure ) && 'rcpt' !== ( $failure['stage'] ?? '' ) && ! ( isset( $failure['stage'], $failure['code'], $failure['error'] ) && Outbox_Pacing::concerns( $failure ) ) ) {
			self::begin( time() );
		}
	}

	/**
	 * Records that an outage began (a run found no port that answers), unless one is open.
	 *
	 * @param int $since Unix time.
	 */
	public static function begin( int $since ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- INSERT IGNORE: an open outage keeps its start.
		$wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'off')", self::OPTION, (string) $since ) );
		wp_cache_delete( self::OPTION, 'options' );
		wp_cache_delete( 'notoptions', 'options' );
	}

	/**
	 * Ends the open outage for this caller only: its start, or null when none is open or another
	 * runner ended it first.
	 */
	public function claim(): ?int {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- the claim is the one DELETE that removes the row.
		$since = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::OPTION ) );
		if ( null === $since ) {
			return null;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$deleted = $wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name = %s AND option_value = %s", self::OPTION, $since ) );
		wp_cache_delete( self::OPTION, 'options' );
		wp_cache_delete( 'notoptions', 'options' );
		return 1 === $deleted ? (int) $since : null;
	}

	/**
	 * The notice: envelope and the complete message as DATA takes it.
	 *
	 * @param int                                                         $since  When the outage began.
	 * @param array{delivered: int, waiting: int, failed: int, held: int} $stats  This run's counts.
	 * @param array<string, int>                                          $counts What the outbox holds now, per status.
	 * @return array{from: string, recipients: list<string>, data: string}|null Null when no admin address is set.
	 */
	public function message( int $since, array $stats, array $counts ): ?array {
		$to = (string) get_option( 'admin_email' );
		if ( ! is_email( $to ) ) {
			return null;
		}
		$settings = $this->settings->get();
		// As wp_mail() sends (Mailer_Hook): the From setting, else the login's mailbox, else WordPress's default.
		$from   = From_Address::for_settings( $settings, $this->login_mailbox() )['email'];
		$site   = wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		$format = (string) get_option( 'date_format' ) . ' ' . (string) get_option( 'time_format' );
		$body   = sprintf(
			/* translators: 1: site name, 2: SMTP host name, 3: date and time the first message waited */
			__( 'WordPress at %1$s could not hand email to the SMTP server %2$s for a while: mail has waited in the outbox since %3$s.', 'smtp-port-helper' ),
			$site,
			$settings->host,
			(string) wp_date( $format, $since )
		) . "\n\n" . sprintf(
			/* translators: 1: messages delivered late in this run, 2: messages still waiting, 3: messages that failed */
			__( 'Delivery works again. Delivered late just now: %1$d. Still waiting: %2$d. Failed for good: %3$d.', 'smtp-port-helper' ),
			$stats['delivered'],
			( $counts[ Outbox::QUEUED ] ?? 0 ) + ( $counts[ Outbox::HELD ] ?? 0 ),
			$counts[ Outbox::FAILED ] ?? 0
		) . "\n\n" . sprintf(
			/* translators: %s: address of the plugin's settings page */
			__( 'The outbox: %s', 'smtp-port-helper' ),
			admin_url( 'options-general.php?page=smtp-port-helper' )
		) . "\n\n" . __( 'SMTP Port Helper sends this notice once per outage.', 'smtp-port-helper' ) . "\n";

		Phpmailer_Classes::load();
		$mail = new PHPMailer( true );
		// What wp_mail() sets too: WordPress's rules for an address (e.g. wordpress@ a local host name).
		PHPMailer::$validator = static fn( $email ): bool => (bool) is_email( $email );
		try {
			$mail->isSMTP(); // The SMTP header set: To and Subject in the message itself.
			$mail->CharSet = PHPMailer::CHARSET_UTF8; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
			$mail->setFrom( $from, '' !== $settings->from_name ? $settings->from_name : 'WordPress', false );
			$mail->addAddress( $to );
			$mail->Subject = sprintf( /* translators: %s: site name */ __( '[%s] Email is delivered again', 'smtp-port-helper' ), $site ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$mail->Body    = $body; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$mail->preSend();
		} catch ( PHPMailer_Exception $error ) {
			return null;
		}
		return array(
			'from'       => $from,
			'recipients' => array( $to ),
			'data'       => $mail->getSentMIMEMessage(),
		);
	}

	/**
	 * The mailbox the login uses: the OAuth sign-in's, or a password login's user name; '' without.
	 */
	private function login_mailbox(): string {
		$settings = $this->settings->get();
		if ( $settings->uses_oauth() ) {
			return Token_Store::mailbox( $settings, ( new OAuth_Connection( $this->settings ) )->tokens()->connection( $settings )['account'] );
		}
		return From_Address::password_login( $settings );
	}

}
