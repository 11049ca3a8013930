<?php
/**
 * Router for PHP's built-in server (env/stack.sh when Apache cannot run PHP as a user who can read
 * the checkout): the same rules as the stack's Apache configuration — existing files are served as
 * they are (PHP files run), everything else goes to WordPress's index.php.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- a web server router, not plugin code.

$request_path = (string) parse_url( $_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url, WordPress.Security.ValidatedSanitizedInput
$target       = $_SERVER['DOCUMENT_ROOT'] . $request_path; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput

if ( is_file( $target ) || ( is_dir( $target ) && is_file( rtrim( $target, '/' ) . '/index.php' ) ) ) {
	return false;
}

$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
$_SERVER['PHP_SELF']        = '/index.php';
require $_SERVER['DOCUMENT_ROOT'] . '/index.php'; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput
