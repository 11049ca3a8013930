<?php
/**
 * Why mail is held when a provider's HTTPS API refused it (401/403), in the words of the
 * transport in use.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * An HTTPS API holds the outbox on `401` (the key or the sign-in refused) and `403` (accepted, but
 * without the permission to send) — never "the SMTP user name or password", which a site sending
 * over an API does not use. An API key transport points to its key; Microsoft Graph and the
 * Gmail API, which sign in with OAuth 2.0, point to "Connect". The Outbox view and Site Health
 * both take their words from here.
 */
final class Api_Refusal {

	/** The stage of a failure an HTTPS API answered. */
	public const STAGE = Send_Failure::STAGE_API;

	/**
	 * The provider.
	 *
	 * @var Api_Provider
	 */
	private Api_Provider $provider;

	/**
	 * Whether the transport signs in with OAuth 2.0 instead of a key.
	 *
	 * @var bool
	 */
	private bool $signs_in;

	/**
	 * Whether the refusal is a missing permission (403), not a refused key or sign-in (401).
	 *
	 * @var bool
	 */
	private bool $permission;

	/**
	 * Takes the transport and what it answered.
	 *
	 * @param Api_Provider $provider   The provider.
	 * @param bool         $signs_in   Whether it signs in with OAuth 2.0.
	 * @param bool         $permission A missing permission (403).
	 */
	private function __construct( Api_Provider $provider, bool $signs_in, bool $permission ) {
		$this->provider   = $provider;
		$this->signs_in   = $signs_in;
		$this->permission = $permission;
	}

	/**
	 * The refusal of a held message's last attempt, or null when it was not an API's 401/403 or
	 * the transport in use is not an API.
	 *
	 * @param string $stage        Where the last attempt failed.
	 * @param int    $code         Its code (the HTTP status for stage `api`).
	 * @param string $transport_id The transport in use.
	 */
	public static function of( string $stage, int $code, string $transport_id ): ?self {
		$provider = Transport_Registry::provider( $transport_id );
		if ( null === $provider ) {
			return null;
		}
		$kind = ( new Send_Failure( $stage, $code, '' ) )->kind();
		if ( self::STAGE !== $stage || ! in_array( $kind, array( Send_Failure::LOGIN_REFUSED, Send_Failure::PERMISSION ), true ) ) {
			return null;
		}
		$signs_in = null !== Transport_Registry::oauth_class( $transport_id );
		return new self( $provider, $signs_in, Send_Failure::PERMISSION === $kind );
	}

	/**
	 * Why the port test's row of an API failed, in plain words: a refused key or sign-in, or a
	 * missing permission, in the transport's terms (the row's detail starts with the HTTP status,
	 * Https_Api_Transport::error_text()); anything else as the port test's verdict says it.
	 *
	 * @param Port_Result $row          The row (port 443).
	 * @param string      $transport_id The transport it tested.
	 */
	public static function why_row_fails( Port_Result $row, string $transport_id ): string {
		if ( Verdict::AUTH_UNAVAILABLE === $row->verdict ) {
			return $row->verdict_detail;
		}
		$refusal = Verdict::AUTH_FAILED === $row->verdict && preg_match( '/^HTTP (\d{3})\b/', $row->verdict_detail, $status )
			? self::of( self::STAGE, (int) $status[1], $transport_id )
			: null;
		if ( null === $refusal ) {
			return Verdict::message( $row );
		}
		/* translators: 1: the API's answer, e.g. HTTP 401: Forbidden, 2: what it means and what to do */
		return sprintf( __( 'The API answered "%1$s". %2$s', 'smtp-port-helper' ), $row->verdict_detail, $refusal->cause() );
	}

	/**
	 * A short label: what was refused.
	 */
	public function label(): string {
		if ( $this->permission ) {
			/* translators: %s: provider, e.g. SendGrid */
			return sprintf( __( 'Email is held: %s refused the permission to send', 'smtp-port-helper' ), $this->provider->label );
		}
		return $this->signs_in
			/* translators: %s: provider, e.g. Microsoft 365 (Graph API) */
			? sprintf( __( 'Email is held: %s refused the sign-in of the mailbox', 'smtp-port-helper' ), $this->provider->label )
			/* translators: %s: provider, e.g. SendGrid */
			: sprintf( __( 'Email is held: %s refused the API key', 'smtp-port-helper' ), $this->provider->label );
	}

	/**
	 * What was refused and what to do, for one message (the Outbox view).
	 */
	public function explanation(): string {
		return $this->cause() . ' ' . __( 'Waiting mail is held until then; then it is sent at once.', 'smtp-port-helper' );
	}

	/**
	 * What was refused and what to do, for the messages waiting (Site Health).
	 *
	 * @param int $count Messages held or waiting behind them.
	 */
	public function description( int $count ): string {
		return $this->cause() . ' ' . sprintf(
			/* translators: %d: number of messages */
			_n( '%d message waits in the outbox until then; it is sent at once.', '%d messages wait in the outbox until then; they are sent at once.', $count, 'smtp-port-helper' ),
			$count
		);
	}

	/**
	 * The refusal and the fix, in the transport's terms.
	 */
	public function cause(): string {
		$label = $this->provider->label;
		if ( $this->permission && $this->signs_in ) {
			/* translators: %s: provider, e.g. Microsoft 365 (Graph API) */
			return sprintf( __( '%s accepted the sign-in but refused to send for this mailbox: a permission is missing (Microsoft Graph: Mail.Send, for a shared mailbox Mail.Send.Shared and "Send As" on it; Gmail: the Gmail API enabled in the Google Cloud project). Grant it, then click "Connect" in the settings and sign in again.', 'smtp-port-helper' ), $label );
		}
		if ( $this->permission ) {
			/* translators: %s: provider, e.g. SendGrid */
			return sprintf( __( '%s accepted the API key but refused to send with it: the key lacks the permission to send (for example SendGrid\'s "Mail Send", a Mailgun key of another domain, an Amazon SES policy without ses:SendRawEmail). Give the key that permission, or save a key that has it, in the settings.', 'smtp-port-helper' ), $label );
		}
		if ( $this->signs_in ) {
			/* translators: %s: provider, e.g. Microsoft 365 (Graph API) */
			return sprintf( __( '%s refused the sign-in of the mailbox (OAuth 2.0). Click "Connect" in the settings and sign in again.', 'smtp-port-helper' ), $label );
		}
		/* translators: %s: provider, e.g. SendGrid */
		return sprintf( __( '%s refused the API key (wrong, revoked or for another account or region). Save a valid API key in the settings.', 'smtp-port-helper' ), $label );
	}
}
