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
