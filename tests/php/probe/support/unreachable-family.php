<?php
/**
 * Run by Unreachable_Family_Test inside a network namespace of its own where IPv6 to
 * fd00:5ea::/64 has an `unreachable` route: starts the real SMTP server on 127.0.0.1, probes a
 * name whose A record is 127.0.0.1 and AAAA record fd00:5ea::25, and the bare IPv6 address, and
 * prints `RESULT: <json>`.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Net\Resolver_Config;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Probe\Port_Prober;

require dirname( __DIR__, 2 ) . '/bootstrap-unit.php';
require_once __DIR__ . '/Test_Servers.php';

$dir = (string) $argv[1];
file_put_contents( $dir . '/hosts', "127.0.0.1 smtp.dual-stack.test\nfd00:5ea::25 smtp.dual-stack.test\n" );
file_put_contents( $dir . '/resolv.conf', "nameserver 127.0.0.1\n" );
$servers = new Test_Servers( array( 'real' ) );
try {
	$resolver = new Dns_Resolver( new Resolver_Config( $dir . '/hosts', $dir . '/resolv.conf' ), 9 );
	$port     = $servers->port['good_starttls'];
	$options  = array(
		'ports'   => array( $port ),
		'timeout' => 3,
		'cafile'  => $servers->certs->ca_file,
	);
	$started  = microtime( true );
	$name     = ( new Port_Prober( null, $resolver ) )->probe( array( 'host' => 'smtp.dual-stack.test' ) + $options )->to_array();
	$seconds  = microtime( true ) - $started;
	$literal  = ( new Port_Prober( null, $resolver ) )->probe( array( 'host' => 'fd00:5ea::25' ) + $options )->to_array();
	echo 'RESULT: ' . json_encode( // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode, WordPress.Security.EscapeOutput.OutputNotEscaped
		array(
			'name'         => $name,
			'name_seconds' => $seconds,
			'literal'      => $literal,
		)
	) . "\n";
} finally {
	$servers->stop();
}
