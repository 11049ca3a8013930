<?php
/**
 * One mailbox of an address header: the address and its display name.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Mime;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The name is decoded (RFC 2047 encoded words, quotes removed): the text a person reads.
 */
final class Mail_Address {

	/**
	 * The address (addr-spec), as written.
	 *
	 * @var string
	 */
	public string $address;

	/**
	 * The display name, decoded to UTF-8 ('' for none).
	 *
	 * @var string
	 */
	public string $name;

	/**
	 * Takes the address and the name.
	 *
	 * @param string $address Address.
	 * @param string $name    Display name.
	 */
	public function __construct( string $address, string $name = '' ) {
		$this->address = $address;
		$this->name    = $name;
	}

	/**
	 * The address in lower case, for comparing with the envelope.
	 */
	public function key(): string {
		return strtolower( $this->address );
	}

	/**
	 * `Name <address>` with the name quoted where RFC 5322 needs it (UTF-8 left as it is, for
	 * an API that takes a header line as JSON text), or the bare address.
	 */
	public function to_header_text(): string {
		if ( '' === $this->name ) {
			return $this->address;
		}
		$name = preg_match( '/^[A-Za-z0-9!#$%&\'*+\/=?^_`{|}~ \-\x80-\xff]+$/', $this->name )
			? $this->name
			: '"' . addcslashes( $this->name, '"\\' ) . '"';
		return $name . ' <' . $this->address . '>';
	}
}
