<?php
/**
 * Result of probing one port.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Probe\Session\Certificate_Details;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Everything learned about one port: detected mode, verdict, timed stages, TLS details.
 * Filled by Smtp_Probe_Session's parts; the plain-language message is produced by Verdict.
 *
 * @phpstan-import-type Tls_Facts from Certificate_Details
 * @phpstan-type Port_Result_Array array{port: int, mode: string, verdict: string, cause: string, ok: bool, elapsed_ms: int, stages: list<array{name: string, ok: bool, ms: int, detail: string}>, tls?: Tls_Facts, auth_mechanisms?: string[], address?: string, families?: list<Family_Array>, only_family?: string, family_note?: string, detail: string, message: string}
 * @phpstan-import-type Family_Array from Address_Family
 */
class Port_Result {

	const MODE_STARTTLS     = 'starttls';
	const MODE_IMPLICIT_TLS = 'implicit_tls';
	const MODE_PLAIN        = 'plain';
	const MODE_UNKNOWN      = 'unknown';

	/**
	 * Port number.
	 *
	 * @var int
	 */
	public int $port;

	/**
	 * Host asked for (ASCII).
	 *
	 * @var string
	 */
	public string $host = '';

	/**
	 * Detected mode (MODE_ constants).
	 *
	 * @var string
	 */
	public string $mode = self::MODE_UNKNOWN;

	/**
	 * Whether implicit TLS was expected on this port (465-style).
	 *
	 * @var bool
	 */
	public bool $implicit_expected = false;

	/**
	 * Verdict code (Verdict constants).
	 *
	 * @var string
	 */
	public string $verdict = '';

	/**
	 * Short technical detail for the verdict (sanitised).
	 *
	 * @var string
	 */
	public string $verdict_detail = '';

	/**
	 * Certificate problems: expired, not_yet_valid, self_signed, untrusted, wrong_host.
	 *
	 * @var string[]
	 */
	public array $cert_problems = array();

	/**
	 * Elapsed milliseconds (float; rounded on output).
	 *
	 * @var float
	 */
	public float $elapsed_ms = 0.0;

	/**
	 * Stages: list of array{name: string, ok: bool, ms: float, detail: string}.
	 *
	 * @var array<int, array{name: string, ok: bool, ms: float, detail: string}>
	 */
	public array $stages = array();

	/**
	 * TLS details or null.
	 *
	 * @var Tls_Facts|null
	 */
	public ?array $tls = null;

	/**
	 * AUTH mechanisms offered (after TLS when TLS worked) or null when unknown.
	 *
	 * @var string[]|null
	 */
	public ?array $auth_mechanisms = null;

	/**
	 * Whether AUTH mechanisms were seen only before TLS.
	 *
	 * @var bool
	 */
	public bool $auth_seen_plain = false;

	/**
	 * Whether a real AUTH with credentials succeeded (null: not tried).
	 *
	 * @var bool|null
	 */
	public ?bool $auth_ok = null;

	/**
	 * When this port refused the login: another port of the same test that accepted the same
	 * login (the recommended one), or null. Set by Recommender::note_login_accepted_elsewhere().
	 *
	 * @var int|null
	 */
	public ?int $login_accepted_on = null;

	/**
	 * IP address used, or null.
	 *
	 * @var string|null
	 */
	public ?string $address = null;

	/**
	 * Set on one address family's result when the other family logged in for the port (one login
	 * per port): that family's name. This one checked the connection and TLS only.
	 *
	 * @var string
	 */
	public string $login_checked_over = '';

	/**
	 * Set when this family was given up on after the other family answered and a short grace
	 * passed (a black-holed family): seconds waited after that answer.
	 *
	 * @var float|null
	 */
	public ?float $stopped_after_other = null;

	/**
	 * The results over IPv4 and over IPv6 (Address_Family::IPV4, ::IPV6), when the host has
	 * addresses of both families; empty otherwise.
	 *
	 * @var array<string, Port_Result>
	 */
	public array $families = array();

	/**
	 * Seconds the look-up waited for a name server that never answered, or null.
	 *
	 * @var float|null
	 */
	public ?float $dns_silent_for = null;

	/**
	 * Server name announced in the greeting (lower case) or ''.
	 *
	 * @var string
	 */
	public string $banner_host = '';

	/**
	 * Whether the greeting names a different domain than the host asked for.
	 *
	 * @var bool
	 */
	public bool $banner_mismatch = false;

	/**
	 * Constructor.
	 *
	 * @param int $port Port.
	 */
	public function __construct( int $port ) {
		$this->port = $port;
	}

	/**
	 * Adds a timed stage.
	 *
	 * @param string $name   Stage name.
	 * @param bool   $ok     Success.
	 * @param float  $ms     Duration in milliseconds.
	 * @param string $detail Technical detail (sanitised here).
	 * @return void
	 */
	public function add_stage( string $name, bool $ok, float $ms, string $detail = '' ): void {
		$this->stages[] = array(
			'name'   => $name,
			'ok'     => $ok,
			'ms'     => max( 0.0, $ms ),
			'detail' => Text::sanitize( $detail ),
		);
	}

	/**
	 * Whether the port is usable (verdict ok).
	 *
	 * @return bool
	 */
	public function is_ok(): bool {
		return Verdict::OK === $this->verdict;
	}

	/**
	 * Finds the last stage with a name.
	 *
	 * @param string $name Stage name.
	 * @return array{name: string, ok: bool, ms: float, detail: string}|null
	 */
	public function get_stage( string $name ) {
		for ( $i = count( $this->stages ) - 1; $i >= 0; $i-- ) {
			if ( $this->stages[ $i ]['name'] === $name ) {
				return $this->stages[ $i ];
			}
		}
		return null;
	}

	/**
	 * Whether a connection was made: the address is only reported then, so that a refused or
	 * unanswered connect never reads as "connected to".
	 *
	 * @return bool
	 */
	private function connected(): bool {
		$connect = $this->get_stage( 'connect' );
		return null !== $connect && $connect['ok'];
	}

	/**
	 * Array form, as returned by the REST endpoint.
	 *
	 * @return Port_Result_Array
	 */
	public function to_array(): array {
		$out = array(
			'port'       => $this->port,
			'mode'       => $this->mode,
			'verdict'    => $this->verdict,
			'cause'      => Verdict::cause( $this->verdict ),
			'ok'         => $this->is_ok(),
			'elapsed_ms' => (int) round( $this->elapsed_ms ),
			'stages'     => array(),
		);
		foreach ( $this->stages as $stage ) {
			$out['stages'][] = array(
				'name'   => $stage['name'],
				'ok'     => $stage['ok'],
				'ms'     => (int) round( $stage['ms'] ),
				'detail' => $stage['detail'],
			);
		}
		if ( null !== $this->tls ) {
			$out['tls'] = $this->tls;
		}
		if ( null !== $this->auth_mechanisms ) {
			$out['auth_mechanisms'] = $this->auth_mechanisms;
		}
		if ( null !== $this->address && $this->connected() ) {
			$out['address'] = $this->address;
		}
		if ( array() !== $this->families ) {
			$out['families']    = Address_Family::to_list( $this );
			$out['only_family'] = Address_Family::only_working( $this );
			$out['family_note'] = Address_Family::note( $this );
		}
		$out['detail']  = $this->verdict_detail;
		$out['message'] = Verdict::message( $this );
		return $out;
	}
}
