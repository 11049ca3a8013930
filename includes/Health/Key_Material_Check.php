<?php
/**
 * Site Health: is there a secret key to seal the SMTP password?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Secrets\Key_Material;

defined( 'ABSPATH' ) || exit;

/**
 * A direct test "The SMTP password is sealed with a secret key".
 */
final class Key_Material_Check {

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

		$tests['direct']['smtp_port_helper_key'] = array(
			'label' => __( 'The SMTP password is sealed with a secret key', 'smtp-port-helper' ),
			'test'  => array( $this, 'test' ),
		);
		return $tests;
	}

	/**
	 * Direct test: is there key material fit to seal the password? Placeholder, duplicated or
	 * missing salts are public or guessable, so the plugin refuses them and asks for
	 * SMTP_PORT_HELPER_KEY.
	 *
	 * @param Key_Material|null $key The key material (default: wp-config.php's).
	 * @return array<string, mixed>
	 */
	public function test( ?Key_Material $key = null ): array {
		$problem = ( $key ?? Key_Material::from_wp_config() )->problem();
		if ( null === $problem ) {
			return Check_Result::of(
				'smtp_port_helper_key',
				'good',
				__( 'The SMTP password is sealed with a secret key', 'smtp-port-helper' ),
				'<p>' . esc_html__( 'The key comes from SMTP_PORT_HELPER_KEY or from unique salts in wp-config.php, never from the database.', 'smtp-port-helper' ) . '</p>'
			);
		}
		$reasons           = array(
			Key_Material::PROBLEM_MISSING     => __( 'The salts AUTH_KEY and SECURE_AUTH_KEY are missing from wp-config.php.', 'smtp-port-helper' ),
			Key_Material::PROBLEM_PLACEHOLDER => __( 'The salts in wp-config.php are still the placeholder "put your unique phrase here", which everyone knows.', 'smtp-port-helper' ),
			Key_Material::PROBLEM_DUPLICATED  => __( 'AUTH_KEY or SECURE_AUTH_KEY in wp-config.php has the same value as another salt.', 'smtp-port-helper' ),
		);
		$result            = Check_Result::of(
			'smtp_port_helper_key',
			'critical',
			__( 'No secret key to seal the SMTP password', 'smtp-port-helper' ),
			'<p>' . esc_html( $reasons[ $problem ] ?? '' ) . ' ' . esc_html__( 'The SMTP password cannot be stored safely, so it is not stored or used. Add define( \'SMTP_PORT_HELPER_KEY\', \'…\' ) with a long random phrase to wp-config.php (or new salts from https://api.wordpress.org/secret-key/1.1/salt/), then enter the password again.', 'smtp-port-helper' ) . '</p>'
		);
		$result['actions'] = Check_Result::settings_link();
		return $result;
	}
}
