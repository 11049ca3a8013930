<?php
/**
 * Cross-checks of engine verdicts against swaks.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';
require_once __DIR__ . '/support/Swaks.php';

/**
 * Where the engine says ok, swaks completes TLS and AUTH (exit 0); where it reports a TLS or
 * AUTH problem, swaks fails with its TLS (29) or AUTH (28) exit code.
 *
 * @group network
 */
class Swaks_Cross_Check_Test extends Probe_Test_Case {

	/**
	 * Servers needed.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'real', 'expired', 'hostile' );
	}

	/**
	 * Skips without swaks.
	 */
	protected function setUp(): void {
		if ( ! is_executable( '/usr/bin/swaks' ) ) {
			$this->markTestSkipped( 'swaks is not installed' );
		}
	}

	/**
	 * Runs swaks up to AUTH and returns its exit code.
	 *
	 * @param int      $port  Port.
	 * @param string[] $extra Extra arguments.
	 * @return int
	 */
	private function swaks( int $port, array $extra ): int {
		return Swaks::run(
			array_merge(
				array( '--server', '127.0.0.1', '--port', (string) $port, '--quit-after', 'AUTH', '--timeout', '5', '--to', 'someone@example.com', '--from', 'test@example.com', '--helo', 'probe.test' ),
				$extra
			)
		);
	}

	/**
	 * Cases: role, engine options, swaks arguments, expected verdict, expected swaks exit code.
	 *
	 * @return array<string, array{0: string, 1: array<string, mixed>, 2: string[], 3: string, 4: int}>
	 */
	public function cases(): array {
		$auth   = array( '--auth-user', 'test', '--auth-password', 'secret' );
		$verify = array( '--tls-verify', '--tls-ca-path', '{CA}' );
		return array(
			'starttls ok'       => array( 'good_starttls', array(), array_merge( array( '-tls' ), $verify, $auth ), Verdict::OK, 0 ),
			'implicit ok'       => array( 'good_implicit', array(), array_merge( array( '--tls-on-connect' ), $verify, $auth ), Verdict::OK, 0 ),
			'no starttls'       => array( 'no_starttls', array(), array_merge( array( '-tls' ), $auth ), Verdict::STARTTLS_MISSING, 29 ),
			'starttls refused'  => array( 'starttls_refuse', array(), array_merge( array( '-tls' ), $auth ), Verdict::TLS_FAILED, 29 ),
			'expired cert'      => array( 'expired_starttls', array(), array_merge( array( '-tls' ), $verify, $auth ), Verdict::CERT_INVALID, 29 ),
			'wrong password'    => array( 'good_starttls', array( 'password' => 'nope' ), array( '-tls', '--auth-user', 'test', '--auth-password', 'nope' ), Verdict::AUTH_FAILED, 28 ),
		);
	}

	/**
	 * Engine and swaks agree.
	 *
	 * @dataProvider cases
	 * @param string               $role    Server.
	 * @param array<string, mixed> $options Engine options.
	 * @param string[]             $args    Swaks arguments.
	 * @param string               $verdict Expected verdict.
	 * @param int                  $exit    Expected swaks exit code.
	 */
	public function test_engine_agrees_with_swaks( string $role, array $options, array $args, string $verdict, int $exit ): void {
		$report = $this->probe( array( $role ), $options + array( 'username' => 'test', 'password' => 'secret' ) );
		$this->assertVerdict( $verdict, $report->results[0] );
		$args = str_replace( '{CA}', self::$servers->certs->ca_file, $args );
		$this->assertSame( $exit, $this->swaks( self::port( $role ), $args ) );
	}
}
