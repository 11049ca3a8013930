<?php
/**
 * A waiting message as a list shows it: never its body.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Builds the list entries of the Outbox view, the REST route and WP-CLI from a row (only the
 * sealed summary is opened), and the texts kept beside a message (subject, error).
 */
final class Outbox_Entry {

	/** The stage shown for a message whose runner died mid-delivery (its claim's lease ran out). */
	public const INTERRUPTED = 'interrupted';

	/**
	 * A row as a list entry.
	 *
	 * @param array<string, mixed> $row  Row.
	 * @param Outbox_Seal          $seal The outbox's sealing.
	 * @return array{id: int, status: string, to: list<string>, subject: string, queued_at: int, next_attempt_at: int|null, attempts: int, stage: string, code: int, error: string, size: int}
	 */
	public static function of_row( array $row, Outbox_Seal $seal ): array {
		$plain   = $seal->open( 'summary', $row['summary'] );
		$summary = null === $plain ? null : json_decode( $plain, true );
		$to      = is_array( $summary ) && isset( $summary['to'] ) && is_array( $summary['to'] ) ? array_values( array_map( 'strval', $summary['to'] ) ) : array();
		$status  = (string) $row['status'];
		$now     = time();
		if ( Outbox::SENDING === $status && isset( $row['claimed_until'] ) && (int) $row['claimed_until'] < $now ) {
			// Its runner died mid-delivery (a fatal error, a killed process): due again, the next run takes it.
			$status                 = Outbox::QUEUED;
			$row['stage']           = self::INTERRUPTED;
			$row['last_code']       = 0;
			$row['last_error']      = __( 'The attempt was interrupted: the process that was sending it ended before it could record the answer (a fatal error or a time-out of PHP).', 'smtp-port-helper' );
			$row['next_attempt_at'] = max( $now, (int) wp_next_scheduled( Mail_Queue::CRON_HOOK ) );
		}
		return array(
			'id'              => (int) $row['id'],
			'status'          => $status,
			'to'              => $to,
			'subject'         => is_array( $summary ) && isset( $summary['subject'] ) ? (string) $summary['subject'] : '',
			'queued_at'       => (int) $row['created_at'],
			'next_attempt_at' => Outbox::QUEUED === $status ? (int) $row['next_attempt_at'] : null,
			'attempts'        => (int) $row['attempts'],
			'stage'           => (string) $row['stage'],
			'code'            => (int) $row['last_code'],
			'error'           => (string) $row['last_error'],
			'size'            => (int) $row['size'],
		);
	}

	/**
	 * The decoded Subject header of a message.
	 *
	 * @param string $data The message.
	 */
	public static function subject_of( string $data ): string {
		$head = (string) strstr( str_replace( "\r\n", "\n", $data ), "\n\n", true );
		if ( ! preg_match( '/^Subject:(.*(?:\n[ \t].*)*)/mi', $head, $match ) ) {
			return '';
		}
		$raw     = trim( (string) preg_replace( '/\n[ \t]+/', ' ', $match[1] ) );
		$decoded = function_exists( 'iconv_mime_decode' ) ? iconv_mime_decode( $raw, ICONV_MIME_DECODE_CONTINUE_ON_ERROR, 'UTF-8' ) : false;
		return mb_substr( false === $decoded ? $raw : $decoded, 0, 255 );
	}

	/**
	 * An error text of a reasonable length.
	 *
	 * @param string $error Error.
	 */
	public static function clip( string $error ): string {
		return mb_substr( $error, 0, 1000 );
	}
}
