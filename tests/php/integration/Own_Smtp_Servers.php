<?php
/**
 * SMTP servers of a test's own: the real smtp-server (env/smtp/servers.js, through its watchdog)
 * on free loopback ports with the stack's trusted certificate, STARTTLS on every port, and a user
 * name and password the stack's servers do not know. A test that counts received mail or needs a
 * port to be closed uses these instead of the stack's shared servers, so the WordPress suites can
 * run it beside each other (Suite_Lock): nothing another suite sends arrives here, and nothing
 * here is restarted under another suite.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';
require_once __DIR__ . '/Smtp_Mailbox.php';

final class Own_Smtp_Servers {

	/** @var list<int> The listening ports, in the order asked for. */
	public array $ports;

	private Server_Process $process;

	private string $dir;

	/**
	 * Starts one server process listening on `$count` free ports and waits until all listen.
	 *
	 * @param string    $user            The only user name accepted.
	 * @param string    $password        Its password.
	 * @param int       $count           How many ports.
	 * @param list<int> $refusing_logins Indexes of ports that refuse every login (535).
	 */
	public function __construct( string $user, string $password, int $count, array $refusing_logins = array() ) {
		$this->ports = array_values( Server_Process::free_ports( $count ) );
		$this->dir   = sys_get_temp_dir() . '/sph-own-smtp-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		$cert_dir    = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		$refusing    = array_map( fn( int $index ): int => $this->ports[ $index ], $refusing_logins );

		$this->process = new Server_Process();
		$this->process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/smtp-server-watchdog.js', $this->dir . '/mails' ),
			array(
				'SMTP_PORTS'               => implode( ',', $this->ports ),
				'SMTP_TLS_PORTS'           => '1',
				'SMTP_RELAY_PORT'          => '1',
				'SMTP_LOGIN_REFUSED_PORTS' => implode( ',', $refusing ),
				'SMTP_CERT_DIR'            => $cert_dir,
				'SMTP_HOST'                => '127.0.0.1',
				'SMTP_USER'                => $user,
				'SMTP_PASS'                => $password,
				'WATCHDOG_SECONDS'         => '300',
			),
			$count,
			$this->dir . '.log'
		);
	}

	/** The messages these servers received. */
	public function mailbox(): Smtp_Mailbox {
		// The servers' JSON event lines would fill the pipe and block them in a long class.
		$this->process->drain();
		return new Smtp_Mailbox( $this->dir . '/mails' );
	}

	/** Stops the servers and removes what they wrote. */
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
