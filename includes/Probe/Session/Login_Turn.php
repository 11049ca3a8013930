<?php
/**
 * The one login of a port whose host is probed over IPv4 and IPv6 at once.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Shared by the two family sessions of one port: the first to reach the login (after TLS and
 * EHLO) takes it, the other checks the connection and TLS only. A wrong password then reaches
 * the server's AUTH once per port, not once per address family — each failed login counts
 * toward a provider's lockout and a fail2ban ban of the web server's address.
 */
final class Login_Turn {

	/**
	 * The family that logs in ('' until one does).
	 *
	 * @var string
	 */
	private string $holder = '';

	/**
	 * Takes the login for a family: true for the first family to ask (and again for it), false for the other.
	 *
	 * @param string $family Address_Family::IPV4 or IPV6.
	 */
	public function claim( string $family ): bool {
		if ( '' === $this->holder ) {
			$this->holder = $family;
		}
		return $this->holder === $family;
	}

	/**
	 * The family that logs in, or ''.
	 */
	public function holder(): string {
		return $this->holder;
	}
}
