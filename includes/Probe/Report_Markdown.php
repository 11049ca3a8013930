<?php
/**
 * A port test as a Markdown report for a support ticket.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Renders a port test (the array the REST route and the CLI return) as Markdown a site owner can
 * paste into a ticket to the hosting provider or the mail provider: every port with its verdict,
 * stages and timings, the recommendation, and how the site really sends. Redacted: never a
 * password, the user name only by its first two characters.
 */
final class Report_Markdown {

	/**
	 * The report.
	 *
	 * @param array<string, mixed> $report    Probe_Report::to_array().
	 * @param string|null          $username  The user name the test logged in with, if any.
	 * @param string[]             $send_path Sentences about how the site really sends (Send_Path_Report), if known.
	 * @param string               $site      Where the test ran (the site's host name).
	 */
	public static function render( array $report, ?string $username, array $send_path = array(), string $site = '' ): string {
		$lines   = array();
		$lines[] = '## ' . sprintf(
			/* translators: %s: mail server host name */
			__( 'SMTP port test of %s', 'smtp-port-helper' ),
			self::inline( (string) $report['host'] )
		);
		$lines[] = '';
		$lines[] = '- ' . sprintf(
			/* translators: 1: date and time (UTC), 2: the web server's site name */
			__( 'Tested %1$s from the web server of %2$s', 'smtp-port-helper' ),
			gmdate( 'Y-m-d H:i' ) . ' UTC',
			'' !== $site ? self::inline( $site ) : '-'
		);
		$lines[] = '- ' . ( null !== $username && '' !== $username
			? sprintf(
				/* translators: %s: the first characters of the user name, e.g. "te…" */
				__( 'Login tested as %s (user name shortened, no password in this report)', 'smtp-port-helper' ),
				'`' . self::shortened( $username ) . '…`'
			)
			: __( 'Login not tested', 'smtp-port-helper' ) );
		$recommendation = $report['recommendation'] ?? null;
		$lines[]        = '- ' . ( is_array( $recommendation )
			? sprintf(
				/* translators: 1: port, 2: encryption, 3: the reason in words */
				__( 'Recommended: port %1$d with %2$s. %3$s', 'smtp-port-helper' ),
				(int) $recommendation['port'],
				Encryption::label( (string) $recommendation['encryption'] ),
				self::inline( (string) $recommendation['reason'] )
			)
			: __( 'No port works.', 'smtp-port-helper' ) . ( isset( $report['advice'] ) ? ' ' . self::inline( (string) $report['advice'] ) : '' ) );
		$lines[] = '';
		$lines[] = '| ' . implode(
			' | ',
			array(
				__( 'Port', 'smtp-port-helper' ),
				__( 'Result', 'smtp-port-helper' ),
				__( 'Time', 'smtp-port-helper' ),
				__( 'Address', 'smtp-port-helper' ),
				__( 'Stages', 'smtp-port-helper' ),
				__( 'What it means', 'smtp-port-helper' ),
			)
		) . ' |';
		$lines[] = '|---|---|---|---|---|---|';
		$rows    = (array) $report['results'];
		if ( isset( $report['api'] ) && is_array( $report['api'] ) ) {
			// The HTTPS API row (Transport\Api_Row::to_array()), after the SMTP ports.
			$rows[] = array( 'api' => (string) $report['api']['label'] ) + (array) $report['api']['result'];
		}
		foreach ( $rows as $result ) {
			$stages = array();
			foreach ( (array) $result['stages'] as $stage ) {
				$stages[] = sprintf( '%s %s %d ms', $stage['name'], $stage['ok'] ? '✓' : '✗', (int) $stage['ms'] ) . ( '' !== (string) $stage['detail'] ? ' (' . self::inline( (string) $stage['detail'], 80 ) . ')' : '' );
			}
			$meaning = (string) $result['message'] . ( '' !== (string) ( $result['family_note'] ?? '' ) ? ' ' . $result['family_note'] : '' );
			$lines[] = '| ' . implode(
				' | ',
				array(
					(int) $result['port'] . ( isset( $result['api'] ) ? ' (HTTPS API, ' . self::inline( (string) $result['api'] ) . ')' : '' ),
					'`' . $result['verdict'] . '`',
					(int) $result['elapsed_ms'] . ' ms',
					isset( $result['address'] ) ? self::inline( (string) $result['address'] ) : '-',
					implode( '<br>', $stages ),
					self::inline( $meaning, 1200 ),
				)
			) . ' |';
		}
		$lines = array_merge( $lines, self::by_address_family( (array) $report['results'] ) );
		if ( array() !== $send_path ) {
			$lines[] = '';
			$lines[] = '### ' . __( 'How this site sends mail', 'smtp-port-helper' );
			$lines[] = '';
			foreach ( $send_path as $sentence ) {
				$lines[] = '- ' . self::inline( $sentence );
			}
		}
		return implode( "\n", $lines ) . "\n";
	}

	/**
	 * IPv4 and IPv6 apart, for the ports probed over both: verdict, where each stopped, time.
	 *
	 * @param array<int, array<string, mixed>> $results The report's results.
	 * @return string[] Lines ('' first), none when no port was probed over both families.
	 */
	private static function by_address_family( array $results ): array {
		$rows = array();
		foreach ( $results as $result ) {
			$cells = array();
			foreach ( (array) ( $result['families'] ?? array() ) as $family ) {
				$cells[ (string) $family['family'] ] = sprintf( '`%s` at %s, %d ms', $family['verdict'], $family['stage'], (int) $family['elapsed_ms'] );
			}
			if ( isset( $cells[ Address_Family::IPV4 ], $cells[ Address_Family::IPV6 ] ) ) {
				$rows[] = '| ' . (int) $result['port'] . ' | ' . $cells[ Address_Family::IPV4 ] . ' | ' . $cells[ Address_Family::IPV6 ] . ' |';
			}
		}
		if ( array() === $rows ) {
			return array();
		}
		return array_merge(
			array(
				'',
				'### ' . __( 'IPv4 and IPv6', 'smtp-port-helper' ),
				'',
				'| ' . __( 'Port', 'smtp-port-helper' ) . ' | IPv4 | IPv6 |',
				'|---|---|---|',
			),
			$rows
		);
	}

	/**
	 * The first two characters of a user name (one for names of up to three).
	 *
	 * @param string $username User name.
	 */
	public static function shortened( string $username ): string {
		$length = function_exists( 'mb_strlen' ) ? mb_strlen( $username ) : strlen( $username );
		$keep   = $length > 3 ? 2 : 1;
		return function_exists( 'mb_substr' ) ? mb_substr( $username, 0, $keep ) : substr( $username, 0, $keep );
	}

	/**
	 * Text safe inside a Markdown table cell or list item: one line, no pipes, no HTML, bounded.
	 *
	 * @param string $text Text.
	 * @param int    $max  Longest length kept.
	 */
	private static function inline( string $text, int $max = 600 ): string {
		$text = preg_replace( '/\s+/', ' ', $text ) ?? '';
		$text = str_replace( array( '|', '<', '>' ), array( '\\|', '&lt;', '&gt;' ), trim( $text ) );
		return strlen( $text ) > $max ? substr( $text, 0, $max ) . '…' : $text;
	}
}
