<?php
/**
 * Activation and deactivation: what the plugin sets up, and the scheduled events it takes away.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use SmtpPortHelper\OAuth\Keep_Alive;

defined( 'ABSPATH' ) || exit;

/**
 * Deactivation clears the daily self-check's and the weekly keep-alive's WP-Cron events (of every
 * site when the plugin was active for the whole network), so a deactivated plugin leaves no
 * recurring event behind. The outbox's single event stays: on reactivation the waiting mail is
 * still due. Activation installs the outbox table and brings back the keep-alive of a connected
 * sign-in; the self-check's event comes back at the next visit of an administration page.
 */
final class Lifecycle {

	/**
	 * `register_activation_hook`.
	 */
	public static function activate(): void {
		Plugin::install_outbox();
		if ( false !== get_option( Plugin::OAUTH_TOKENS_OPTION ) ) {
			Keep_Alive::schedule();
		}
	}

	/**
	 * `register_deactivation_hook`.
	 *
	 * @param bool $network_wide Deactivated for the whole network.
	 */
	public static function deactivate( $network_wide = false ): void {
		if ( ! is_multisite() || ! $network_wide ) {
			self::clear_events();
			return;
		}
		Network_Sites::each(
			static function (): void {
				self::clear_events();
			}
		);
	}

	/**
	 * Clears this site's recurring events.
	 */
	private static function clear_events(): void {
		wp_clear_scheduled_hook( Plugin::SELF_CHECK_CRON_HOOK );
		wp_clear_scheduled_hook( Plugin::OAUTH_KEEPALIVE_CRON_HOOK );
	}
}
