<?php
/**
 * Which ports a message tries, in which order, and what the last messages learned about them.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Validator;

defined( 'ABSPATH' ) || exit;

/**
 * The main port, then the fallback ports; the port a re-test found working first, ports
 * remembered as failing last (Port_Memory), and the only address family known to reach a port.
 * Used by wp_mail() (Mailer_Hook), the outbox's re-test (Outbox\Port_Retest) and the self-check.
 */
final class Port_Plan {

	/**
	 * Failing ports remembered between messages.
	 *
	 * @var Port_Memory
	 */
	private Port_Memory $memory;

	/**
	 * Takes the memory of failing ports.
	 *
	 * @param Port_Memory $memory Failing ports remembered between messages.
	 */
	public function __construct( Port_Memory $memory ) {
		$this->memory = $memory;
	}

	/**
	 * The address family known to reach each port of a host (port => `ipv4`/`ipv6`), where one is.
	 *
	 * @param string                                     $host      Host.
	 * @param list<array{port: int, encryption: string}> $endpoints Ports.
	 * @return array<int, string>
	 */
	public function families( string $host, array $endpoints ): array {
		$families = array();
		foreach ( $endpoints as $endpoint ) {
			$family = $this->memory->family( $host, $endpoint['port'] );
			if ( '' !== $family ) {
				$families[ $endpoint['port'] ] = $family;
			}
		}
		return $families;
	}

	/**
	 * Ports to try, in order: the main port, then the fallback ports (the usual order of
	 * Submission_Ports without the main port when fallback is on and none are saved); the port a
	 * re-test found working goes first, ports remembered as failing go last.
	 *
	 * @param Settings $settings Effective settings.
	 * @return list<array{port: int, encryption: string}>
	 */
	public function endpoints( Settings $settings ): array {
		$endpoints = array(
			array(
				'port'       => $settings->port,
				'encryption' => $settings->encryption,
			),
		);
		if ( ! $settings->fallback ) {
			return $endpoints;
		}
		$fallback_ports = array() !== $settings->fallback_ports ? $settings->fallback_ports : self::usual_fallback_ports();
		foreach ( $fallback_ports as $port ) {
			if ( in_array( $port, array_column( $endpoints, 'port' ), true ) ) {
				continue; // E.g. a main port fixed in wp-config.php that is also a fallback port.
			}
			$endpoints[] = array(
				'port'       => $port,
				'encryption' => Settings_Validator::encryption_for_port( $port ),
			);
		}
		$up      = array();
		$down    = array();
		$working = $this->memory->working( $settings->host );
		foreach ( $endpoints as $endpoint ) {
			if ( $this->memory->is_down( $settings->host, $endpoint['port'] ) ) {
				$down[] = $endpoint;
			} elseif ( $working === $endpoint['port'] ) {
				array_unshift( $up, $endpoint ); // The port a re-test found working (Port_Retest) goes first.
			} else {
				$up[] = $endpoint;
			}
		}
		return array_merge( $up, $down );
	}

	/**
	 * The ports of a list that are not known to be down (a message tries only these while any is left).
	 *
	 * @param Settings                                   $settings  Effective settings.
	 * @param list<array{port: int, encryption: string}> $endpoints Ports.
	 * @return list<array{port: int, encryption: string}>
	 */
	public function skip_known_down( Settings $settings, array $endpoints ): array {
		$up = array();
		foreach ( $endpoints as $endpoint ) {
			if ( ! $this->memory->is_down( $settings->host, $endpoint['port'] ) ) {
				$up[] = $endpoint;
			}
		}
		return $up;
	}

	/**
	 * The fallback ports when fallback is on and none are saved: submission, the alternate and
	 * implicit TLS, in the order a port test tries them (endpoints() drops the main port).
	 *
	 * @return list<int>
	 */
	public static function usual_fallback_ports(): array {
		return array( Submission_Ports::SUBMISSION, Submission_Ports::DEFAULT_ALTERNATE, Submission_Ports::IMPLICIT_TLS );
	}

	/**
	 * Remembers a port that could not be connected to, forgets one that answered.
	 *
	 * @param string $host           Host.
	 * @param int    $port           Port.
	 * @param bool   $ok             Connected and greeted.
	 * @param bool   $socket_failure The connection could not be opened at all (not needed here).
	 * @param string $only_family    The address family that connected after the other failed, or ''.
	 */
	public function record_attempt( string $host, int $port, bool $ok, bool $socket_failure, string $only_family = '' ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		// Refused, timed out, no greeting: no SMTP session could start on this port.
		if ( $ok ) {
			$this->memory->forget( $host, $port );
			if ( '' !== $only_family ) {
				$this->memory->remember_family( $host, $port, $only_family );
			}
		} else {
			$this->memory->remember_down( $host, $port );
		}
	}
}
