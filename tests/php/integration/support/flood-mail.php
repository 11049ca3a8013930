<?php
/**
 * Sends COUNT messages to one address through wp_mail() in a process of its own, against the
 * integration tables (wptests_): one of several requests of a flood arriving at once. Prints how
 * many wp_mail() accepted and how many failed, as JSON.
 *
 * Usage: php tests/php/integration/support/flood-mail.php COUNT ADDRESS TAG
 *
 * @package SmtpPortHelper\Tests
 */

require __DIR__ . '/load-wordpress.php';

list( , $smtp_port_helper_count, $smtp_port_helper_to, $smtp_port_helper_tag ) = $argv;
$smtp_port_helper_result = array(
	'sent'   => 0,
	'failed' => 0,
);
for ( $smtp_port_helper_i = 0; $smtp_port_helper_i < (int) $smtp_port_helper_count; $smtp_port_helper_i++ ) {
	++$smtp_port_helper_result[ wp_mail( $smtp_port_helper_to, "$smtp_port_helper_tag #$smtp_port_helper_i", 'x' ) ? 'sent' : 'failed' ];
}
echo wp_json_encode( $smtp_port_helper_result ), "\n";
