<?php
/**
 * Where the domain check reads DNS records from.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The records of one name and type. The check asks for what it may need next with prefetch()
 * first, so that a source can ask them all at once.
 */
interface Record_Source {

	/** The name exists and answered (records may be empty: "no data"). */
	public const FOUND = 'found';

	/** The name does not exist (NXDOMAIN). */
	public const NO_NAME = 'nxdomain';

	/** No usable answer (time limit, SERVFAIL): SPF's temperror. */
	public const FAILED = 'failed';

	/**
	 * Asks for several records at once; later records() calls for them answer from memory.
	 *
	 * @param list<array{0: string, 1: int}> $questions Name and Dns_Packet type.
	 */
	public function prefetch( array $questions ): void;

	/**
	 * The records of a name and type.
	 *
	 * @param string $name Domain name, ASCII, no trailing dot.
	 * @param int    $type Dns_Packet::TYPE_*.
	 * @return array{status: string, records: list<array{type: int, data: string}>} Records in the
	 *         answer (a CNAME chain's CNAMEs included), status one of the constants.
	 */
	public function records( string $name, int $type ): array;
}
