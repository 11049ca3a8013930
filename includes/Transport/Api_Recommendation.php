<?php
/**
 * Adds the provider's HTTPS API to the port test's recommendation.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The order stays 587 → 2525 → 465 (Probe\Recommender); the HTTPS API comes next: it is
 * recommended when none of the SMTP ports works, or when the provider refuses SMTP logins
 * for the mailbox (Microsoft 365's 5.7.139 "SMTP AUTH is disabled" and 5.7.30 "basic
 * authentication is not supported"), and its row shows the API usable. Never port 25. It names
 * the region whose API the row tested (the SMTP host's: smtp.eu.mailgun.org tests Mailgun's EU
 * API), so applying it sends where the test went.
 *
 * @phpstan-type Recommendation array{port: int, encryption: string, reason: string, family: string, transport?: string, api_region?: string, key_needed?: bool}
 */
final class Api_Recommendation {

	/** The refusals that mean "this provider takes no SMTP login here, whatever the port". */
	private const SMTP_LOGIN_SWITCHED_OFF = '/\b5\.7\.(?:139|30)\b/';

	/**
	 * The recommendation with the API considered.
	 *
	 * @param array{port: int, encryption: string, reason: string, family: string}|null $smtp    What Recommender chose among the SMTP ports.
	 * @param Port_Result[]                                                             $results The SMTP ports' results.
	 * @param Api_Row|null                                                              $row     The API row, or null when the host's provider has none.
	 * @return Recommendation|null
	 */
	public static function choose( ?array $smtp, array $results, ?Api_Row $row ): ?array {
		if ( null === $row || ! $row->usable() ) {
			return $smtp;
		}
		$refusal = self::login_switched_off( $results );
		if ( null !== $smtp && '' === $refusal ) {
			return $smtp;
		}
		$why = '' !== $refusal
			? sprintf(
				/* translators: 1: provider name, 2: the status code of the refusal, e.g. 5.7.139 */
				__( '%1$s refuses SMTP logins for this mailbox (%2$s), on every port.', 'smtp-port-helper' ),
				$row->provider->label,
				$refusal
			)
			: sprintf(
				/* translators: %s: the SMTP ports tested, e.g. "587, 2525, 465" */
				__( 'No SMTP port works from this server (tested: %s).', 'smtp-port-helper' ),
				implode( ', ', self::tested_ports( $results ) )
			);
		$use = sprintf(
			/* translators: %s: provider name, e.g. SendGrid */
			__( 'Send over %s\'s HTTPS API instead: it uses port 443, the port of every secure web request, which web hosts do not block, and it works from this server with verified encryption.', 'smtp-port-helper' ),
			$row->provider->label
		);
		$key = $row->key_saved
			? ( $row->signs_in() ? __( 'The site\'s sign-in was accepted.', 'smtp-port-helper' ) : __( 'The saved API key was accepted.', 'smtp-port-helper' ) )
			: self::what_to_enter( $row );
		return array(
			'port'       => $row->result->port,
			'encryption' => Encryption::IMPLICIT_TLS,
			'reason'     => $why . ' ' . $use . ' ' . $key,
			'family'     => '',
			'transport'  => $row->provider->id,
			'api_region' => $row->region,
			'key_needed' => ! $row->key_saved,
		);
	}

	/**
	 * The status code of a refusal that switches SMTP logins off for the mailbox, or ''.
	 *
	 * @param Port_Result[] $results The SMTP ports' results.
	 */
	private static function login_switched_off( array $results ): string {
		foreach ( $results as $result ) {
			if ( Verdict::AUTH_FAILED === $result->verdict && preg_match( self::SMTP_LOGIN_SWITCHED_OFF, $result->verdict_detail, $match ) ) {
				return $match[0];
			}
		}
		return '';
	}

	/**
	 * The submission ports tested (never 25), in the order tested.
	 *
	 * @param Port_Result[] $results The SMTP ports' results.
	 * @return list<int>
	 */
	private static function tested_ports( array $results ): array {
		$ports = array();
		foreach ( $results as $result ) {
			if ( Submission_Ports::RELAY !== $result->port ) {
				$ports[] = $result->port;
			}
		}
		return $ports;
	}

	/**
	 * What the administrator enters after applying the API.
	 *
	 * @param Api_Row $row The API row.
	 */
	private static function what_to_enter( Api_Row $row ): string {
		$provider = $row->provider;
		if ( $row->signs_in() ) {
			return sprintf(
				/* translators: %s: provider name, e.g. Microsoft Graph */
				__( 'Save the settings with %s, then sign in with the “Connect” button: this API asks for its own permission to send, not the SMTP one.', 'smtp-port-helper' ),
				$provider->label
			);
		}
		if ( '' !== $provider->account_label ) {
			return sprintf(
				/* translators: 1: provider name, 2: what the account field holds, e.g. "sending domain" */
				__( 'Enter the %1$s API key and the field “%2$s”, then save the settings.', 'smtp-port-helper' ),
				$provider->label,
				$provider->account_label
			);
		}
		return sprintf(
			/* translators: %s: provider name */
			__( 'Enter the %s API key, then save the settings.', 'smtp-port-helper' ),
			$provider->label
		);
	}
}
