<?php
/**
 * Puts the stack's WordPress (the site the browser tests use) into the states whose admin notices
 * the owner must read, and back: `password-held` (the SMTP server refused the login: mail is held;
 * the daily self-check switched the port), `oauth-refused` (the provider refused the mailbox's
 * sign-in: mail is held under it), `restore` (the settings, the outbox, the sign-in and the
 * self-check's findings as they were before the first call).
 *
 * Usage: php tests/e2e/support/notice-states.php password-held|oauth-refused|restore
 *
 * @package SmtpPortHelper\Tests
 */

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared

$sph_wp_url                 = getenv( 'WP_BASE_URL' ) ? getenv( 'WP_BASE_URL' ) : 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) wp_parse_url_fallback( $sph_wp_url );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';

/**
 * host:port of a URL (wp_parse_url() is not loaded yet).
 *
 * @param string $url URL.
 */
function wp_parse_url_fallback( string $url ): string {
	return (string) parse_url( $url, PHP_URL_HOST ) . ':' . (string) parse_url( $url, PHP_URL_PORT ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url
}

$sph_root = dirname( __DIR__, 3 );
require ( getenv( 'RUN' ) ? getenv( 'RUN' ) : $sph_root . '/.run' ) . '/wp/wp-load.php';

global $wpdb;
$sph_kept  = ( getenv( 'RUN' ) ? getenv( 'RUN' ) : $sph_root . '/.run' ) . '/e2e-notice-states.json';
$sph_names = array( Stored_Names::SETTINGS, Stored_Names::SELF_CHECK, Stored_Names::OAUTH_TOKENS, Stored_Names::OAUTH_ACCESS );
if ( ! is_file( $sph_kept ) ) {
	$sph_before = array();
	foreach ( $sph_names as $sph_name ) {
		$sph_before[ $sph_name ] = get_option( $sph_name );
	}
	file_put_contents( $sph_kept, (string) wp_json_encode( $sph_before ) );
}
$sph_ports      = explode( ',', getenv( 'SMTP_PORTS' ) ? getenv( 'SMTP_PORTS' ) : '25,465,587,2525' );
$sph_submission = (int) $sph_ports[2];

/**
 * A held message in the outbox, as a refused login leaves it.
 *
 * @param array{stage: string, code: int, error: string} $failure Why it is held.
 */
$sph_hold = static function ( array $failure ): void {
	Outbox_Table::install();
	( new Outbox() )->add( 'shop@example.com', array( 'customer@example.com' ), "Subject: Your order\r\n\r\nThank you.\r\n", $failure );
};

switch ( $argv[1] ?? '' ) {
	case 'password-held':
		( new Settings_Store() )->update(
			array(
				'enabled'     => true,
				'host'        => '127.0.0.1',
				'port'        => $sph_submission,
				'auth'        => true,
				'auth_method' => 'password',
				'username'    => 'test',
				'password'    => 'not-the-password',
			)
		);
		$sph_hold(
			array(
				'stage' => 'auth',
				'code'  => 535,
				'error' => 'SMTP Error: Could not authenticate. 535 5.7.8 Authentication credentials invalid',
			)
		);
		update_option(
			Self_Check::OPTION,
			array(
				'time'     => time(),
				'outcome'  => Self_Check::SWITCHED,
				'detail'   => '',
				'switched' => array(
					'from'       => 2525,
					'to'         => $sph_submission,
					'encryption' => 'starttls',
					'time'       => time(),
					'dismissed'  => false,
				),
			),
			false
		);
		break;
	case 'oauth-refused':
		( new Settings_Store() )->update(
			array(
				'enabled'             => true,
				'host'                => '127.0.0.1',
				'port'                => $sph_submission,
				'auth'                => true,
				'auth_method'         => 'oauth2',
				'username'            => 'owner@oauth.test',
				'password'            => '',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'https://login.example.com/token',
				'oauth_client_id'     => 'e2e-client',
			)
		);
		delete_option( Self_Check::OPTION );
		$sph_store = new Token_Store( Secret_Box::for_site(), 'site:' . get_current_blog_id() );
		$sph_store->connect( ( new Settings_Store() )->get(), 'owner@oauth.test', 'e2e-refresh', 'e2e-access', time() + 3600 );
		$sph_store->fail( Verdict::OAUTH_REFRESH_FAILED, 'The provider no longer accepts this sign-in (invalid_grant). Click "Connect" in the settings and sign in again.' );
		$sph_hold(
			array(
				'stage' => 'oauth',
				'code'  => 0,
				'error' => 'SMTP Port Helper: the sign-in was refused.',
			)
		);
		break;
	case 'restore':
		$sph_before = json_decode( (string) file_get_contents( $sph_kept ), true );
		foreach ( $sph_names as $sph_name ) {
			$sph_value = is_array( $sph_before ) ? ( $sph_before[ $sph_name ] ?? false ) : false;
			if ( false === $sph_value ) {
				delete_option( $sph_name );
			} else {
				update_option( $sph_name, $sph_value, false );
			}
		}
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::name() );
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::recipients_name() );
		unlink( $sph_kept );
		break;
	default:
		fwrite( STDERR, "Usage: notice-states.php password-held|oauth-refused|restore\n" );
		exit( 2 );
}
echo "done\n";
