<?php
/**
 * Which hosting platforms block outgoing mail ports, and what to ask for.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The cloud platforms' published rules for outgoing SMTP ports, kept in one place with their
 * sources and the day they were checked (docs/facts.md), and the platform this web server runs on,
 * read from the machine's own DMI data (no network request: the metadata services are exactly
 * what the address policy refuses).
 */
final class Hosting_Platform_Blocks {

	/** Where Linux exposes the machine's vendor and product names. */
	const DMI_DIR = '/sys/class/dmi/id';

	/**
	 * The platform detected for this request (memoized).
	 *
	 * @var string|null|false
	 */
	private static $platform = false;

	/**
	 * The published rules: platform id, its name, how its machines name themselves in DMI
	 * (regular expression over "sys_vendor product_name bios_vendor bios_version"), the ports it
	 * blocks, whether asking lifts the block, the source and the day it was checked.
	 *
	 * @return list<array{id: string, name: string, dmi: string, ports: int[], until_asked: bool, source: string, checked: string}>
	 */
	public static function facts(): array {
		return array(
			array(
				'id'          => 'google_cloud',
				'name'        => 'Google Cloud',
				'dmi'         => '/Google Compute Engine|^Google\b/i',
				'ports'       => array( 25 ),
				'until_asked' => false,
				'source'      => 'https://cloud.google.com/compute/docs/tutorials/sending-mail',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'aws_ec2',
				'name'        => 'Amazon EC2',
				'dmi'         => '/Amazon EC2|amazon/i',
				'ports'       => array( 25 ),
				'until_asked' => true,
				'source'      => 'https://repost.aws/knowledge-center/ec2-port-25-throttle',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'azure',
				'name'        => 'Microsoft Azure',
				'dmi'         => '/Microsoft Corporation.*Virtual Machine/i',
				'ports'       => array( 25 ),
				'until_asked' => false,
				'source'      => 'https://learn.microsoft.com/azure/virtual-network/troubleshoot-outbound-smtp-connectivity',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'linode',
				'name'        => 'Linode (Akamai)',
				'dmi'         => '/Linode|Akamai/i',
				'ports'       => array( 25, 465, 587 ),
				'until_asked' => true,
				'source'      => 'https://techdocs.akamai.com/cloud-computing/docs/send-email',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'digitalocean',
				'name'        => 'DigitalOcean',
				'dmi'         => '/DigitalOcean/i',
				'ports'       => array( 25 ),
				'until_asked' => true,
				'source'      => 'https://docs.digitalocean.com/support/why-is-smtp-blocked/',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'hetzner',
				'name'        => 'Hetzner',
				'dmi'         => '/Hetzner/i',
				'ports'       => array( 25, 465 ),
				'until_asked' => true,
				'source'      => 'https://docs.hetzner.com/cloud/servers/faq/',
				'checked'     => '2026-11-29',
			),
			array(
				'id'          => 'vultr',
				'name'        => 'Vultr',
				'dmi'         => '/Vultr/i',
				'ports'       => array( 25 ),
				'until_asked' => true,
				'source'      => 'https://docs.vultr.com/what-ports-are-blocked',
				'checked'     => '2026-11-29',
			),
		);
	}

	/**
	 * The platform a machine's DMI data names, or null.
	 *
	 * @param string $dmi_dir Directory with sys_vendor, product_name, bios_vendor, bios_version.
	 */
	public static function detect( string $dmi_dir = self::DMI_DIR ): ?string {
		$names = array();
		foreach ( array( 'sys_vendor', 'product_name', 'bios_vendor', 'bios_version' ) as $file ) {
			$path = $dmi_dir . '/' . $file;
			if ( is_readable( $path ) ) {
				$names[] = trim( (string) file_get_contents( $path ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local sysfs file.
			}
		}
		$text = implode( ' ', array_filter( $names ) );
		if ( '' === $text ) {
			return null;
		}
		foreach ( self::facts() as $fact ) {
			if ( preg_match( $fact['dmi'], $text ) ) {
				return $fact['id'];
			}
		}
		return null;
	}

	/**
	 * The platform this web server runs on, or null (filter `smtp_port_helper_hosting_platform`).
	 */
	public static function current_platform(): ?string {
		if ( false === self::$platform ) {
			$detected       = self::detect();
			self::$platform = function_exists( 'apply_filters' ) ? apply_filters( 'smtp_port_helper_hosting_platform', $detected ) : $detected;
		}
		return is_string( self::$platform ) && '' !== self::$platform ? self::$platform : null;
	}

	/**
	 * The rule of a platform, or null.
	 *
	 * @param string|null $platform Platform id.
	 * @return array{id: string, name: string, dmi: string, ports: int[], until_asked: bool, source: string, checked: string}|null
	 */
	public static function rule( ?string $platform ): ?array {
		foreach ( self::facts() as $fact ) {
			if ( $fact['id'] === $platform ) {
				return $fact;
			}
		}
		return null;
	}

	/**
	 * For a port that could not be connected to: the platform rule that explains it, or (port 25,
	 * platform unknown) the rules of the common platforms. '' when no rule applies.
	 *
	 * @param int         $port     Port.
	 * @param string|null $platform Platform id (default: the detected one).
	 */
	public static function port_note( int $port, ?string $platform = null ): string {
		$rule = self::rule( $platform ?? self::current_platform() );
		if ( null !== $rule ) {
			if ( ! in_array( $port, $rule['ports'], true ) ) {
				return '';
			}
			return $rule['until_asked']
				? sprintf(
					/* translators: 1: platform name, e.g. Hetzner, 2: port number */
					__( 'This web server runs on %1$s, which blocks outgoing port %2$d until you ask its support to lift the block.', 'smtp-port-helper' ),
					$rule['name'],
					$port
				)
				: sprintf(
					/* translators: 1: platform name, e.g. Google Cloud, 2: port number */
					__( 'This web server runs on %1$s, which blocks outgoing port %2$d for good: use another port.', 'smtp-port-helper' ),
					$rule['name'],
					$port
				);
		}
		if ( Submission_Ports::RELAY !== $port ) {
			return '';
		}
		return __( 'Port 25 is blocked on most cloud platforms: always on Google Cloud and on most Azure subscriptions; on Amazon EC2, DigitalOcean, Hetzner and Vultr until you ask (Hetzner also blocks 465); Linode blocks 25, 465 and 587 for accounts created since 2019 until you ask.', 'smtp-port-helper' );
	}
}
