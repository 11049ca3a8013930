<?php
/**
 * The plugin's port vocabulary: which ports submit mail, which speak TLS from the first byte, the
 * order a port test tries them in and how many one test may try.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Every PHP part reads ports from here; the settings page receives them in its boot data
 * (see for_page()), so no second copy exists in TypeScript.
 */
final class Submission_Ports {

	/** Message submission with STARTTLS (RFC 6409), the most widely offered. */
	public const SUBMISSION = 587;

	/** Submission with implicit TLS (RFC 8314). */
	public const IMPLICIT_TLS = 465;

	/** Server-to-server relay: tested to show whether it is blocked, never recommended. */
	public const RELAY = 25;

	/** The alternate port most providers offer when 587 is blocked. */
	public const DEFAULT_ALTERNATE = 2525;

	/** Ports where submission uses implicit TLS: 465 and providers' alternates of it. */
	public const IMPLICIT_TLS_PORTS = array( 465, 2465, 4650 );

	/** What a port test tries when no ports are given: submission, alternate, implicit TLS, relay. */
	public const DEFAULT_TEST_PORTS = array( self::SUBMISSION, self::DEFAULT_ALTERNATE, self::IMPLICIT_TLS, self::RELAY );

	/** At most this many ports per test, so that the test cannot serve as a port scanner. */
	public const MAX_PER_TEST = 6;

	/** The alternate ports the provider presets document (`alternates` in src/presets.ts). */
	public const PRESET_ALTERNATES = array( 2525, 2587, 2465, 8025, 8465 );

	/**
	 * The ports a sub-site administrator of a network may connect to: the submission ports and
	 * the presets' alternates (Address_Policy_Source adds a filter).
	 *
	 * @return int[]
	 */
	public static function for_site_administrators(): array {
		return array_values( array_unique( array_merge( array( self::RELAY, self::IMPLICIT_TLS, self::SUBMISSION, self::DEFAULT_ALTERNATE ), self::PRESET_ALTERNATES ) ) );
	}

	/**
	 * The encryption a port usually uses: implicit TLS on the implicit-TLS ports, STARTTLS
	 * everywhere else. Never `none`: clear text must be chosen explicitly.
	 *
	 * @param int $port Port.
	 * @return string Encryption::IMPLICIT_TLS or Encryption::STARTTLS.
	 */
	public static function encryption_for_port( int $port ): string {
		return self::expects_implicit_tls( $port ) ? Encryption::IMPLICIT_TLS : Encryption::STARTTLS;
	}

	/**
	 * Whether implicit TLS is the usual encryption of a port.
	 *
	 * @param int $port Port.
	 */
	public static function expects_implicit_tls( int $port ): bool {
		return in_array( $port, self::IMPLICIT_TLS_PORTS, true );
	}

	/**
	 * What the settings page needs to choose the ports of a test (boot data `ports`).
	 *
	 * @return array{submission: int, implicitTls: int, relay: int, defaultAlternate: int, maxPerTest: int}
	 */
	public static function for_page(): array {
		return array(
			'submission'       => self::SUBMISSION,
			'implicitTls'      => self::IMPLICIT_TLS,
			'relay'            => self::RELAY,
			'defaultAlternate' => self::DEFAULT_ALTERNATE,
			'maxPerTest'       => self::MAX_PER_TEST,
		);
	}

	/**
	 * JSON schema of for_page().
	 *
	 * @return array<string, mixed>
	 */
	public static function page_schema(): array {
		$port = array(
			'type'    => 'integer',
			'minimum' => 1,
			'maximum' => 65535,
		);
		return array(
			'type'                 => 'object',
			'properties'           => array(
				'submission'       => $port,
				'implicitTls'      => $port,
				'relay'            => $port,
				'defaultAlternate' => $port,
				'maxPerTest'       => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
			),
			'required'             => array( 'submission', 'implicitTls', 'relay', 'defaultAlternate', 'maxPerTest' ),
			'additionalProperties' => false,
		);
	}
}
