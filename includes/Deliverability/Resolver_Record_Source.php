<?php
/**
 * DNS records through the plugin's own resolver, within one deadline, cached for the request.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Client;
use SmtpPortHelper\Net\Dns_Packet;
use SmtpPortHelper\Net\Dns_Resolver;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Every question goes to the system's name servers (the resolver's configuration) through the
 * non-blocking client; questions asked together go out together. After the deadline every
 * question not yet answered reads as FAILED at once, so the whole check ends on time.
 */
final class Resolver_Record_Source implements Record_Source {

	/**
	 * The resolver.
	 *
	 * @var Dns_Resolver
	 */
	private Dns_Resolver $resolver;

	/**
	 * Monotonic deadline of every look-up.
	 *
	 * @var float
	 */
	private float $deadline;

	/**
	 * Answers so far: "type name" => answer.
	 *
	 * @var array<string, array{status: string, records: list<array{type: int, data: string}>}>
	 */
	private array $answers = array();

	/**
	 * Takes the resolver and the time the whole check may take.
	 *
	 * @param Dns_Resolver $resolver Resolver (its name servers and port).
	 * @param float        $seconds  Time limit of all look-ups together.
	 */
	public function __construct( Dns_Resolver $resolver, float $seconds ) {
		$this->resolver = $resolver;
		$this->deadline = self::now() + $seconds;
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param list<array{0: string, 1: int}> $questions Name and type.
	 */
	public function prefetch( array $questions ): void {
		$asked = array();
		foreach ( $questions as $question ) {
			$question[0] = strtolower( rtrim( $question[0], '.' ) );
			$key         = $question[1] . ' ' . $question[0];
			if ( ! isset( $this->answers[ $key ] ) && ! isset( $asked[ $key ] ) && '' !== $question[0] ) {
				$asked[ $key ] = $question;
			}
		}
		if ( array() === $asked ) {
			return;
		}
		$left    = $this->deadline - self::now();
		$answers = $left > 0 ? $this->resolver->query( array_values( $asked ), $left ) : array();
		foreach ( array_keys( $asked ) as $index => $key ) {
			$answer                = $answers[ $index ] ?? array(
				'rcode'   => -1,
				'records' => array(),
				'error'   => Dns_Client::NO_ANSWER,
			);
			$this->answers[ $key ] = array(
				'status'  => '' !== $answer['error'] ? self::FAILED : ( Dns_Packet::RCODE_NXDOMAIN === $answer['rcode'] ? self::NO_NAME : self::FOUND ),
				'records' => array_map(
					static function ( array $record ): array {
						return array(
							'type' => $record['type'],
							'data' => $record['data'],
						);
					},
					$answer['records']
				),
			);
		}
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param string $name Name.
	 * @param int    $type Type.
	 * @return array{status: string, records: list<array{type: int, data: string}>}
	 */
	public function records( string $name, int $type ): array {
		$name = strtolower( rtrim( $name, '.' ) );
		$this->prefetch( array( array( $name, $type ) ) );
		return $this->answers[ $type . ' ' . $name ] ?? array(
			'status'  => self::FAILED,
			'records' => array(),
		);
	}

	/**
	 * Monotonic time in seconds.
	 */
	private static function now(): float {
		return function_exists( 'hrtime' ) ? hrtime( true ) / 1e9 : microtime( true );
	}
}
