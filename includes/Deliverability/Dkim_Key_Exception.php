<?php
/**
 * Why no DKIM key could be made or stored.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A message a person can act on, and a code for REST and WP-CLI.
 */
final class Dkim_Key_Exception extends \RuntimeException {

	/**
	 * What went wrong, as a code: key_unsafe, no_openssl, openssl_failed, not_stored.
	 *
	 * @var string
	 */
	public string $reason;

	/**
	 * Takes the message and the code.
	 *
	 * @param string $message Plain words.
	 * @param string $reason  Code.
	 */
	public function __construct( string $message, string $reason ) {
		parent::__construct( $message );
		$this->reason = $reason;
	}
}
