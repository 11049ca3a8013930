<?php
/**
 * Composition root: builds the plugin's services and registers their hooks.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\REST\Port_Tests_Controller;
use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Settings_Controller;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the services together. Every class receives its dependencies here and adds its own hooks
 * in `register()`, so each one can be tested on its own.
 */
final class Plugin {

	public const TEXT_DOMAIN    = 'smtp-port-helper';
	public const REST_NAMESPACE = 'smtp-port-helper/v1';

	/**
	 * Started once, on `plugins_loaded`.
	 */
	public static function boot(): void {
		static $booted = false;
		if ( $booted ) {
			return;
		}
		$booted = true;

		$settings = new Settings_Store();
		$settings->register();
		$mailer = new Mailer_Hook( $settings );
		$mailer->register();
		( new Settings_Controller( $settings ) )->register();
		$prober = new Port_Prober();
		( new Port_Tests_Controller( $prober, $settings, new Rate_Limiter( 'port_tests', 10, MINUTE_IN_SECONDS ) ) )->register();
		( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->register();
		$test_email = new Mail\Test_Email( $settings, $mailer );
		( new REST\Test_Email_Controller( $settings, $test_email, new Rate_Limiter( 'test_email', 5, MINUTE_IN_SECONDS ) ) )->register();
		( new Health\Site_Health( $settings, $prober ) )->register();
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			( new CLI\Command( $prober, $test_email, $settings ) )->register();
		}

		add_action( 'init', array( self::class, 'load_textdomain' ) );
	}

	/**
	 * Loads the translations shipped in `languages/` (WordPress.org language packs take precedence).
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( self::TEXT_DOMAIN, false, dirname( plugin_basename( SMTP_PORT_HELPER_FILE ) ) . '/languages' );
	}
}
