<?php
/**
 * One token request through Token_Client in a process of its own, against the integration tables
 * (wptests_), with the plugin's resolver reading a private hosts file. Run inside a mount
 * namespace whose /etc/hosts says something else, it shows where cURL really connects when the
 * name is looked up a second time. Prints the Token_Error as JSON.
 *
 * Usage: php tests/php/integration/support/token-request.php <folder with hosts and resolv.conf> <token URL>
 *
 * @package SmtpPortHelper\Tests
 */

// The stack blocks every host but localhost and its own; these test names are loopback too.
define( 'WP_ACCESSIBLE_HOSTS', (string) getenv( 'SMTP_PORT_HELPER_ACCESSIBLE_HOSTS' ) );
require __DIR__ . '/load-wordpress.php';

$smtp_port_helper_resolver = new SmtpPortHelper\Net\Dns_Resolver( new SmtpPortHelper\Net\Resolver_Config( $argv[1] . '/hosts', $argv[1] . '/resolv.conf' ), 9 );
$smtp_port_helper_client   = new SmtpPortHelper\OAuth\Token_Client( SmtpPortHelper\Net\Address_Policy::administrator(), $smtp_port_helper_resolver );
try {
	$smtp_port_helper_client->refresh( new SmtpPortHelper\OAuth\Provider_Profile( 'generic', '', $argv[2], '', '' ), 'client', null, 'refresh-token', '' );
	echo wp_json_encode( array( 'error' => '' ) ), "\n";
} catch ( SmtpPortHelper\OAuth\Token_Error $error ) {
	echo wp_json_encode(
		array(
			'error'   => $error->error(),
			'message' => $error->getMessage(),
		)
	), "\n";
}
