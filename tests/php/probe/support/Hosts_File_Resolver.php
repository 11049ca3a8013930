<?php
/**
 * A private hosts file and resolv.conf for probe tests that need names on loopback.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Net\Resolver_Config;
use SmtpPortHelper\Net\Dns_Resolver;

/**
 * Writes a hosts file (the names a test needs, on loopback) and a resolv.conf whose name server
 * is loopback, so the hosts file must answer; removes both again.
 */
final class Hosts_File_Resolver {

	/**
	 * Folder of the two files.
	 *
	 * @var string
	 */
	private string $dir;

	/**
	 * Writes the files.
	 *
	 * @param string $name  A name for the folder (unique per test class).
	 * @param string $hosts The hosts file's lines.
	 */
	public function __construct( string $name, string $hosts ) {
		$this->dir = sys_get_temp_dir() . '/sph-' . $name . '-' . getmypid();
		@mkdir( $this->dir, 0700 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		file_put_contents( $this->dir . '/hosts', $hosts );
		file_put_contents( $this->dir . '/resolv.conf', "nameserver 127.0.0.1\n" );
	}

	/**
	 * A resolver that reads these files.
	 */
	public function resolver(): Dns_Resolver {
		return new Dns_Resolver( new Resolver_Config( $this->dir . '/hosts', $this->dir . '/resolv.conf' ), 9 );
	}

	/**
	 * Removes the files.
	 */
	public function remove(): void {
		foreach ( array( 'hosts', 'resolv.conf' ) as $file ) {
			@unlink( $this->dir . '/' . $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		}
		@rmdir( $this->dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
	}
}
