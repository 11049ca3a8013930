<?php
/**
 * One SMTP AUTH exchange (PLAIN or LOGIN).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Xoauth2;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Picks PLAIN (RFC 4616) or else LOGIN from the mechanisms offered after TLS, gives the command
 * that starts the exchange and the answer to each 334 challenge. Lines hold credentials: they
 * go to the socket only, never to a stage or a log.
 */
final class Auth_Exchange {

	const PLAIN      = 'plain';
	const LOGIN      = 'login';
	const LOGIN_USER = 'login_user';
	const LOGIN_PASS = 'login_pass';
	const XOAUTH2    = 'xoauth2';
	// The server answered XOAUTH2 with a 334 error (JSON); the client sends an empty line and reads 535.
	const XOAUTH2_ERROR = 'xoauth2_error';

	/**
	 * Step: one of the constants.
	 *
	 * @var string
	 */
	private string $step;

	/**
	 * User name.
	 *
	 * @var string
	 */
	private string $username;

	/**
	 * Password.
	 *
	 * @var string
	 */
	private string $password;

	/**
	 * Constructor.
	 *
	 * @param string $step     PLAIN or LOGIN.
	 * @param string $username User name.
	 * @param string $password Password.
	 */
	private function __construct( string $step, string $username, string $password ) {
		$this->step     = $step;
		$this->username = $username;
		$this->password = $password;
	}

	/**
	 * An exchange with the best mechanism offered, or null when neither PLAIN nor LOGIN is.
	 *
	 * @param string[] $mechanisms Mechanisms offered.
	 * @param string   $username   User name.
	 * @param string   $password   Password.
	 * @return self|null
	 */
	public static function choose( array $mechanisms, string $username, string $password ): ?self {
		if ( in_array( 'PLAIN', $mechanisms, true ) ) {
			return new self( self::PLAIN, $username, $password );
		}
		if ( in_array( 'LOGIN', $mechanisms, true ) ) {
			return new self( self::LOGIN, $username, $password );
		}
		return null;
	}

	/**
	 * XOAUTH2 with an OAuth 2.0 access token when the server offers it; null otherwise.
	 *
	 * @param string[] $mechanisms Offered mechanisms (upper case).
	 * @param string   $user       Mailbox.
	 * @param string   $token      Access token.
	 */
	public static function choose_xoauth2( array $mechanisms, string $user, string $token ): ?self {
		return in_array( 'XOAUTH2', $mechanisms, true ) ? new self( self::XOAUTH2, $user, $token ) : null;
	}

	/**
	 * The command that starts the exchange.
	 *
	 * @return string
	 */
	public function first_command(): string {
		if ( self::XOAUTH2 === $this->step ) {
			return 'AUTH XOAUTH2 ' . Xoauth2::initial_response( $this->username, $this->password );
		}
		if ( self::PLAIN === $this->step ) {
			return 'AUTH PLAIN ' . base64_encode( "\0" . $this->username . "\0" . $this->password ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH PLAIN is base64 (RFC 4616).
		}
		return 'AUTH LOGIN';
	}

	/**
	 * The answer to a 334 challenge: the user name, then the password (LOGIN), or '*' to cancel
	 * an unexpected challenge.
	 *
	 * @return string
	 */
	public function answer_challenge(): string {
		if ( self::XOAUTH2 === $this->step ) {
			// RFC 7628 §3.2.3 style: the 334 carries an error; an empty line ends the exchange.
			$this->step = self::XOAUTH2_ERROR;
			return '';
		}
		if ( self::LOGIN === $this->step ) {
			$this->step = self::LOGIN_USER;
			return base64_encode( $this->username ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH LOGIN sends the user name base64-encoded.
		}
		if ( self::LOGIN_USER === $this->step ) {
			$this->step = self::LOGIN_PASS;
			return base64_encode( $this->password ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH LOGIN sends the password base64-encoded.
		}
		return '*';
	}

	/**
	 * Mechanism name for the report.
	 *
	 * @return string
	 */
	public function mechanism(): string {
		if ( self::XOAUTH2 === $this->step || self::XOAUTH2_ERROR === $this->step ) {
			return 'XOAUTH2';
		}
		return self::PLAIN === $this->step ? 'PLAIN' : 'LOGIN';
	}
}
