<?php
/**
 * Opens the connections of a probe session: where each goes and how it opens.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Ip_Address;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Keeps the current Connection and opens the next one: the first to the first address, the
 * next address after a refused connect, a plain-text or TLS-first reconnect once the server
 * showed how it talks, and the certificate-reading connection (Certificate_Inspection) after a
 * certificate failed verification. Opening can fail at once; the Failure is handed back.
 */
final class Connector {

	/**
	 * Options.
	 *
	 * @var Probe_Options
	 */
	private Probe_Options $options;

	/**
	 * Addresses to try.
	 *
	 * @var Address_List
	 */
	private Address_List $addresses;

	/**
	 * Result being filled.
	 *
	 * @var Port_Result
	 */
	private Port_Result $result;

	/**
	 * Stage and verdict recorder.
	 *
	 * @var Result_Recorder
	 */
	private Result_Recorder $recorder;

	/**
	 * Current connection (not yet opened before first()).
	 *
	 * @var Connection
	 */
	private Connection $connection;

	/**
	 * Set once the certificate-reading connection is opened.
	 *
	 * @var Certificate_Inspection|null
	 */
	private ?Certificate_Inspection $inspection = null;

	/**
	 * Seconds to wait for a greeting before trying TLS on a port not expected to be implicit.
	 *
	 * @var float
	 */
	private float $banner_grace;

	/**
	 * Constructor.
	 *
	 * @param Probe_Options                                                                 $options  Options.
	 * @param array{a: string[], aaaa: string[], error: string, no_answer: bool, ms: float} $dns      Resolution result with its time.
	 * @param Port_Result                                                                   $result   Result being filled (port, implicit TLS expected).
	 * @param Result_Recorder                                                               $recorder Stage and verdict recorder.
	 * @param string                                                                        $family   Only this address family (Address_Family constants); '' for all.
	 */
	public function __construct( Probe_Options $options, array $dns, Port_Result $result, Result_Recorder $recorder, string $family = '' ) {
		$this->options      = $options;
		$this->addresses    = new Address_List( $dns, $options->policy, $family );
		$this->result       = $result;
		$this->recorder     = $recorder;
		$this->connection   = new Connection( '', Probe_Mode::first_connection( $result->implicit_expected ) );
		$this->banner_grace = max( 0.5, min( 3.0, $options->timeout * 0.3 ) );
	}

	/**
	 * Records the DNS stage, and the verdict when there is no address.
	 *
	 * @return bool Whether there is an address to connect to.
	 */
	public function record_dns(): bool {
		$addresses = $this->addresses;
		if ( $addresses->all_refused() ) {
			$this->result->add_stage( 'dns', false, $addresses->lookup_ms(), 'every address of this name is refused by the address policy' );
			$this->recorder->decide( Verdict::ADDRESS_REFUSED, $addresses->refusal() );
			return false;
		}
		if ( $addresses->is_empty() ) {
			$this->result->dns_silent_for = $addresses->silent_for( $this->options->timeout );
			$this->result->add_stage( 'dns', false, $addresses->lookup_ms(), $addresses->error() );
			$this->recorder->decide( Verdict::DNS_FAILED, $addresses->error() );
			return false;
		}
		$this->result->add_stage( 'dns', true, $addresses->lookup_ms(), $addresses->stage_detail( $this->options->host->is_ip() ) );
		return true;
	}

	/**
	 * The current connection.
	 *
	 * @return Connection
	 */
	public function connection(): Connection {
		return $this->connection;
	}

	/**
	 * The certificate inspection, once the certificate-reading connection was opened.
	 *
	 * @return Certificate_Inspection|null
	 */
	public function inspection(): ?Certificate_Inspection {
		return $this->inspection;
	}

	/**
	 * Seconds to wait for a greeting before trying TLS.
	 *
	 * @return float
	 */
	public function banner_grace(): float {
		return $this->banner_grace;
	}

	/**
	 * Opens the first connection.
	 *
	 * @param float $now Current time.
	 * @return Failure|null Why the attempt failed at once, or null while it connects.
	 */
	public function first( float $now ): ?Failure {
		return $this->open( $this->connection->mode(), $now );
	}

	/**
	 * Checks the connect once the stream is writable.
	 *
	 * @param float $now Current time.
	 * @return Failure|null Why the connect failed, or null when connected.
	 */
	public function complete_connect( float $now ): ?Failure {
		if ( $this->connection->complete_connect( $now, $this->banner_grace ) ) {
			return null;
		}
		return $this->connection->connect_failure( $this->addresses->has_next() );
	}

	/**
	 * TLS data came instead of a greeting: reconnect starting with TLS.
	 *
	 * @param float $now Current time.
	 * @return Failure|null Why the attempt failed at once, or null while it connects.
	 */
	public function reconnect_tls_first( float $now ): ?Failure {
		return $this->reconnect( $this->connection->mode()->reconnect( true ), $now );
	}

	/**
	 * Opens the connection a failure calls for (its next() is not STOP).
	 *
	 * @param Failure $failure Failure.
	 * @param float   $now     Current time.
	 * @return Failure|null Why the attempt failed at once, or null while it connects.
	 */
	public function follow( Failure $failure, float $now ): ?Failure {
		$mode = $this->connection->mode();
		if ( Failure::NEXT_ADDRESS === $failure->next() ) {
			$this->addresses->advance();
			return $this->open( $mode, $now );
		}
		if ( Failure::RECONNECT_PLAIN === $failure->next() ) {
			return $this->reconnect( $mode->reconnect( false ), $now );
		}
		// READ_CERTIFICATE: connect a second time, with verification off, only to read the certificate.
		if ( $mode->starts_with_tls() ) {
			$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
		}
		$this->inspection = new Certificate_Inspection( $failure->detail(), $this->options->host, $this->result, $this->recorder );
		$this->recorder->go_quiet();
		return $this->reconnect( $mode->for_certificate_reading(), $now );
	}

	/**
	 * Closes the current connection and opens another to the same address.
	 *
	 * @param Probe_Mode $mode How the new connection opens.
	 * @param float      $now  Current time.
	 * @return Failure|null Why the attempt failed at once, or null while it connects.
	 */
	private function reconnect( Probe_Mode $mode, float $now ): ?Failure {
		$this->connection->socket()->close();
		return $this->open( $mode, $now );
	}

	/**
	 * Opens a non-blocking connection to the current address.
	 *
	 * @param Probe_Mode $mode How the connection opens.
	 * @param float      $now  Current time.
	 * @return Failure|null Why the attempt failed at once, or null while it connects.
	 */
	private function open( Probe_Mode $mode, float $now ): ?Failure {
		if ( ! $this->options->policy->allows_address( $this->addresses->current() ) || ! $this->options->policy->allows_port( $this->result->port ) ) {
			$refusal = $this->options->policy->refusal( $this->addresses->current() );
			return new Failure( 'connect', 'refused by the address policy', Verdict::ADDRESS_REFUSED, Failure::STOP, $refusal ?? Ip_Address::NEVER );
		}
		$this->connection      = new Connection( $this->addresses->current(), $mode );
		$this->result->address = $this->connection->address();
		$this->recorder->mark( $now );
		if ( ! $this->connection->open( $this->result->port, $this->options ) ) {
			return $this->connection->connect_failure( $this->addresses->has_next() );
		}
		return null;
	}
}
