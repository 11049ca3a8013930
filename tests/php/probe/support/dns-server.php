<?php
/**
 * A name server for the tests, on 127.0.0.1 (UDP, a free port printed on the first line).
 *
 * Usage: php dns-server.php '{"smtp.example.test": {"a": ["127.0.0.1"], "aaaa": ["::1"]}, "silent.example.test": "drop"}'
 * Names in the map answer with their records (a CNAME first for names whose entry has "cname"),
 * "drop" never answers, anything else is NXDOMAIN.
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput -- a test server on the command line.

$zone   = json_decode( $argv[1] ?? '{}', true );
$socket = stream_socket_server( 'udp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND );
if ( false === $socket ) {
	fwrite( STDERR, "cannot bind: $error\n" );
	exit( 1 );
}
$name_of = stream_socket_get_name( $socket, false );
echo substr( (string) $name_of, strrpos( (string) $name_of, ':' ) + 1 ), "\n";

/**
 * A name in wire format.
 *
 * @param string $name Name.
 */
function wire_name( string $name ): string {
	$out = '';
	foreach ( explode( '.', $name ) as $label ) {
		$out .= chr( strlen( $label ) ) . $label;
	}
	return $out . "\0";
}

while ( true ) {
	$peer   = '';
	$packet = stream_socket_recvfrom( $socket, 4096, 0, $peer );
	if ( false === $packet || strlen( $packet ) < 17 ) {
		continue;
	}
	$id     = substr( $packet, 0, 2 );
	$offset = 12;
	$labels = array();
	while ( $offset < strlen( $packet ) && 0 !== ord( $packet[ $offset ] ) ) {
		$length   = ord( $packet[ $offset ] );
		$labels[] = substr( $packet, $offset + 1, $length );
		$offset  += $length + 1;
	}
	$question = substr( $packet, 12, $offset + 5 - 12 );
	$type     = unpack( 'n', substr( $packet, $offset + 1, 2 ) )[1];
	$name     = strtolower( implode( '.', $labels ) );
	$entry    = $zone[ $name ] ?? null;
	if ( 'drop' === $entry ) {
		continue;
	}
	$answers = '';
	$count   = 0;
	$rcode   = null === $entry ? 3 : 0;
	$owner   = "\xc0\x0c";
	if ( is_array( $entry ) && isset( $entry['cname'] ) ) {
		$target   = wire_name( $entry['cname'] );
		$answers .= $owner . pack( 'nnNn', 5, 1, 60, strlen( $target ) ) . $target;
		$owner    = $target;
		++$count;
	}
	foreach ( is_array( $entry ) ? (array) ( $entry[ 1 === $type ? 'a' : 'aaaa' ] ?? array() ) : array() as $address ) {
		$answers .= $owner . pack( 'nnNn', $type, 1, 60, 1 === $type ? 4 : 16 ) . inet_pton( $address );
		++$count;
	}
	$reply = $id . pack( 'nnnnn', 0x8180 | $rcode, 1, $count, 0, 0 ) . $question . $answers;
	stream_socket_sendto( $socket, $reply, 0, $peer );
}
