<?php
/**
 * Composition root: builds the plugin's services and registers their hooks.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\CLI\Check_Command;
use SmtpPortHelper\CLI\Command;
use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\CLI\Dkim_Command;
use SmtpPortHelper\CLI\Delivery_Status;
use SmtpPortHelper\CLI\Domain_Check_Command;
use SmtpPortHelper\Deliverability\Dkim_Key_Manager;
use SmtpPortHelper\Deliverability\Domain_Check_Runner;
use SmtpPortHelper\CLI\Outbox_Command;
use SmtpPortHelper\Health\Api_Transport_Check;
use SmtpPortHelper\Health\Configured_Check;
use SmtpPortHelper\Health\Debug_Info;
use SmtpPortHelper\Health\Domain_Check_Health;
use SmtpPortHelper\Health\Key_Material_Check;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Health\Self_Check_Notice;
use SmtpPortHelper\Health\Send_Path_Check;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Keep_Alive;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\CLI\Sign_In_Status;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Full_Notice;
use SmtpPortHelper\Outbox\Outbox_Privacy;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\REST\Dkim_Key_Controller;
use SmtpPortHelper\REST\Domain_Check_Controller;
use SmtpPortHelper\REST\OAuth_Controller;
use SmtpPortHelper\REST\Outbox_Controller;
use SmtpPortHelper\REST\Port_Tests_Controller;
use SmtpPortHelper\REST\Route_Guard;
use SmtpPortHelper\REST\Settings_Controller;
use SmtpPortHelper\REST\Test_Email_Controller;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Wires the services together. Every class receives its dependencies here and adds its own hooks
 * in `register()`, so each one can be tested on its own.
 *
 * Every front-end request loads this plugin, so nothing is built up front: a front-end request
 * loads this file, the main file and the autoloader, and reads no option. The settings and the
 * mailer are built when `phpmailer_init` fires or when the option is written; the REST
 * controllers, the probe engine and the admin screens on the requests that use them.
 */
final class Plugin {

	public const TEXT_DOMAIN    = 'smtp-port-helper';
	public const REST_NAMESPACE = 'smtp-port-helper/v1';

	/** The settings page's slug (Admin\Settings_Page::SLUG), named here so that OAuth's redirect URI needs no admin class. */
	public const SETTINGS_PAGE_SLUG = 'smtp-port-helper';

	/** The option that stores the settings (Settings_Store::OPTION), named here so that registering it loads no other class. */
	public const SETTINGS_OPTION = 'smtp_port_helper_settings';

	/** The option of the OAuth tokens (Token_Store::OPTION), named here for the same reason. */
	public const OAUTH_TOKENS_OPTION = 'smtp_port_helper_oauth';

	/** The outbox table's schema version (Outbox_Table::VERSION), and the option that records it per site. */
	public const OUTBOX_DB_VERSION = 3;
	public const OUTBOX_DB_OPTION  = 'smtp_port_helper_outbox_db';

	/** The WP-Cron hook of the outbox (Mail_Queue::CRON_HOOK). */
	public const OUTBOX_CRON_HOOK = 'smtp_port_helper_outbox_run';

	/** The WP-Cron hook of the daily self-check (Self_Check::CRON_HOOK). */
	public const SELF_CHECK_CRON_HOOK = 'smtp_port_helper_self_check';

	/** The weekly WP-Cron hook that keeps an OAuth sign-in alive (OAuth\Keep_Alive). */
	public const OAUTH_KEEPALIVE_CRON_HOOK = 'smtp_port_helper_oauth_keepalive';

	/**
	 * The Site Health tests (one class each) and the Info section, built on first use.
	 *
	 * @var list<Configured_Check|Key_Material_Check|Port_Check|Debug_Info>|null
	 */
	private ?array $site_health = null;

	/**
	 * The services, built on first use (a front-end request that sends no mail builds none).
	 *
	 * @var Services|null
	 */
	private ?Services $services = null;

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
		add_action( 'init', array( $this, 'register_setting' ) );
		add_action( 'phpmailer_init', array( $this, 'configure_mailer' ) );
		// Last: what PHPMailer really uses once every other plugin had its turn.
		add_action( 'phpmailer_init', array( $this, 'record_send_path' ), PHP_INT_MAX );
		add_action( 'init', array( self::class, 'load_textdomain' ) );
		add_action( 'init', array( self::class, 'install_outbox' ), 1 );
		add_action( self::OUTBOX_CRON_HOOK, array( $this, 'run_outbox' ) );
		add_action( self::SELF_CHECK_CRON_HOOK, array( $this, 'run_self_check' ) );
		add_action( 'update_option_' . self::SETTINGS_OPTION, array( $this, 'settings_changed' ) );
		add_action( 'add_option_' . self::SETTINGS_OPTION, array( $this, 'settings_changed' ) );
		add_action( 'update_site_option_' . self::SETTINGS_OPTION, array( Mail_Queue::class, 'network_settings_changed' ), 10, 0 );
		add_action( 'add_site_option_' . self::SETTINGS_OPTION, array( Mail_Queue::class, 'network_settings_changed' ), 10, 0 );
		add_action( 'smtp_port_helper_mail_queued', array( Recovery_Notice::class, 'mail_queued' ), 10, 3 );
		add_action( 'smtp_port_helper_mail_queued', array( $this, 'pace_queued' ), 10, 3 );
		// A new OAuth connection or a renewed token: mail held for the sign-in may go now.
		add_action( 'add_option_' . self::OAUTH_TOKENS_OPTION, array( $this, 'oauth_changed' ), 10, 2 );
		add_action( 'update_option_' . self::OAUTH_TOKENS_OPTION, array( $this, 'oauth_changed' ), 10, 2 );
		add_action( 'delete_option_' . self::OAUTH_TOKENS_OPTION, array( Keep_Alive::class, 'unschedule' ), 10, 0 );
		add_action( self::OAUTH_KEEPALIVE_CRON_HOOK, array( $this, 'keep_oauth_alive' ) );
		add_action( 'smtp_port_helper_mail_delivered_late', array( Outbox_Health::class, 'count_late' ) );
		add_filter( 'wp_privacy_personal_data_exporters', array( $this, 'privacy_exporters' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( $this, 'privacy_erasers' ) );
		// Priority 0: the controllers then add their own rest_api_init callbacks for this same run.
		add_action( 'rest_api_init', array( $this, 'register_rest' ), 0 );
		if ( is_admin() ) {
			( new Settings_Page( SMTP_PORT_HELPER_FILE, $this->services()->send_path_report(), new OAuth_Callback( $this->services()->oauth() ) ) )->register();
			$this->register_site_health();
			( new Send_Path_Check( $this->services()->send_path_report() ) )->register();
			$sign_in = new OAuth_Notice( $this->services()->settings(), $this->services()->oauth() );
			( new Outbox_Health( $this->services()->outbox_manager(), $sign_in ) )->register();
			( new Domain_Check_Health( new Domain_Check_Runner( $this->services()->settings() ) ) )->register();
			$sign_in->register();
			( new Outbox_Full_Notice() )->register();
			( new Self_Check_Notice( $this->services()->settings() ) )->register();
			add_action( 'admin_init', array( Self_Check::class, 'schedule' ) );
		}
		if ( wp_doing_cron() ) {
			add_action( 'wp_loaded', array( Self_Check::class, 'schedule' ) );
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			\WP_CLI::add_command( 'smtp-port-helper', new Command( new Command_Runner( $this->services()->prober(), $this->services()->probe_options(), $this->services()->test_email(), $this->services()->settings(), $this->services()->send_path_report(), new Sign_In_Status( $this->services()->settings(), $this->services()->oauth(), new Outbox() ), new Delivery_Status( $this->services()->settings(), $this->services()->mailer()->pacer() ), $this->services()->api_port_test() ) ) );
			\WP_CLI::add_command( 'smtp-port-helper outbox', new Outbox_Command( $this->services()->outbox_manager() ) );
			\WP_CLI::add_command( 'smtp-port-helper check', new Check_Command( $this->services()->self_check() ) );
			\WP_CLI::add_command( 'smtp-port-helper check-domain', new Domain_Check_Command( new Domain_Check_Runner( $this->services()->settings() ) ) );
			\WP_CLI::add_command( 'smtp-port-helper dkim', new Dkim_Command( new Dkim_Key_Manager( $this->services()->settings() ) ) );
		}
	}

	/**
	 * `register_setting` with a sanitizer that never stores a bad value. The option is not exposed
	 * through `/wp/v2/settings` (it holds the sealed password): it is read and written through the
	 * plugin's own route, which reports per-field errors and locked fields.
	 */
	public function register_setting(): void {
		register_setting(
			'smtp_port_helper',
			self::SETTINGS_OPTION,
			array(
				'type'              => 'object',
				'description'       => __( 'SMTP Port Helper settings.', 'smtp-port-helper' ),
				'default'           => array(),
				'sanitize_callback' => array( $this, 'sanitize_settings' ),
				'show_in_rest'      => false,
			)
		);
		// WordPress runs these before the option's sanitizer on a network write: the network
		// defaults are checked against the network's stored value, not the current site's.
		add_filter( 'pre_update_site_option_' . self::SETTINGS_OPTION, array( $this, 'sanitize_network_settings' ) );
		add_filter( 'pre_add_site_option_' . self::SETTINGS_OPTION, array( $this, 'sanitize_network_settings' ) );
	}

	/**
	 * Sanitizer of every write of the network option (Settings_Sanitizer::sanitize_network_option()).
	 *
	 * @param mixed $value Value about to be stored.
	 * @return mixed
	 */
	public function sanitize_network_settings( $value ) {
		return $this->services()->settings()->sanitizer()->sanitize_network_option( $value );
	}

	/**
	 * Sanitizer of every write of the option (Settings_Sanitizer::sanitize_option()).
	 *
	 * @param mixed $value Value about to be stored.
	 * @return array<string, mixed>
	 */
	public function sanitize_settings( $value ): array {
		return $this->services()->settings()->sanitizer()->sanitize_option( $value );
	}

	/**
	 * `phpmailer_init`: builds the mailer on the first message of the request and lets it
	 * configure PHPMailer.
	 *
	 * @param PHPMailer $phpmailer The mailer wp_mail() is about to use.
	 */
	public function configure_mailer( PHPMailer $phpmailer ): void {
		$this->services()->mailer()->configure( $phpmailer );
		$route = $this->services()->mailer()->last_route();
		$this->services()->send_path()->after_ours( $phpmailer, null !== $route && null !== $route['store'], $route );
	}

	/**
	 * `phpmailer_init`, last of all: records what the message really uses (Send_Path_Report
	 * compares it with the settings).
	 *
	 * @param PHPMailer $phpmailer The mailer as wp_mail() will use it.
	 */
	public function record_send_path( PHPMailer $phpmailer ): void {
		// Recipients added after this plugin's turn get the same check (a network's trust boundary).
		if ( $this->services()->mailer()->recheck( $phpmailer ) ) {
			$route = $this->services()->mailer()->last_route();
			$this->services()->send_path()->after_ours( $phpmailer, null !== $route && null !== $route['store'], $route );
		}
		$this->services()->send_path()->after_all( $phpmailer, array( $this, 'configure_mailer' ) );
	}

	/**
	 * Builds the REST controllers when the REST API starts (once per request).
	 */
	public function register_rest(): void {
		if ( $this->rest_registered ) {
			return;
		}
		$this->rest_registered = true;
		( new Settings_Controller( $this->services()->settings() ) )->register();
		if ( is_multisite() ) {
			// The network defaults: same rules and answer, its own route and capability.
			( new Settings_Controller( Settings_Store::for_network() ) )->register();
		}
		( new Port_Tests_Controller( $this->services()->prober(), $this->services()->probe_options(), $this->services()->send_path_report(), $this->services()->api_port_test() ) )->register();
		( new Test_Email_Controller( $this->services()->settings(), $this->services()->test_email() ) )->register();
		$this->register_site_health();
		( new Route_Guard() )->register();
		( new Outbox_Controller( $this->services()->outbox_manager() ) )->register();
		( new OAuth_Controller( $this->services()->oauth(), $this->services()->settings() ) )->register();
		( new Domain_Check_Controller( new Domain_Check_Runner( $this->services()->settings() ) ) )->register();
		( new Dkim_Key_Controller( new Dkim_Key_Manager( $this->services()->settings() ) ) )->register();
	}

	/**
	 * Creates or upgrades the outbox table of the current site when its recorded schema version
	 * differs (activation, a plugin update, a new site of a network). The version is an
	 * autoloaded option, so the check costs no query.
	 */
	public static function install_outbox(): void {
		if ( self::OUTBOX_DB_VERSION !== (int) get_option( self::OUTBOX_DB_OPTION, 0 ) ) {
			Outbox_Table::install();
		}
	}

	/**
	 * WP-Cron: delivers the outbox.
	 */
	public function run_outbox(): void {
		$this->services()->outbox_runner()->run();
	}

	/**
	 * WP-Cron: the daily self-check.
	 */
	public function run_self_check(): void {
		$this->services()->self_check()->run_scheduled();
	}

	/**
	 * The settings were saved: waiting mail is due now (the cause may just have been fixed).
	 */
	public function settings_changed(): void {
		$this->services()->mail_queue()->settings_changed();
	}

	/**
	 * `wp_privacy_personal_data_exporters`: mail waiting in the outbox is personal data.
	 *
	 * @param mixed $exporters Registered exporters.
	 * @return array<string, mixed>
	 */
	public function privacy_exporters( $exporters ): array {
		return ( new Outbox_Privacy( new Outbox() ) )->add_exporter( $exporters );
	}

	/**
	 * `wp_privacy_personal_data_erasers`: mail waiting in the outbox is personal data.
	 *
	 * @param mixed $erasers Registered erasers.
	 * @return array<string, mixed>
	 */
	public function privacy_erasers( $erasers ): array {
		return ( new Outbox_Privacy( new Outbox() ) )->add_eraser( $erasers );
	}

	/**
	 * `smtp_port_helper_mail_queued`: mail kept for the sending limit, or throttled, waits for its time.
	 *
	 * @param mixed $id         Outbox id.
	 * @param mixed $recipients Its recipients.
	 * @param mixed $failure    stage, code and error.
	 */
	public function pace_queued( $id, $recipients, $failure ): void {
		( new Outbox_Pacing( $this->services()->mailer() ) )->mail_queued( $id, $recipients, $failure );
	}

	/**
	 * Loads the translations shipped in `languages/` (WordPress.org language packs take precedence).
	 */
	public static function load_textdomain(): void {
		load_plugin_textdomain( self::TEXT_DOMAIN, false, dirname( plugin_basename( SMTP_PORT_HELPER_FILE ) ) . '/languages' );
	}

	/**
	 * The OAuth connection record was added or changed: releases held mail unless it failed.
	 *
	 * @param mixed $first  Old value (update) or option name (add).
	 * @param mixed $record The new record.
	 */
	public function oauth_changed( $first, $record ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WordPress's hook arguments.
		if ( is_array( $record ) && Token_Store::STATE_CONNECTED === ( $record['state'] ?? '' ) ) {
			Keep_Alive::schedule();
			$this->settings_changed();
		}
	}

	/**
	 * The weekly keep-alive event: renews a sign-in a quiet site did not use.
	 */
	public function keep_oauth_alive(): void {
		( new Keep_Alive( $this->services()->settings(), $this->services()->oauth() ) )->run();
	}

	/**
	 * Hooks the Site Health tests, the port check's REST route and the Info section (once each:
	 * the same objects when called again).
	 */
	private function register_site_health(): void {
		$this->site_health = $this->site_health ?? array(
			new Configured_Check( $this->services()->settings() ),
			new Key_Material_Check(),
			new Port_Check( $this->services()->settings(), $this->services()->prober(), $this->services()->probe_options(), new Api_Transport_Check( $this->services()->settings(), new Transport_Factory( $this->services()->mailer() ) ) ),
			new Debug_Info( $this->services()->settings() ),
		);
		foreach ( $this->site_health as $check ) {
			$check->register();
		}
	}

	/**
	 * The services of this request, built when a hook first needs one.
	 */
	private function services(): Services {
		$this->services = $this->services ?? new Services();
		return $this->services;
	}

	/**
	 * The mailer configured on `phpmailer_init` (the one that knows the SMTP client of the last message).
	 */
	public function mailer(): Mailer_Hook {
		return $this->services()->mailer();
	}

	/**
	 * The OAuth 2.0 connection of this site.
	 */
	public function oauth(): OAuth_Connection {
		return $this->services()->oauth();
	}

	/**
	 * The outbox delivery, for WP-Cron, WP-CLI and REST.
	 */
	public function outbox_runner(): Outbox_Runner {
		return $this->services()->outbox_runner();
	}

	/**
	 * The daily self-check (WP-Cron and WP-CLI).
	 */
	public function self_check(): Self_Check {
		return $this->services()->self_check();
	}
}
