<?php
/**
 * The SMTP password never leaves the server: not in REST answers, the settings page, the
 * transcript, Site Health's debug information or the PHP error log.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\Health\Configured_Check;
use SmtpPortHelper\Health\Debug_Info;
use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

final class Secrets_Test extends Integration_Test_Case {

	private const PASSWORD = 'Tr0ub4dor-Horse-Battery';

	public function test_the_password_appears_nowhere(): void {
		$log_file = dirname( __DIR__, 3 ) . '/.run/logs/wp-debug.log';
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'password' => self::PASSWORD ) );
		$seen = array();

		$seen['GET /settings']  = wp_json_encode( $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data() );
		$seen['POST /settings'] = wp_json_encode( $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'password' => self::PASSWORD ) )->get_data() );
		$seen['bad POST']       = wp_json_encode(
			$this->rest(
				'POST',
				'/smtp-port-helper/v1/settings',
				array(
					'password' => self::PASSWORD,
					'port'     => 'x',
				)
			)->get_data()
		);
		$seen['OPTIONS']        = wp_json_encode( $this->rest( 'OPTIONS', '/smtp-port-helper/v1/settings' )->get_data() );
		$seen['test-email 502'] = wp_json_encode( $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) )->get_data() );
		$this->assertStringContainsString( 'auth_failed', $seen['test-email 502'], 'the server refused the password' );

		ob_start();
		( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->render();
		do_action( 'admin_print_footer_scripts' );
		$seen['settings page'] = (string) ob_get_clean();

		$settings              = new Settings_Store();
		$seen['debug info']    = wp_json_encode( ( new Debug_Info( $settings ) )->debug_information( array() ) );
		$seen['site health']   = wp_json_encode( array( ( new Configured_Check( $settings ) )->test(), ( new Port_Check( $settings, new Port_Prober(), new Probe_Options_Factory( $settings ) ) )->test() ) );
		$seen['option in db']  = (string) $this->raw_option( Settings_Store::OPTION );
		$seen['PHP error log'] = is_file( $log_file ) ? (string) file_get_contents( $log_file ) : '';

		$this->assertStringContainsString( '"password_set":true', $seen['GET /settings'] );
		$this->assertStringContainsString( 'Set', $seen['debug info'] );
		foreach ( $seen as $where => $text ) {
			foreach ( Test_Email_Rest_Test::forms( 'test', self::PASSWORD ) as $form ) {
				if ( 'test' === $form || base64_encode( 'test' ) === $form ) {
					continue;
				}
				$this->assertStringNotContainsString( $form, (string) $text, "the password shows in: $where" );
			}
		}
	}
}
