<?php
/**
 * The Gmail API transport with its API address moved to the local Gmail server.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Providers\Gmail_Transport;

/**
 * Registered through `smtp_port_helper_api_transports` under `gmail`, so the settings,
 * Transport_Factory, wp_mail() and the outbox build it as they build the real one; only the base
 * URL is the local server's.
 */
final class Local_Gmail_Transport extends Gmail_Transport {

	/**
	 * The local server's base URL.
	 *
	 * @var string
	 */
	public static string $base_url = '';

	/**
	 * Gmail's row with the local address.
	 */
	public static function provider(): Api_Provider {
		$real = parent::provider();
		return new Api_Provider( $real->id, $real->label, array( '' => self::$base_url ), $real->smtp_hosts, $real->account_label, $real->idempotent );
	}
}
