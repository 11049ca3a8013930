<?php
/**
 * What the plugin's dismissible admin notices share: their links and the dismiss handler.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A notice ends with a link to the settings and a dismiss link to `admin-post.php` with its own
 * action and nonce; the dismiss handler checks the capability and the nonce, lets the notice mark
 * what it showed as seen, and goes back to the screen.
 */
final class Dismissible_Notice {

	/**
	 * Prints the notice's last paragraph: open the settings, dismiss.
	 *
	 * @param string $dismiss_action The notice's `admin_post_…` action (also its nonce action).
	 */
	public static function print_links( string $dismiss_action ): void {
		printf(
			'<p><a href="%s">%s</a> | <a href="%s">%s</a></p>',
			esc_url( admin_url( 'options-general.php?page=smtp-port-helper' ) ),
			esc_html__( 'Open the SMTP settings', 'smtp-port-helper' ),
			esc_url( wp_nonce_url( admin_url( 'admin-post.php?action=' . $dismiss_action ), $dismiss_action ) ),
			esc_html__( 'Dismiss this notice', 'smtp-port-helper' )
		);
	}

	/**
	 * `admin_post_…`: an administrator dismissed the notice (nonce checked), back to the screen.
	 *
	 * @param string   $dismiss_action The notice's action (also its nonce action).
	 * @param callable $mark_dismissed Marks what the notice shows as seen.
	 */
	public static function dismiss( string $dismiss_action, callable $mark_dismissed ): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage the SMTP settings.', 'smtp-port-helper' ), '', array( 'response' => 403 ) );
		}
		check_admin_referer( $dismiss_action );
		$mark_dismissed();
		wp_safe_redirect( wp_get_referer() ? wp_get_referer() : admin_url() );
		exit;
	}
}
