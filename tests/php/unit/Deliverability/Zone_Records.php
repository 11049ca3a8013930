<?php
/**
 * Records held in memory for the pure unit tests of the evaluators (the integration tests use a
 * real name server): a missing name is NXDOMAIN, a name listed under "failed" times out.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use SmtpPortHelper\Deliverability\Record_Source;
use SmtpPortHelper\Net\Dns_Packet;

/**
 * A zone as an array: name => list of [type, data].
 */
final class Zone_Records implements Record_Source {

	/** @var array<string, list<array{0: int, 1: string}>> */
	private array $zone;

	/** @var string[] */
	private array $failing;

	/** @var list<string> Every question asked, "type name". */
	public array $asked = array();

	/**
	 * @param array<string, list<array{0: int, 1: string}>> $zone    Records.
	 * @param string[]                                      $failing Names whose look-ups fail.
	 */
	public function __construct( array $zone, array $failing = array() ) {
		$this->zone    = $zone;
		$this->failing = $failing;
	}

	public function prefetch( array $questions ): void {
	}

	public function records( string $name, int $type ): array {
		$this->asked[] = $type . ' ' . $name;
		if ( in_array( $name, $this->failing, true ) ) {
			return array(
				'status'  => self::FAILED,
				'records' => array(),
			);
		}
		if ( ! isset( $this->zone[ $name ] ) ) {
			return array(
				'status'  => self::NO_NAME,
				'records' => array(),
			);
		}
		$records = array();
		foreach ( $this->zone[ $name ] as $record ) {
			if ( $type === $record[0] || Dns_Packet::TYPE_CNAME === $record[0] ) {
				$records[] = array(
					'type' => $record[0],
					'data' => $record[1],
				);
			}
		}
		return array(
			'status'  => self::FOUND,
			'records' => $records,
		);
	}
}
