<?php
/**
 * The real name server (NSD, Test_Name_Server) for integration tests of the DNS checks.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Resolver_Config;

require_once __DIR__ . '/Test_Name_Server.php';

/**
 * Starts the name server once per class (a failed start fails each test, a missing NSD skips it)
 * and points the domain check's resolver at it for each test.
 */
trait Uses_Test_Name_Server {

	/**
	 * '' when the name server runs; why not otherwise ("FAILED …" fails, anything else skips).
	 *
	 * @var string
	 */
	private static string $name_server_problem = '';

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$name_server_problem = Test_Name_Server::start();
	}

	protected function setUp(): void {
		parent::setUp();
		if ( 0 === strpos( self::$name_server_problem, 'FAILED' ) ) {
			$this->fail( self::$name_server_problem );
		}
		if ( '' !== self::$name_server_problem ) {
			$this->markTestSkipped( self::$name_server_problem );
		}
		add_filter( 'smtp_port_helper_domain_check_resolver', array( self::class, 'name_server_resolver' ) );
		rest_get_server();
	}

	protected function tearDown(): void {
		remove_filter( 'smtp_port_helper_domain_check_resolver', array( self::class, 'name_server_resolver' ) );
		parent::tearDown();
	}

	public static function name_server_resolver(): Dns_Resolver {
		return new Dns_Resolver( new Resolver_Config( '/etc/hosts', Test_Name_Server::resolv_conf() ), Test_Name_Server::port() );
	}
}
