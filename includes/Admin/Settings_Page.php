<?php
/**
 * The settings screen under Settings → SMTP Port Helper, and on a multisite network the network
 * defaults under Network Admin → Settings → SMTP Port Helper.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Admin;

use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Provider_Login_Policy;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Providers\Provider_Table;
use SmtpPortHelper\REST\Outbox_Schema;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Adds the menu entry, prints the React app's root element and loads its script on that screen only.
 *
 * The network screen mounts the same app with `scope: 'network'` in its boot data, so that it
 * reads and saves /network-settings (super admins: `manage_network_options`).
 */
final class Settings_Page {

	public const SLUG         = Plugin::SETTINGS_PAGE_SLUG;
	public const SCRIPT       = 'smtp-port-helper-settings';
	public const ROOT_ELEMENT = 'smtp-port-helper-root';

	/** The id of the page's outbox section, which the admin notice and Site Health link to. */
	public const OUTBOX_ANCHOR = 'outbox';

	/**
	 * Absolute path of the main plugin file.
	 *
	 * @var string
	 */
	private string $plugin_file;

	/**
	 * Hook suffix of the settings screen, empty until the page is added.
	 *
	 * @var string
	 */
	private string $hook_suffix = '';

	/**
	 * Whether mail really goes the way the settings say (shown at the top of the page when not).
	 *
	 * @var Send_Path_Report|null
	 */
	private ?Send_Path_Report $send_path;

	/**
	 * Finishes an OAuth sign-in when the provider returns to the page.
	 *
	 * @var OAuth_Callback|null
	 */
	private ?OAuth_Callback $oauth_callback;

	/**
	 * Takes the main plugin file, for URLs and the plugin action link, and the report of the real
	 * send path (default: of this site's settings).
	 *
	 * @param string                $plugin_file    Absolute path of the main plugin file.
	 * @param Send_Path_Report|null $send_path      Whether mail goes the way the settings say.
	 * @param OAuth_Callback|null   $oauth_callback Finishes an OAuth sign-in on the page's load hook.
	 */
	public function __construct( string $plugin_file, ?Send_Path_Report $send_path = null, ?OAuth_Callback $oauth_callback = null ) {
		$this->plugin_file    = $plugin_file;
		$this->send_path      = $send_path;
		$this->oauth_callback = $oauth_callback;
	}

	/**
	 * Hooks the menu and the assets.
	 */
	public function register(): void {
		add_action( 'admin_menu', array( $this, 'add_page' ) );
		add_action( 'network_admin_menu', array( $this, 'add_network_page' ) );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue_assets' ) );
		add_filter( 'plugin_action_links_' . plugin_basename( $this->plugin_file ), array( $this, 'add_settings_link' ) );
		add_filter( 'network_admin_plugin_action_links_' . plugin_basename( $this->plugin_file ), array( $this, 'add_network_settings_link' ) );
	}

	/**
	 * Settings → SMTP Port Helper, for users who can manage options.
	 */
	public function add_page(): void {
		$suffix            = add_options_page(
			__( 'SMTP Port Helper', 'smtp-port-helper' ),
			__( 'SMTP Port Helper', 'smtp-port-helper' ),
			'manage_options',
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $suffix ) ? $suffix : '';
		if ( '' !== $this->hook_suffix && null !== $this->oauth_callback ) {
			// The redirect URI registered with the provider is this page (OAuth_Connection::redirect_uri()).
			add_action( 'load-' . $this->hook_suffix, array( $this->oauth_callback, 'maybe_handle' ) );
		}
	}

	/**
	 * Network Admin → Settings → SMTP Port Helper, for super admins (multisite).
	 */
	public function add_network_page(): void {
		$suffix            = add_submenu_page(
			'settings.php',
			__( 'SMTP Port Helper network defaults', 'smtp-port-helper' ),
			__( 'SMTP Port Helper', 'smtp-port-helper' ),
			'manage_network_options',
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $suffix ) ? $suffix : '';
	}

	/**
	 * The boot data printed before the script (its shape: boot_data_schema()): the REST
	 * namespace, which settings the screen edits, the vocabulary the page shows but does not
	 * own (the ports a test tries, the encryption labels) and the current user's email address
	 * (where a test email goes unless another is typed).
	 *
	 * @return array<string, mixed>
	 */
	public function boot_data(): array {
		return array(
			'rootId'           => self::ROOT_ELEMENT,
			'restNamespace'    => Plugin::REST_NAMESPACE,
			'scope'            => is_network_admin() ? 'network' : 'site',
			'ports'            => Submission_Ports::for_page(),
			'encryptionLabels' => Encryption::labels(),
			// No user (a screen rendered without a login, as in tests): an empty address.
			'adminEmail'       => (string) wp_get_current_user()->user_email,
			'sendPath'         => $this->send_path_finding(),
			'presets'          => Provider_Table::for_page(),
			'presetWarnings'   => Provider_Login_Policy::preset_warnings(),
			'outboxCounts'     => $this->outbox_counts(),
			'oauthRedirectUri' => OAuth_Connection::redirect_uri(),
			'oauthProfiles'    => Provider_Profile::for_page(),
			'oauthFailure'     => OAuth_Callback::last_failure(),
			'oauthTransports'  => (object) Transport_Registry::oauth_profiles(),
		);
	}

	/**
	 * The site's Outbox section: its address (for the admin notice and Site Health).
	 */
	public static function outbox_url(): string {
		return admin_url( 'options-general.php?page=' . self::SLUG . '#' . self::OUTBOX_ANCHOR );
	}

	/**
	 * Messages in this site's outbox per status: the page shows and loads its Outbox view only
	 * when there are any. The network screen has no outbox of its own.
	 *
	 * @return array<string, int>
	 */
	private function outbox_counts(): array {
		return is_network_admin() ? array_fill_keys( Outbox::STATUSES, 0 ) : ( new Outbox() )->counts();
	}

	/**
	 * On a site's screen, whether other code changes how mail is sent (Send_Path_Report); the
	 * network screen has no messages of its own.
	 *
	 * @return array{status: string, messages: string[]}
	 */
	private function send_path_finding(): array {
		if ( is_network_admin() ) {
			return array(
				'status'   => Send_Path_Report::STATUS_UNKNOWN,
				'messages' => array(),
			);
		}
		$finding = ( $this->send_path ?? new Send_Path_Report( new Settings_Store() ) )->check();
		return array(
			'status'   => $finding['status'],
			'messages' => $finding['messages'],
		);
	}

	/**
	 * JSON schema of boot_data(), from which env/rest-types writes the page's `BootData` type.
	 *
	 * @return array<string, mixed>
	 */
	public static function boot_data_schema(): array {
		$labels = array();
		foreach ( Encryption::ALL as $encryption ) {
			$labels[ $encryption ] = array( 'type' => 'string' );
		}
		return array(
			'title'                => 'BootData',
			'type'                 => 'object',
			'properties'           => array(
				'rootId'           => array( 'type' => 'string' ),
				'restNamespace'    => array( 'type' => 'string' ),
				'scope'            => array(
					'description' => 'network on Network Admin → Settings (the network defaults); site otherwise.',
					'type'        => 'string',
					'enum'        => array( 'site', 'network' ),
				),
				'ports'            => Submission_Ports::page_schema(),
				'encryptionLabels' => array(
					'description'          => 'The short label of each encryption.',
					'type'                 => 'object',
					'properties'           => $labels,
					'required'             => Encryption::ALL,
					'additionalProperties' => false,
				),
				'adminEmail'       => array(
					'description' => 'The current user\'s email address, to fill in where the test email goes.',
					'type'        => 'string',
				),
				'presets'          => Provider_Table::page_schema(),
				'presetWarnings'   => array(
					'description'          => 'What the page says when a provider preset is chosen, before any test (Provider_Login_Policy), by preset id.',
					'type'                 => 'object',
					'additionalProperties' => array(
						'title'                => 'PresetWarning',
						'type'                 => 'object',
						'properties'           => array(
							'text'    => array( 'type' => 'string' ),
							'source'  => array( 'type' => 'string' ),
							'checked' => array( 'type' => 'string' ),
						),
						'required'             => array( 'text', 'source', 'checked' ),
						'additionalProperties' => false,
					),
				),
				'sendPath'         => array(
					'title'                => 'SendPathFinding',
					'description'          => 'Whether the last message was sent the way the settings say: overridden when other code replaced wp_mail() or changed the connection (Send_Path_Report).',
					'type'                 => 'object',
					'properties'           => array(
						'status'   => array(
							'type' => 'string',
							'enum' => array( Send_Path_Report::STATUS_GOOD, Send_Path_Report::STATUS_UNKNOWN, Send_Path_Report::STATUS_OVERRIDDEN ),
						),
						'messages' => array(
							'type'  => 'array',
							'items' => array( 'type' => 'string' ),
						),
					),
					'required'             => array( 'status', 'messages' ),
					'additionalProperties' => false,
				),
				'outboxCounts'     => Outbox_Schema::counts(),
				'oauthRedirectUri' => array(
					'description' => 'The redirect URI to register with the OAuth provider (this settings page).',
					'type'        => 'string',
				),
				'oauthProfiles'    => Provider_Profile::page_schema(),
				'oauthTransports'  => array(
					'description'          => 'The HTTPS API transports that sign in with OAuth 2.0 instead of an API key: transport id => OAuth profile id.',
					'type'                 => 'object',
					'additionalProperties' => array( 'type' => 'string' ),
				),
				'oauthFailure'     => array(
					'title'                => 'OAuthFailure',
					'description'          => 'Why the last OAuth sign-in of this user failed (shown once after the redirect with oauth=failed); empty strings when it did not.',
					'type'                 => 'object',
					'properties'           => array(
						'code'    => array( 'type' => 'string' ),
						'message' => array( 'type' => 'string' ),
					),
					'required'             => array( 'code', 'message' ),
					'additionalProperties' => false,
				),
			),
			'required'             => array( 'rootId', 'restNamespace', 'scope', 'ports', 'encryptionLabels', 'adminEmail', 'sendPath', 'presets', 'oauthRedirectUri', 'oauthProfiles', 'oauthFailure', 'outboxCounts' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The page is only a mount point; the React app renders everything inside it.
	 */
	public function render(): void {
		printf(
			'<div class="wrap"><div id="%s"><noscript>%s</noscript></div></div>',
			esc_attr( self::ROOT_ELEMENT ),
			esc_html__( 'The SMTP Port Helper settings need JavaScript.', 'smtp-port-helper' )
		);
	}

	/**
	 * Loads the built app and its translations on this screen only.
	 *
	 * @param string $hook_suffix The current admin screen.
	 */
	public function enqueue_assets( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$dir        = plugin_dir_path( $this->plugin_file ) . 'build/';
		$asset_file = $dir . 'index.asset.php';
		if ( ! is_readable( $asset_file ) ) {
			add_action( 'admin_notices', array( $this, 'missing_build_notice' ) );
			return;
		}
		$asset = require $asset_file;
		$asset = is_array( $asset ) ? $asset : array();
		$deps  = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$ver   = isset( $asset['version'] ) && is_string( $asset['version'] ) ? $asset['version'] : SMTP_PORT_HELPER_VERSION;
		$url   = plugin_dir_url( $this->plugin_file ) . 'build/';

		wp_enqueue_script( self::SCRIPT, $url . 'index.js', $deps, $ver, true );
		wp_set_script_translations( self::SCRIPT, Plugin::TEXT_DOMAIN, plugin_dir_path( $this->plugin_file ) . 'languages' );
		wp_add_inline_script(
			self::SCRIPT,
			'window.smtpPortHelper = ' . wp_json_encode( $this->boot_data() ) . ';',
			'before'
		);
		// The saved settings travel with the page (never the password: the route does not return
		// it), so the form shows without waiting for a REST round trip.
		$path    = '/' . Plugin::REST_NAMESPACE . ( is_network_admin() ? '/network-settings' : '/settings' );
		$preload = array_reduce( array( $path ), 'rest_preload_api_request', array() );
		wp_add_inline_script(
			'wp-api-fetch',
			sprintf( 'wp.apiFetch.use( wp.apiFetch.createPreloadingMiddleware( %s ) );', wp_json_encode( $preload ) ),
			'after'
		);
		if ( is_readable( $dir . 'index.css' ) ) {
			wp_enqueue_style( self::SCRIPT, $url . 'index.css', array( 'wp-components' ), $ver );
		}
		wp_enqueue_style( 'wp-components' );
	}

	/**
	 * Shown when the plugin was installed from source without building the JavaScript.
	 */
	public function missing_build_notice(): void {
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html__( 'SMTP Port Helper: the settings page is not built. Run "npm run build" in the plugin folder, or install the release zip.', 'smtp-port-helper' )
		);
	}

	/**
	 * A "Settings" link on the Plugins screen.
	 *
	 * @param array<int|string, string> $links Existing action links.
	 * @return array<int|string, string>
	 */
	public function add_settings_link( array $links ): array {
		$url = admin_url( 'options-general.php?page=' . self::SLUG );
		array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( $url ), esc_html__( 'Settings', 'smtp-port-helper' ) ) );
		return $links;
	}

	/**
	 * A "Network settings" link on the Network Admin's Plugins screen.
	 *
	 * @param array<int|string, string> $links Existing action links.
	 * @return array<int|string, string>
	 */
	public function add_network_settings_link( array $links ): array {
		$url = network_admin_url( 'settings.php?page=' . self::SLUG );
		array_unshift( $links, sprintf( '<a href="%s">%s</a>', esc_url( $url ), esc_html__( 'Network settings', 'smtp-port-helper' ) ) );
		return $links;
	}
}
