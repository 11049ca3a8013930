<?php
/**
 * The MX finding of the domain check: whether the From domain receives mail.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * MX records, a null MX (RFC 7505) or a domain that does not exist.
 */
final class Mx_Check {

	/**
	 * DNS.
	 *
	 * @var Record_Source
	 */
	private Record_Source $dns;

	/**
	 * Takes the DNS.
	 *
	 * @param Record_Source $dns DNS.
	 */
	public function __construct( Record_Source $dns ) {
		$this->dns = $dns;
	}

	/**
	 * The MX records of the From domain, or its null MX.
	 *
	 * @param string $domain Domain.
	 */
	public function find( string $domain ): Finding {
		$answer = $this->dns->records( $domain, Dns_Packet::TYPE_MX );
		$hosts  = Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_MX );
		$facts  = implode(
			"\n",
			array_map(
				static function ( string $mx ) use ( $domain ): string {
					return $domain . ' MX ' . $mx;
				},
				$hosts
			)
		);
		if ( Record_Source::NO_NAME === $answer['status'] ) {
			return new Finding(
				'mx',
				Finding::FAIL,
				'nxdomain',
				/* translators: %s: domain. */
				sprintf( __( 'The domain %s does not exist in DNS.', 'smtp-port-helper' ), $domain ),
				__( 'Gmail, Outlook and Yahoo refuse mail from a domain that does not exist. Use a From address at your real domain.', 'smtp-port-helper' ),
				''
			);
		}
		if ( Record_Source::FAILED === $answer['status'] ) {
			return new Finding( 'mx', Finding::WARN, 'temperror', __( 'The MX records could not be read in time.', 'smtp-port-helper' ), __( 'A name server did not answer; run the check again.', 'smtp-port-helper' ), '' );
		}
		if ( array( '0 .' ) === $hosts ) {
			return new Finding(
				'mx',
				Finding::FAIL,
				'null_mx',
				/* translators: %s: domain. */
				sprintf( __( '%s publishes a null MX: it says it receives no mail.', 'smtp-port-helper' ), $domain ),
				__( 'Replies and bounces to this From address cannot be delivered, and receivers may refuse mail from a domain that says it takes none (RFC 7505). Use a From address at a domain that receives mail, or replace the null MX with the MX records of your mailbox provider.', 'smtp-port-helper' ),
				$facts
			);
		}
		if ( array() === $hosts ) {
			return new Finding(
				'mx',
				Finding::WARN,
				'missing',
				/* translators: %s: domain. */
				sprintf( __( '%s has no MX record.', 'smtp-port-helper' ), $domain ),
				__( 'Replies and bounces go to the domain\'s address record, if anything listens there. Some receivers distrust senders whose domain cannot receive mail. Publish the MX records your mailbox provider gives you.', 'smtp-port-helper' ),
				''
			);
		}
		return new Finding(
			'mx',
			Finding::PASS,
			'present',
			/* translators: %s: domain. */
			sprintf( __( '%s receives mail (MX records present).', 'smtp-port-helper' ), $domain ),
			__( 'Replies and bounces can be delivered.', 'smtp-port-helper' ),
			$facts
		);
	}
}
