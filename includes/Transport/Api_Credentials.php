<?php
/**
 * The key, account and address an API transport sends with (opened for one request, never shown).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Built from the settings (the sealed key opened for the provider's address only) or the
 * wp-config constants; a transport reads it and never stores or prints the key.
 */
final class Api_Credentials {

	/**
	 * The API key (or token, or secret access key).
	 *
	 * @var string
	 */
	public string $key;

	/**
	 * The account field (Api_Provider::$account_label), or ''.
	 *
	 * @var string
	 */
	public string $account;

	/**
	 * The region chosen, or ''.
	 *
	 * @var string
	 */
	public string $region;

	/**
	 * The API's base URL (https://, no trailing slash).
	 *
	 * @var string
	 */
	public string $base_url;

	/**
	 * Takes the parts.
	 *
	 * @param string $key      The key.
	 * @param string $account  The account field.
	 * @param string $region   The region.
	 * @param string $base_url The base URL.
	 */
	public function __construct( string $key, string $account, string $region, string $base_url ) {
		$this->key      = $key;
		$this->account  = $account;
		$this->region   = $region;
		$this->base_url = rtrim( $base_url, '/' );
	}

	/**
	 * Never prints the key (a var_dump or a log of an exception's arguments).
	 *
	 * @return array<string, string>
	 */
	public function __debugInfo(): array {
		return array(
			'account'  => $this->account,
			'region'   => $this->region,
			'base_url' => $this->base_url,
		);
	}
}
