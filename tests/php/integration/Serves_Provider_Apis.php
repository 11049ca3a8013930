<?php
/**
 * For integration tests of the HTTPS API transports: the local provider servers (env/providers/),
 * started once per class, and a provider's transport registered with its API address moved to
 * its local server.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/Provider_Api_Servers.php';
require_once __DIR__ . '/support/Local_Endpoint_Transport.php';

/**
 * Used by an Integration_Test_Case; its tearDown() calls stop_serving_locally().
 */
trait Serves_Provider_Apis {

	private static ?Provider_Api_Servers $servers = null;

	/** @var list<callable> The registrations serve_locally() added. */
	private array $local_transports = array();

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$servers = new Provider_Api_Servers();
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
		}
		parent::tearDownAfterClass();
	}

	/**
	 * The transport of a provider, built as the settings, wp_mail() and the outbox build it, on
	 * its local server (filter `smtp_port_helper_api_transports`).
	 *
	 * @param string $id    Transport id.
	 * @param string $class The provider's transport class.
	 */
	private function serve_locally( string $id, string $class ): void {
		Local_Endpoint_Transport::$class    = $class;
		Local_Endpoint_Transport::$base_url = self::$servers->base_url( $id );
		$register                           = static function ( array $classes ) use ( $id ): array {
			$classes[ $id ] = Local_Endpoint_Transport::class;
			return $classes;
		};
		add_filter( 'smtp_port_helper_api_transports', $register );
		$this->local_transports[] = $register;
	}

	private function stop_serving_locally(): void {
		foreach ( $this->local_transports as $register ) {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
		$this->local_transports = array();
	}
}
