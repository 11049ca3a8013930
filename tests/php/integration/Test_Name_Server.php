<?php
/**
 * A real authoritative name server on loopback for the domain check's tests: Debian's NSD, with
 * zones written here (keys generated for the run), on 127.0.0.1:10053 (UDP and TCP), or the port in
 * SMTP_PORT_HELPER_NSD_PORT: the SQLite suite uses another, as it runs beside the integration suite.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

/**
 * Starts NSD once per PHP process (the first test that needs it) and stops it at exit. NSD, not a
 * server written in JavaScript, because it behaves as the name servers a site meets: it truncates
 * UDP answers over 512 bytes to a query without EDNS (so the TCP retry is really exercised), and
 * answers NXDOMAIN and NODATA by the book.
 */
final class Test_Name_Server {

	public const ADDRESS = '127.0.0.1';
	private const DEFAULT_PORT = 10053;

	/** The port it listens on (UDP and TCP); each suite running at the same time has its own. */
	public static function port(): int {
		return (int) ( getenv( 'SMTP_PORT_HELPER_NSD_PORT' ) ?: self::DEFAULT_PORT );
	}

	/** Why it could not start ('' when it runs). */
	private static ?string $failure = null;

	/** @var resource|null */
	private static $process = null;

	/** @var array<string, list<string>> Zones added by tests (origin => records), served beside zones(). */
	private static array $added = array();

	/**
	 * Serves one more zone (or replaces one a test added before): NSD starts again with it.
	 * For records only known while the test runs, e.g. the public key the site just generated.
	 *
	 * @param string       $origin  Zone origin.
	 * @param list<string> $records Records, in zone-file syntax (use txt() for long TXT values).
	 * @return string Why it cannot run ('' when it serves the zone).
	 */
	public static function serve( string $origin, array $records ): string {
		self::$added[ $origin ] = $records;
		self::stop();
		self::$failure = null;
		return self::start();
	}

	/**
	 * Starts the server (once); the reason when it cannot run.
	 */
	public static function start(): string {
		if ( null !== self::$failure ) {
			return self::$failure;
		}
		$nsd = trim( (string) shell_exec( 'command -v nsd || ls /usr/sbin/nsd 2>/dev/null' ) );
		if ( '' === $nsd ) {
			self::$failure = 'NSD is not installed: apt-get install nsd (bash env/setup.sh apt)';
			return self::$failure;
		}
		$dir = dirname( __DIR__, 3 ) . '/.run/dns-tests-' . self::port();
		if ( ! is_dir( $dir ) ) {
			mkdir( $dir, 0700, true );
		}
		array_map( 'unlink', glob( $dir . '/*' ) ?: array() );
		$zones = array_merge( self::zones(), self::$added );
		$conf  = "server:\n  ip-address: " . self::ADDRESS . '@' . self::port() . "\n  port: " . self::port() . "\n  username: \"\"\n  chroot: \"\"\n"
			. "  zonesdir: \"$dir\"\n  database: \"\"\n  pidfile: \"$dir/nsd.pid\"\n  xfrdfile: \"$dir/xfrd.state\"\n"
			. "  zonelistfile: \"$dir/zone.list\"\n  logfile: \"$dir/nsd.log\"\n  server-count: 1\n  verbosity: 1\n  hide-version: yes\n"
			. "remote-control:\n  control-enable: no\n";
		foreach ( $zones as $origin => $records ) {
			$zone = "\$ORIGIN $origin.\n\$TTL 60\n@ SOA ns.$origin. hostmaster.$origin. 1 3600 600 86400 60\n@ NS ns.$origin.\nns A 127.0.0.1\n" . implode( "\n", $records ) . "\n";
			file_put_contents( "$dir/$origin.zone", $zone );
			$conf .= "zone:\n  name: \"$origin\"\n  zonefile: \"$origin.zone\"\n";
		}
		file_put_contents( "$dir/nsd.conf", $conf );
		$pipes         = array();
		self::$process = proc_open( array( $nsd, '-d', '-c', "$dir/nsd.conf" ), array( array( 'file', '/dev/null', 'r' ), array( 'file', "$dir/stdout", 'w' ), array( 'file', "$dir/stderr", 'w' ) ), $pipes );
		if ( ! is_resource( self::$process ) ) {
			self::$failure = 'FAILED: NSD did not start';
			return self::$failure;
		}
		register_shutdown_function( array( self::class, 'stop' ) );
		$last = array_key_last( self::$added ) ?? 'nospf.test';
		for ( $i = 0; $i < 50; $i++ ) {
			if ( self::answers() && self::answers( (string) $last ) ) {
				self::$failure = '';
				return '';
			}
			usleep( 100000 );
		}
		self::$failure = 'FAILED: NSD does not answer on ' . self::ADDRESS . ':' . self::port() . ': ' . @file_get_contents( "$dir/stderr" ) . @file_get_contents( "$dir/nsd.log" ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		return self::$failure;
	}

	/**
	 * Stops the server.
	 */
	public static function stop(): void {
		if ( is_resource( self::$process ) ) {
			proc_terminate( self::$process );
			proc_close( self::$process );
		}
		self::$process = null;
	}

	/**
	 * A resolv.conf naming the server (the resolver takes its port separately).
	 */
	public static function resolv_conf(): string {
		$file = dirname( __DIR__, 3 ) . '/.run/dns-tests-' . self::port() . '-resolv.conf';
		file_put_contents( $file, 'nameserver ' . self::ADDRESS . "\n" );
		return $file;
	}

	/**
	 * Whether the server answers a query for a zone it serves.
	 */
	private static function answers( string $zone = 'nospf.test' ): bool {
		$socket = @stream_socket_client( 'udp://' . self::ADDRESS . ':' . self::port(), $errno, $error, 1.0 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		if ( false === $socket ) {
			return false;
		}
		stream_set_timeout( $socket, 0, 200000 );
		$name = '';
		foreach ( explode( '.', $zone ) as $label ) {
			$name .= chr( strlen( $label ) ) . $label;
		}
		fwrite( $socket, pack( 'nnnnnn', 7, 0, 1, 0, 0, 0 ) . $name . "\0" . pack( 'nn', 6, 1 ) );
		$answer = (string) fread( $socket, 512 );
		fclose( $socket );
		// NOERROR: a server that does not serve the zone (an old one still running) answers REFUSED.
		return strlen( $answer ) > 12 && 0 === ( ord( $answer[3] ) & 0x0f );
	}

	/**
	 * The base64 public key of a new RSA key pair.
	 *
	 * @param int $bits Bits.
	 */
	private static function public_key( int $bits ): string {
		$key = openssl_pkey_new(
			array(
				'private_key_bits' => $bits,
				'private_key_type' => OPENSSL_KEYTYPE_RSA,
			)
		);
		$pem = false === $key ? '' : (string) openssl_pkey_get_details( $key )['key'];
		return (string) preg_replace( '/-----[^-]+-----|\s+/', '', $pem );
	}

	/**
	 * A TXT value in 255-byte strings, quoted for a zone file.
	 *
	 * @param string $text Text.
	 */
	public static function txt( string $text ): string {
		return 'TXT ( "' . implode( '" "', str_split( $text, 255 ) ) . '" )';
	}

	/**
	 * The zones: origin => records. Each From domain is named for its case.
	 *
	 * @return array<string, list<string>>
	 */
	private static function zones(): array {
		$good     = self::public_key( 2048 );
		$includes = array();
		$eleven   = array();
		for ( $i = 1; $i <= 11; $i++ ) {
			$eleven[]   = "i$i " . self::txt( "v=spf1 ip4:198.51.100.$i -all" );
			$includes[] = "include:i$i.toomany.test";
		}
		$big = array();
		for ( $i = 1; $i <= 8; $i++ ) {
			$big[] = '@ ' . self::txt( 'site-verification-' . $i . '=' . str_repeat( chr( 96 + $i ), 80 ) );
		}
		return array(
			// No SPF at all; the domain receives mail.
			'nospf.test'       => array( '@ MX 10 mx', 'mx A 192.0.2.20' ),
			// SPF that names the site's own server, not the provider.
			'noprovider.test'  => array( '@ ' . self::txt( 'v=spf1 ip4:192.0.2.10 mx -all' ), '@ MX 10 mx', 'mx A 192.0.2.21' ),
			// Eleven includes: one DNS-querying term too many.
			'toomany.test'     => array_merge( array( '@ ' . self::txt( 'v=spf1 ' . implode( ' ', $includes ) . ' include:sendgrid.net -all' ), '@ MX 10 mx', 'mx A 192.0.2.22' ), $eleven ),
			// redirect= twice, then the provider's include.
			'redirect.test'    => array( '@ ' . self::txt( 'v=spf1 redirect=_spf.redirect.test' ), '_spf ' . self::txt( 'v=spf1 redirect=_spf2.redirect.test' ), '_spf2 ' . self::txt( 'v=spf1 ip4:192.0.2.30 include:sendgrid.net -all' ), '@ MX 10 mx', 'mx A 192.0.2.23' ),
			// Two void look-ups (allowed) and three (permerror).
			'twovoid.test'     => array( '@ ' . self::txt( 'v=spf1 a:gone1.twovoid.test a:gone2.twovoid.test include:sendgrid.net -all' ), '@ MX 10 mx', 'mx A 192.0.2.24' ),
			'threevoid.test'   => array( '@ ' . self::txt( 'v=spf1 a:gone1.threevoid.test a:gone2.threevoid.test a:gone3.threevoid.test include:sendgrid.net -all' ), '@ MX 10 mx', 'mx A 192.0.2.24' ),
			// Google Workspace with a 2048-bit key at "google", with none, with a broken one.
			'dkimgood.test'    => array( '@ ' . self::txt( 'v=spf1 include:_spf.google.com ~all' ), 'google._domainkey ' . self::txt( 'v=DKIM1; k=rsa; p=' . $good ), '_dmarc ' . self::txt( 'v=DMARC1; p=quarantine; rua=mailto:postmaster@dkimgood.test' ), '@ MX 10 mx', 'mx A 192.0.2.26' ),
			'dkimmissing.test' => array( '@ ' . self::txt( 'v=spf1 include:_spf.google.com ~all' ), '_dmarc ' . self::txt( 'v=DMARC1; p=none' ), '@ MX 10 mx', 'mx A 192.0.2.27' ),
			'dkimwrong.test'   => array( '@ ' . self::txt( 'v=spf1 include:_spf.google.com ~all' ), 'google._domainkey ' . self::txt( 'v=DKIM1; k=rsa; p=' . substr( $good, 0, 120 ) ), '@ MX 10 mx', 'mx A 192.0.2.28' ),
			// DMARC p=reject, strict, while SendGrid signs and bounces with its own domain.
			'reject.test'      => array( '@ ' . self::txt( 'v=spf1 include:sendgrid.net -all' ), '_dmarc ' . self::txt( 'v=DMARC1; p=reject; adkim=s; aspf=s' ), '@ MX 10 mx', 'mx A 192.0.2.29' ),
			// No _dmarc at news.orgfallback.test: the organisational domain's record (sp=reject) applies.
			'orgfallback.test' => array( '_dmarc ' . self::txt( 'v=DMARC1; p=quarantine; sp=reject' ), 'news ' . self::txt( 'v=spf1 include:_spf.google.com -all' ), 'news MX 10 mx', 'mx A 192.0.2.31' ),
			// A null MX (RFC 7505).
			'nullmx.test'      => array( '@ ' . self::txt( 'v=spf1 include:sendgrid.net -all' ), '@ MX 0 .' ),
			// A host the plugin does not know, and SPF naming its address.
			'own.test'         => array( '@ ' . self::txt( 'v=spf1 ip4:192.0.2.25 -all' ), 'relay A 192.0.2.25', 'other A 192.0.2.99', '@ MX 10 relay' ),
			// Microsoft 365: selector1 published, selector2 not.
			'm365.test'        => array( '@ ' . self::txt( 'v=spf1 include:spf.protection.outlook.com -all' ), 'selector1._domainkey CNAME selector1-m365-test._domainkey.contoso.onmicrosoft.com.', '_dmarc ' . self::txt( 'v=DMARC1; p=none' ), '@ MX 10 mx', 'mx A 192.0.2.32' ),
			// An answer too big for UDP without EDNS: the SPF record comes only over TCP.
			'big.test'         => array_merge( $big, array( '@ ' . self::txt( 'v=spf1 include:sendgrid.net -all' ), '@ MX 10 mx', 'mx A 192.0.2.33' ) ),
		);
	}
}
