<?php
/**
 * A real provider transport with its API address moved to a local test server.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;

/**
 * Registered through `smtp_port_helper_api_transports` under the provider's own id, it gives
 * the provider's row with every region's address replaced by the local server's (so the settings,
 * the sealed key's binding and Transport_Factory work as for the real address) and delegates
 * everything else to the provider's class unchanged.
 */
final class Local_Endpoint_Transport implements Api_Transport {

	/**
	 * The provider's class.
	 *
	 * @var class-string<Api_Transport>
	 */
	public static string $class = '';

	public static string $base_url = '';

	/**
	 * SMTP hosts that stand for the provider's (e.g. `localhost`, where the stack's SMTP servers
	 * listen); empty keeps the provider's own.
	 *
	 * @var list<string>
	 */
	public static array $smtp_hosts = array();

	private Api_Transport $inner;

	public function __construct( Api_Credentials $credentials, Https_Client $client ) {
		$this->inner = new self::$class( $credentials, $client );
	}

	public static function provider(): Api_Provider {
		$real = ( self::$class )::provider();
		return new Api_Provider( $real->id, $real->label, array_fill_keys( array_keys( $real->regions ), self::$base_url ), array() !== self::$smtp_hosts ? self::$smtp_hosts : $real->smtp_hosts, $real->account_label, $real->idempotent );
	}

	public function id(): string {
		return $this->inner->id();
	}

	public function test( Deadline $deadline ): Port_Result {
		return $this->inner->test( $deadline );
	}

	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome {
		return $this->inner->send( $message, $deadline );
	}

	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure {
		return $this->inner->classify( $stage, $code, $detail, $headers );
	}

	public function close(): void {
		$this->inner->close();
	}
}
