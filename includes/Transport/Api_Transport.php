<?php
/**
 * A transport over a provider's HTTPS API: the seam plus what describes its provider.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Implementations are built by Transport_Registry as
 * `new Class( Api_Credentials $credentials, Https\Https_Client $client )`; most extend
 * Https\Https_Api_Transport and write only the requests and their provider's error answers.
 */
interface Api_Transport extends Transport {

	/**
	 * The provider: id, name, API addresses per region, SMTP hosts, what the key is.
	 */
	public static function provider(): Api_Provider;
}
