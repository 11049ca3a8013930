<?php
/**
 * The data of DNS answers, as the domain check's parts read them.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The records of one type out of an answer (an answer holds a CNAME chain's CNAMEs too).
 */
final class Dns_Data {

	/**
	 * The data of a name's records of a type.
	 *
	 * @param Record_Source $dns  DNS.
	 * @param string        $name Name.
	 * @param int           $type Type.
	 * @return string[]
	 */
	public static function data( Record_Source $dns, string $name, int $type ): array {
		return self::of_type( $dns->records( $name, $type )['records'], $type );
	}

	/**
	 * The data of the records of one type.
	 *
	 * @param list<array{type: int, data: string}> $records Records.
	 * @param int                                  $type    Type.
	 * @return string[]
	 */
	public static function of_type( array $records, int $type ): array {
		$data = array();
		foreach ( $records as $record ) {
			if ( $type === $record['type'] ) {
				$data[] = $record['data'];
			}
		}
		return $data;
	}
}
