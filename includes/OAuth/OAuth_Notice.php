<?php
/**
 * The admin notice of a failed OAuth sign-in.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * While OAuth 2.0 is the login and the provider refused to renew the sign-in, every admin screen
 * tells the site's administrators that mail is held and what to do. Reads the token record only
 * (an option that is not autoloaded), never a token.
 */
final class OAuth_Notice {

	/**
	 * The site's settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The OAuth engine.
	 *
	 * @var OAuth_Connection
	 */
	private OAuth_Connection $oauth;

	/**
	 * Takes the settings and the engine.
	 *
	 * @param Settings_Store   $settings Site settings.
	 * @param OAuth_Connection $oauth    OAuth engine.
	 */
	public function __construct( Settings_Store $settings, OAuth_Connection $oauth ) {
		$this->settings = $settings;
		$this->oauth    = $oauth;
	}

	/**
	 * Hooks the notice.
	 */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
	}

	/** Warn this many days before the client secret expires. */
	public const SECRET_WARNING_DAYS = 14;

	/**
	 * What will end the sign-in soon, each in plain words with what to do: the client secret's
	 * expiry date (from the settings, 14 days ahead) and a Google app in "Testing" (its token
	 * answer carried refresh_token_expires_in). Empty when nothing is coming.
	 *
	 * @param int|null $now Unix time (tests); null: now.
	 * @return list<string>
	 */
	public function warnings( ?int $now = null ): array {
		$now      = $now ?? time();
		$settings = $this->settings->get();
		if ( ! $settings->is_active() || ! $settings->uses_oauth() ) {
			return array();
		}
		$warnings = array();
		if ( '' !== $settings->oauth_client_secret_expires ) {
			$expires = strtotime( $settings->oauth_client_secret_expires . 'T00:00:00Z' );
			if ( false !== $expires && $expires <= $now ) {
				$warnings[] = sprintf(
					/* translators: %s: date */
					__( 'The OAuth 2.0 client secret expired on %s: the provider refuses to renew the sign-in with it. Create a new client secret in the app registration, save it (with its new expiry date) in Settings → SMTP Port Helper, then click "Connect" again.', 'smtp-port-helper' ),
					$settings->oauth_client_secret_expires
				);
			} elseif ( false !== $expires && $expires - $now <= self::SECRET_WARNING_DAYS * DAY_IN_SECONDS ) {
				$warnings[] = sprintf(
					/* translators: 1: date, 2: number of days */
					_n( 'The OAuth 2.0 client secret expires on %1$s, in %2$d day: then mail stops. Create a new client secret in the app registration now and save it (with its new expiry date) in Settings → SMTP Port Helper.', 'The OAuth 2.0 client secret expires on %1$s, in %2$d days: then mail stops. Create a new client secret in the app registration now and save it (with its new expiry date) in Settings → SMTP Port Helper.', (int) ceil( ( $expires - $now ) / DAY_IN_SECONDS ), 'smtp-port-helper' ),
					$settings->oauth_client_secret_expires,
					(int) ceil( ( $expires - $now ) / DAY_IN_SECONDS )
				);
			}
		}
		$record = $this->oauth->tokens()->record_for( $settings );
		if ( null !== $record && Token_Store::STATE_CONNECTED === $record['state'] && '' !== $record['refresh_expires_at'] ) {
			$warnings[] = sprintf(
				/* translators: 1: date and time (UTC), 2: what to do */
				__( 'The provider ends this sign-in on %1$s (UTC). %2$s', 'smtp-port-helper' ),
				gmdate( 'Y-m-d H:i', (int) $record['refresh_expires_at'] ),
				'google' === $record['provider'] ? Token_Error::publish_google_app() : __( 'Click "Connect" again before then, or ask the provider for a sign-in that does not expire.', 'smtp-port-helper' )
			);
		}
		return $warnings;
	}

	/**
	 * `site_status_tests`: the sign-in's coming expiries.
	 *
	 * @param mixed $tests Registered tests.
	 * @return array<string, mixed>
	 */
	public function add_test( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();
		$tests['direct']['smtp_port_helper_oauth_expiry'] = array(
			'label' => __( 'SMTP sign-in (OAuth 2.0) expiry', 'smtp-port-helper' ),
			'test'  => array( $this, 'test' ),
		);
		return $tests;
	}

	/**
	 * The Site Health test: recommended while something will end the sign-in soon.
	 *
	 * @return array<string, mixed>
	 */
	public function test(): array {
		$warnings = $this->warnings();
		$result   = array(
			'label'       => __( 'The SMTP sign-in (OAuth 2.0) has no expiry coming', 'smtp-port-helper' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => '<p>' . esc_html__( 'Neither the client secret nor the sign-in is known to expire within 14 days.', 'smtp-port-helper' ) . '</p>',
			'actions'     => '',
			'test'        => 'smtp_port_helper_oauth_expiry',
		);
		if ( array() !== $warnings ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'The SMTP sign-in (OAuth 2.0) will expire soon', 'smtp-port-helper' );
			$result['description'] = '<p>' . implode( '</p><p>', array_map( 'esc_html', $warnings ) ) . '</p>';
			$result['actions']     = sprintf( '<a href="%s">%s</a>', esc_url( OAuth_Connection::redirect_uri() ), esc_html__( 'Open the SMTP settings', 'smtp-port-helper' ) );
		}
		return $result;
	}

	/**
	 * The notice's text; null when there is nothing to say.
	 */
	public function message(): ?string {
		$settings = $this->settings->get();
		if ( ! $settings->is_active() || ! $settings->uses_oauth() ) {
			return null;
		}
		$connection = $this->oauth->tokens()->connection( $settings );
		if ( Token_Store::STATE_FAILED !== $connection['state'] ) {
			return null;
		}
		return sprintf(
			/* translators: %s: what went wrong and what to do */
			__( 'SMTP Port Helper: mail is held in the outbox because the OAuth 2.0 sign-in of the mailbox stopped working. %s', 'smtp-port-helper' ),
			$connection['message']
		);
	}

	/**
	 * `admin_notices`: the notice for administrators.
	 */
	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		foreach ( $this->warnings() as $warning ) {
			printf(
				'<div class="notice notice-warning smtp-port-helper-oauth-expiry"><p>%s</p><p><a href="%s">%s</a></p></div>',
				esc_html( 'SMTP Port Helper: ' . $warning ),
				esc_url( OAuth_Connection::redirect_uri() ),
				esc_html__( 'Open the SMTP settings', 'smtp-port-helper' )
			);
		}
		$message = $this->message();
		if ( null === $message ) {
			return;
		}
		printf(
			'<div class="notice notice-error smtp-port-helper-oauth-notice"><p>%s</p><p><a href="%s">%s</a></p></div>',
			esc_html( $message ),
			esc_url( OAuth_Connection::redirect_uri() ),
			esc_html__( 'Open the SMTP settings to connect again', 'smtp-port-helper' )
		);
	}
}
