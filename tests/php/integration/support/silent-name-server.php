<?php
/**
 * A name server that never answers: binds UDP 127.0.0.1:53 (so queries are not refused), reads
 * nothing, and writes "ready" once bound. Run inside a network namespace of its own.
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput -- a test server on the command line.

$socket = stream_socket_server( 'udp://127.0.0.1:53', $errno, $error, STREAM_SERVER_BIND );
if ( false === $socket ) {
	fwrite( STDERR, "cannot bind 127.0.0.1:53: $error\n" );
	exit( 1 );
}
file_put_contents( $argv[1], 'ready' );
sleep( 120 );
