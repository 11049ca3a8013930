<?php
/**
 * A "g-like" mail provider that allows login only on some ports: the real smtp-server
 * (env/smtp/servers.js, through its watchdog) on two free loopback ports with the stack's
 * trusted certificate, where the first port (in the role of 587) refuses every login and the
 * second (in the role of 2525) accepts its own user name and password, which the stack's
 * servers do not know.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/Own_Smtp_Servers.php';

final class G_Like_Server {

	public const USER     = 'zoo';
	public const PASSWORD = 'g-like-pass-9';

	private Own_Smtp_Servers $servers;

	/** The port that refuses the login. */
	public int $refusing;

	/** The port that accepts it. */
	public int $accepting;

	public function __construct() {
		$this->servers                            = new Own_Smtp_Servers( self::USER, self::PASSWORD, 2, array( 0 ) );
		list( $this->refusing, $this->accepting ) = $this->servers->ports;
	}

	public function stop(): void {
		$this->servers->stop();
	}
}
