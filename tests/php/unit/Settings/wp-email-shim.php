<?php
/**
 * A stand-in for WordPress's is_email() with the same rules, for unit tests of pure classes only.
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals

if ( ! function_exists( 'is_email' ) ) {
	/**
	 * @param string $email Address.
	 * @return string|false
	 */
	function is_email( $email ) { // phpcs:ignore
		if ( strlen( $email ) < 6 || false === strpos( $email, '@', 1 ) ) {
			return false;
		}
		list( $local, $domain ) = explode( '@', $email, 2 );
		if ( ! preg_match( '/^[a-zA-Z0-9!#$%&\'*+\/=?^_`{|}~\.-]+$/', $local ) || preg_match( '/\.{2,}/', $domain ) || trim( $domain, " \t\n\r\0\x0B." ) !== $domain ) {
			return false;
		}
		$subs = explode( '.', $domain );
		if ( 2 > count( $subs ) ) {
			return false;
		}
		foreach ( $subs as $sub ) {
			if ( trim( $sub, " \t\n\r\0\x0B-" ) !== $sub || ! preg_match( '/^[a-z0-9-]+$/i', $sub ) ) {
				return false;
			}
		}
		return $email;
	}
}
