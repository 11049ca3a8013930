<?php
/**
 * The weekly refresh that keeps an OAuth sign-in alive on a quiet site.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Microsoft ends a refresh token that was not used for 90 days, Google one unused for six
 * months: a site that sends little would learn it from held mail. A WP-Cron event once a week
 * renews the sign-in when it was not renewed for KEEP_ALIVE_AFTER (sending renews it anyway),
 * so a refused grant is seen — and told — before a visitor's mail needs it.
 */
final class Keep_Alive {

	public const HOOK = Stored_Names::OAUTH_KEEPALIVE_CRON;

	/** A sign-in renewed more recently than this needs no keep-alive refresh. */
	public const KEEP_ALIVE_AFTER = 6 * 86400;

	/**
	 * The settings.
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
	 * Schedules the weekly event (a connection was made or renewed), once.
	 */
	public static function schedule(): void {
		if ( false === wp_next_scheduled( self::HOOK ) ) {
			wp_schedule_event( time() + 7 * DAY_IN_SECONDS, 'weekly', self::HOOK );
		}
	}

	/**
	 * Removes the event (the connection was forgotten).
	 */
	public static function unschedule(): void {
		wp_clear_scheduled_hook( self::HOOK );
	}

	/**
	 * When the next keep-alive runs (Unix time), or null when none is scheduled.
	 */
	public static function next_run(): ?int {
		$next = wp_next_scheduled( self::HOOK );
		return false === $next ? null : (int) $next;
	}

	/**
	 * The event: renews the sign-in unless it is renewed recently or not in use.
	 *
	 * @return Token_Result|null The refresh's result, or null when none was needed.
	 */
	public function run(): ?Token_Result {
		$settings = $this->settings->get();
		if ( ! $settings->is_active() || ! $settings->uses_oauth() ) {
			return null;
		}
		$record = $this->oauth->tokens()->record_for( $settings );
		if ( null === $record || Token_Store::STATE_CONNECTED !== $record['state'] ) {
			return null;
		}
		$renewed = (int) ( '' !== $record['refreshed_at'] ? $record['refreshed_at'] : strtotime( $record['connected_at'] ) );
		if ( time() - $renewed < self::KEEP_ALIVE_AFTER ) {
			return null;
		}
		return $this->oauth->keep_alive( ( new Address_Policy_Source() )->for_token_endpoint( $this->settings ) );
	}
}
