<?php
/**
 * Where the plugin may open a connection: which addresses and ports, for whom.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Checked on each resolved address right before a connection opens (port test, test email, Site
 * Health, real sending); the connection then goes to that vetted address. Addresses of the class
 * Ip_Address::NEVER and the names of metadata services are refused unless the policy is open
 * (SMTP_PORT_HELPER_ALLOW_ANY_ADDRESS); internal addresses and ports outside the list are refused
 * where the policy says so (a sub-site administrator of a network). Who gets which policy is
 * Settings\Address_Policy_Source's business; this class knows no WordPress.
 */
final class Address_Policy {

	/** Names of metadata services that resolve to internal addresses. */
	private const METADATA_NAMES = array( 'metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal' );

	/**
	 * Whether everything is allowed (the wp-config constant).
	 *
	 * @var bool
	 */
	private bool $open;

	/**
	 * Whether internal addresses (loopback, private networks) are allowed.
	 *
	 * @var bool
	 */
	private bool $internal;

	/**
	 * Allowed ports, or null for any.
	 *
	 * @var int[]|null
	 */
	private ?array $ports;

	/**
	 * Takes the rules.
	 *
	 * @param bool       $internal Whether internal addresses are allowed.
	 * @param int[]|null $ports    Allowed ports, or null for any.
	 * @param bool       $open     Whether everything is allowed.
	 */
	public function __construct( bool $internal, ?array $ports, bool $open = false ) {
		$this->internal = $internal;
		$this->ports    = null === $ports ? null : array_values( array_map( 'intval', $ports ) );
		$this->open     = $open;
	}

	/**
	 * The policy of a single site's administrator, a super admin and the command line: internal
	 * addresses and any port, never the addresses no mail server uses.
	 */
	public static function administrator(): self {
		return new self( true, null );
	}

	/**
	 * Everything allowed (SMTP_PORT_HELPER_ALLOW_ANY_ADDRESS).
	 */
	public static function open(): self {
		return new self( true, null, true );
	}

	/**
	 * Why an address is refused: Ip_Address::NEVER or Ip_Address::INTERNAL, or null when allowed.
	 *
	 * @param string $address IP address.
	 */
	public function refusal( string $address ): ?string {
		if ( $this->open ) {
			return null;
		}
		$class = Ip_Address::classify( $address );
		if ( Ip_Address::NEVER === $class || ( Ip_Address::INTERNAL === $class && ! $this->internal ) ) {
			return $class;
		}
		return null;
	}

	/**
	 * Whether a connection to this address may open.
	 *
	 * @param string $address IP address.
	 */
	public function allows_address( string $address ): bool {
		return null === $this->refusal( $address );
	}

	/**
	 * Whether a host name is refused by name (a metadata service), before any look-up.
	 *
	 * @param string $name Host name, lower case ASCII.
	 */
	public function refuses_name( string $name ): bool {
		return ! $this->open && in_array( rtrim( strtolower( $name ), '.' ), self::METADATA_NAMES, true );
	}

	/**
	 * Whether a connection to this port may open.
	 *
	 * @param int $port Port.
	 */
	public function allows_port( int $port ): bool {
		return $this->open || null === $this->ports || in_array( $port, $this->ports, true );
	}

	/**
	 * The allowed ports, or null for any.
	 *
	 * @return int[]|null
	 */
	public function ports(): ?array {
		return $this->open ? null : $this->ports;
	}

	/**
	 * The addresses this policy allows, in their order.
	 *
	 * @param string[] $addresses IP addresses.
	 * @return string[]
	 */
	public function allowed( array $addresses ): array {
		return array_values( array_filter( $addresses, array( $this, 'allows_address' ) ) );
	}

	/**
	 * Plain words for a refused address (never naming it: the person may not learn what is there).
	 *
	 * @param string $refusal Ip_Address::NEVER or Ip_Address::INTERNAL.
	 */
	public static function refusal_message( string $refusal ): string {
		if ( Ip_Address::INTERNAL === $refusal ) {
			return __( 'This server name points to the internal network of the web server (this machine or a private network). On this network of sites, only the network administrator may use such a mail server; ask them to set it up.', 'smtp-port-helper' );
		}
		return __( 'This address is never used by mail servers (an unspecified, link-local, multicast, reserved or cloud metadata address), so the plugin does not connect to it. Check the mail server name in your email provider\'s instructions.', 'smtp-port-helper' );
	}

	/**
	 * Plain words for a refused port.
	 *
	 * @param int $port Port.
	 */
	public function port_message( int $port ): string {
		return sprintf(
			/* translators: 1: the refused port, 2: the allowed ports, comma-separated */
			__( 'Port %1$d is not a mail submission port. On this network of sites, site administrators may use these ports: %2$s.', 'smtp-port-helper' ),
			$port,
			implode( ', ', (array) $this->ports() )
		);
	}
}
