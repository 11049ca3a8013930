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

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

final class G_Like_Server {

	public const USER     = 'zoo';
	public const PASSWORD = 'g-like-pass-9';

	private Server_Process $process;

	private string $dir;

	/** The port that refuses the login. */
	public int $refusing;

	/** The port that accepts it. */
	public int $accepting;

	public function __construct() {
		list( $this->refusing, $this->accepting ) = Server_Process::free_ports( 2 );
		$this->dir     = sys_get_temp_dir() . '/sph-g-like-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		$cert_dir      = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		$this->process = new Server_Process();
		$this->process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/smtp-server-watchdog.js', $this->dir . '/mails' ),
			array(
				'SMTP_PORTS'               => $this->refusing . ',' . $this->accepting,
				'SMTP_TLS_PORTS'           => '1',
				'SMTP_RELAY_PORT'          => '1',
				'SMTP_LOGIN_REFUSED_PORTS' => (string) $this->refusing,
				'SMTP_CERT_DIR'            => $cert_dir,
				'SMTP_HOST'                => '127.0.0.1',
				'SMTP_USER'                => self::USER,
				'SMTP_PASS'                => self::PASSWORD,
				'WATCHDOG_SECONDS'         => '120',
			),
			2,
			$this->dir . '.log'
		);
	}

	public function stop(): void {
		$this->process->stop();
		foreach ( (array) glob( $this->dir . '/mails/*' ) as $file ) {
			@unlink( (string) $file ); // phpcs:ignore
		}
		@rmdir( $this->dir . '/mails' ); // phpcs:ignore
		@rmdir( $this->dir ); // phpcs:ignore
		@unlink( $this->dir . '.log' ); // phpcs:ignore
	}
}
