<?php
/**
 * The self-check's open outage: opened once, told once, closed when a run finds the path working.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The outage is one row (Self_Check::OUTAGE, an Atomic_Option lease that is never taken over):
 * the run whose INSERT creates it is the one that tells the administrator, so two runners tell
 * once; the next outage is told again after a run closed this one.
 */
final class Outage_Record {

	/**
	 * Tells the administrator by mail over a port that still works.
	 *
	 * @var Outage_Mail
	 */
	private Outage_Mail $mail;

	/**
	 * Takes the mail that tells of an outage.
	 *
	 * @param Outage_Mail $mail The outage mail.
	 */
	public function __construct( Outage_Mail $mail ) {
		$this->mail = $mail;
	}

	/**
	 * No path works the way the settings send: opens the outage unless one is open; the run that
	 * opens it shows the notice again and tells by mail over a port that still works, when there is one.
	 *
	 * @param string                                    $why         Why the saved path failed.
	 * @param array{port: int, encryption: string}|null $alternative A port that works (self_heal off), or null.
	 */
	public function open( string $why, ?array $alternative ): void {
		global $wpdb;
		$now = time();
		try {
			// Never taken over (a row holds a time after 0): only the creator of the outage tells.
			$opened = null !== Atomic_Option::take( $wpdb->options, Self_Check::OUTAGE, $now, 0 );
		} catch ( Database_Error $error ) {
			$opened = false;
		}
		wp_cache_delete( Self_Check::OUTAGE, 'options' );
		wp_cache_delete( 'notoptions', 'options' );
		if ( $opened ) {
			$state                     = Self_Check::state();
			$state['outage_dismissed'] = false;
			update_option( Self_Check::OPTION, $state, false );
			if ( null !== $alternative ) {
				$this->mail->send( $why, $alternative );
			}
		}
	}

	/**
	 * A run found the path working: the open outage ends (the next one is told again).
	 */
	public static function close(): void {
		if ( null !== Self_Check::outage_since() ) {
			delete_option( Self_Check::OUTAGE );
		}
	}
}
