<?php
/**
 * Composition root: builds the plugin's services and registers their hooks.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\CLI\Command;
use SmtpPortHelper\Health\Site_Health;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\REST\Port_Tests_Controller;
use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Settings_Controller;
use SmtpPortHelper\REST\Test_Email_Controller;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Wires the services together. Every class receives its dependencies here and adds its own hooks
 * in `register()`, so each one can be tested on its own.
 *
 * Every front-end request loads this plugin, so only what every request may need is built up
 * front (the settings and the phpmailer_init hook); the REST controllers, the probe engine and the
 * admin screens are built on the requests that use them.
 */
final class Plugin {

	public const TEXT_DOMAIN    = 'smtp-port-helper';
	public const REST_NAMESPACE = 'smtp-port-helper/v1';

	/**
	 * The settings model, built on first use.
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $settings = null;

	/**
	 * The phpmailer_init hook, built on first use.
	 *
	 * @var Mailer_Hook|null
	 */
	private ?Mailer_Hook $mailer = null;

	/**
	 * The port test engine, built on first use.
	 *
	 * @var Port_Prober|null
	 */
	private ?Port_Prober $prober = null;

	/**
	 * The test message sender, built on first use.
	 *
	 * @var Test_Email|null
	 */
	private ?Test_Email $test_email = null;

	/**
	 * The Site Health tests, built on first use.
	 *
	 * @var Site_Health|null
	 */
	private ?Site_Health $site_health = null;

	/**
	 * Whether the REST controllers were built in this request.
	 *
	 * @var bool
	 */
	private bool $rest_registered = false;

	/**
	 * Started once, on `plugins_loaded`.
	 */
	public static function boot(): void {
		static $booted = false;
		if ( $booted ) {
			return;
		}
		$booted = true;
		( new self() )->register();
	}

	/**
	 * Adds the hooks every request needs, and the entry points of the rest.
	 */
	public function register(): void {
		$this->settings()->register();
		$this->mailer()->register();
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		// Priority 0: the controllers then add their own rest_api_init callbacks for this same run.
		add_action( 'rest_api_init', array( $this, 'register_rest' ), 0 );
		if ( is_admin() ) {
			( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->register();
			$this->site_health()->register();
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			( new Command( $this->prober(), $this->probe_options(), $this->test_email(), $this->settings() ) )->register();
		}
	}

	/**
	 * Builds the REST controllers when the REST API starts (once per request).
	 */
	public function register_rest(): void {
		if ( $this->rest_registered ) {
			return;
		}
		$this->rest_registered = true;
		( new Settings_Controller( $this->settings() ) )->register();
		if ( is_multisite() ) {
			// The network defaults: same rules and answer, its own route and capability.
			( new Settings_Controller( Settings_Store::for_network() ) )->register();
		}
		( new Port_Tests_Controller( $this->prober(), $this->probe_options(), new Rate_Limiter( 'port_tests', 10, MINUTE_IN_SECONDS ) ) )->register();
		( new Test_Email_Controller( $this->settings(), $this->test_email(), new Rate_Limiter( 'test_email', 5, MINUTE_IN_SECONDS ) ) )->register();
		$this->site_health()->register();
	}

	/**
	 * Loads the translations shipped in `languages/` (WordPress.org language packs take precedence).
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( self::TEXT_DOMAIN, false, dirname( plugin_basename( SMTP_PORT_HELPER_FILE ) ) . '/languages' );
	}

	/**
	 * The settings model.
	 */
	private function settings(): Settings_Store {
		$this->settings = $this->settings ?? new Settings_Store();
		return $this->settings;
	}

	/**
	 * The phpmailer_init hook.
	 */
	private function mailer(): Mailer_Hook {
		$this->mailer = $this->mailer ?? new Mailer_Hook( $this->settings() );
		return $this->mailer;
	}

	/**
	 * The port test engine.
	 */
	private function prober(): Port_Prober {
		$this->prober = $this->prober ?? new Port_Prober();
		return $this->prober;
	}

	/**
	 * The one way into the port test engine, for REST, WP-CLI and Site Health (stateless).
	 */
	private function probe_options(): Probe_Options_Factory {
		return new Probe_Options_Factory( $this->settings() );
	}

	/**
	 * The test message sender.
	 */
	private function test_email(): Test_Email {
		$this->test_email = $this->test_email ?? new Test_Email( $this->settings(), $this->mailer() );
		return $this->test_email;
	}

	/**
	 * The Site Health tests and their REST route.
	 */
	private function site_health(): Site_Health {
		$this->site_health = $this->site_health ?? new Site_Health( $this->settings(), $this->prober(), $this->probe_options() );
		return $this->site_health;
	}
}
