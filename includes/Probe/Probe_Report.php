<?php
/**
 * Result of a probe run.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * All port results of one run plus the recommendation. to_array() is the REST response.
 *
 * @phpstan-import-type Port_Result_Array from Port_Result
 */
class Probe_Report {

	/**
	 * Host (ASCII).
	 *
	 * @var string
	 */
	public string $host;

	/**
	 * Elapsed milliseconds.
	 *
	 * @var float
	 */
	public float $elapsed_ms;

	/**
	 * Results in the order of the requested ports.
	 *
	 * @var Port_Result[]
	 */
	public array $results;

	/**
	 * Recommendation or null.
	 *
	 * @var array{port: int, encryption: string, reason: string, family: string}|null
	 */
	public ?array $recommendation;

	/**
	 * Constructor.
	 *
	 * @param string                                                                    $host           Host.
	 * @param float                                                                     $elapsed_ms     Elapsed ms.
	 * @param Port_Result[]                                                             $results        Results.
	 * @param array{port: int, encryption: string, reason: string, family: string}|null $recommendation Recommendation.
	 */
	public function __construct( string $host, float $elapsed_ms, array $results, ?array $recommendation ) {
		$this->host           = $host;
		$this->elapsed_ms     = $elapsed_ms;
		$this->results        = $results;
		$this->recommendation = $recommendation;
	}

	/**
	 * Result for one port, or null.
	 *
	 * @param int $port Port.
	 * @return Port_Result|null
	 */
	public function get_result( int $port ): ?Port_Result {
		foreach ( $this->results as $result ) {
			if ( $result->port === $port ) {
				return $result;
			}
		}
		return null;
	}

	/**
	 * Array form, as returned by the REST endpoint.
	 *
	 * @return array{host: string, elapsed_ms: int, results: list<Port_Result_Array>, recommendation: array{port: int, encryption: string, reason: string, family: string}|null, advice: string|null, causes: list<array{cause: string, ports: list<int>, text: string}>}
	 */
	public function to_array(): array {
		$results = array();
		foreach ( $this->results as $result ) {
			$results[] = $result->to_array();
		}
		return array(
			'host'           => $this->host,
			'elapsed_ms'     => (int) round( $this->elapsed_ms ),
			'results'        => $results,
			'recommendation' => $this->recommendation,
			'advice'         => Cause_Advice::all_blocked( $this->host, $this->results ),
			'causes'         => Cause_Advice::for_report( $this ),
		);
	}
}
