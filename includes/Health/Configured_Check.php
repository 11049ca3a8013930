<?php
/**
 * Site Health: is sending through an SMTP server configured?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || exit;

/**
 * A direct test "SMTP sending is configured": the server is set and enabled, and its password
 * can be read when a login is on.
 */
final class Configured_Check {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings model.
	 *
	 * @param Settings_Store $settings The settings model.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks Site Health.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
	}

	/**
	 * Adds the test to Site Health → Status.
	 *
	 * @param mixed $tests Site Health tests: an array, unless another plugin's filter broke it.
	 * @return array<mixed>
	 */
	public function add_test( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();

		$tests['direct']['smtp_port_helper_configured'] = array(
			'label' => __( 'SMTP sending is configured', 'smtp-port-helper' ),
			'test'  => array( $this, 'test' ),
		);
		return $tests;
	}

	/**
	 * Direct test: is the SMTP server set, enabled, and is its password readable?
	 *
	 * @return array<string, mixed>
	 */
	public function test(): array {
		$settings = $this->settings->get();
		$result   = Check_Result::of( 'smtp_port_helper_configured', 'good', __( 'SMTP sending is configured', 'smtp-port-helper' ), '' );
		if ( '' === $settings->host || ! $settings->enabled ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'WordPress does not send email through an SMTP server', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Without an SMTP server, WordPress hands email to the web server\'s mail program, and many messages (password resets, orders, forms) end up in spam or are lost. Set up your email provider\'s SMTP server.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		$provider = Transport_Registry::provider( $settings->transport );
		if ( null !== $provider ) {
			return $this->api_configured( $result, $provider->label );
		}
		if ( $settings->auth && ! $settings->uses_oauth() && $this->settings->password_unreadable() ) {
			$result['status']      = 'critical';
			$result['label']       = __( 'The saved SMTP password cannot be decrypted', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'The security keys of this site changed, so the saved SMTP password cannot be read any more and email is not sent. Enter the password again.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		if ( $settings->auth && ! $settings->uses_oauth() && ! $this->settings->password_set() ) {
			$result['status']      = 'critical';
			$result['label']       = __( 'The SMTP password is missing', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Authentication is on, but no SMTP password is saved, so email is not sent. Enter the password.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		$result['description'] = '<p>' . esc_html(
			sprintf(
				/* translators: 1: host name, 2: port number */
				__( 'WordPress is set to send email through %1$s on port %2$d. Whether the server accepts it there is checked separately.', 'smtp-port-helper' ),
				$settings->host,
				$settings->port
			)
		) . '</p>';
		return $result;
	}

	/**
	 * The check of an HTTPS API transport: its key (not the SMTP password it does not use) or,
	 * for an API that signs in with OAuth 2.0, the From it sends as.
	 *
	 * @param array<string, mixed> $result   The good result so far.
	 * @param string               $provider The provider's name.
	 * @return array<string, mixed>
	 */
	private function api_configured( array $result, string $provider ): array {
		$settings = $this->settings->get();
		if ( null === Transport_Registry::oauth_class( $settings->transport ) && null === $this->settings->api_keys()->credentials( $settings ) ) {
			$result['status'] = 'critical';
			/* translators: %s: provider, e.g. SendGrid */
			$result['label']       = sprintf( __( 'The API key of %s is missing', 'smtp-port-helper' ), $provider );
			$result['description'] = '<p>' . esc_html__( 'The HTTPS API is chosen, but no readable API key is saved, so email is not sent. Enter the API key.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		$warning = $this->from_warning();
		if ( null !== $warning ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'The From address is not the signed-in account the provider sends as', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html( $warning ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		/* translators: %s: provider, e.g. SendGrid */
		$result['description'] = '<p>' . esc_html( sprintf( __( 'WordPress is set to send email through the HTTPS API of %s. Whether the API accepts it is checked separately.', 'smtp-port-helper' ), $provider ) ) . '</p>';
		return $result;
	}

	/**
	 * What the administrator should know when an API that sends as the signed-in account (the
	 * Gmail API) gets another From address; null otherwise.
	 */
	private function from_warning(): ?string {
		$settings = $this->settings->get();
		$class    = Transport_Registry::oauth_class( $settings->transport );
		if ( null === $class ) {
			return null;
		}
		$account = ( new OAuth_Connection( $this->settings ) )->tokens()->connection( $settings )['account'];
		return $class::from_warning( From_Address::for_settings( $settings, Token_Store::mailbox( $settings, $account ) )['email'], $account );
	}
}
