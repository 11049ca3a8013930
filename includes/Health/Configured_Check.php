<?php
/**
 * Site Health: is sending through an SMTP server configured?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Settings\Settings_Store;

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
		if ( $settings->auth && $this->settings->password_unreadable() ) {
			$result['status']      = 'critical';
			$result['label']       = __( 'The saved SMTP password cannot be decrypted', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'The security keys of this site changed, so the saved SMTP password cannot be read any more and email is not sent. Enter the password again.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
			return $result;
		}
		if ( $settings->auth && ! $this->settings->password_set() ) {
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
}
