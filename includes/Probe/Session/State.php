<?php
/**
 * States of a probe session.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Where one probe session stands in the SMTP conversation. Most states double as the name of
 * the stage being timed; stage_name() gives the stage for the others.
 */
final class State {

	const NEW        = 'new';
	const CONNECTING = 'connecting';
	const TLS        = 'tls';
	const BANNER     = 'banner';
	const EHLO       = 'ehlo';
	const STARTTLS   = 'starttls';
	const EHLO_TLS   = 'ehlo_tls';
	const AUTH       = 'auth';
	const QUIT       = 'quit';
	const DONE       = 'done';

	/**
	 * The report's stage name for a state.
	 *
	 * @param string $state State constant.
	 * @return string
	 */
	public static function stage_name( string $state ): string {
		if ( self::CONNECTING === $state ) {
			return 'connect';
		}
		return $state;
	}
}
