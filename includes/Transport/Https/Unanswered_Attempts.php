<?php
/**
 * Retry safety of an API without an idempotency key: an unanswered request is sent again once.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

use SmtpPortHelper\Stored_Names;
use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * When the connection ends after the request went out and before the answer came back, the
 * provider may have accepted the message. With an idempotency key (the same for every attempt of
 * one message) a retry is safe: the provider delivers once. Without one, a retry may deliver a
 * second copy — and never retrying may lose the message. The middle way, stated in the record:
 * the first unanswered attempt waits and is retried once; a second unanswered attempt of the same
 * message is not sent again (the message fails, saying it may have arrived). What is remembered
 * is a transient per message (its idempotency key, hashed), for a week.
 */
final class Unanswered_Attempts {

	private const KEEP = 7 * 86400;

	/**
	 * The failure of an unanswered attempt, and the record of it.
	 *
	 * @param Api_Provider $provider The provider.
	 * @param string       $key      The message's idempotency key ('' when it has none).
	 * @param string       $error    Why there was no answer.
	 */
	public static function failure( Api_Provider $provider, string $key, string $error ): Send_Failure {
		if ( $provider->idempotent ) {
			return new Send_Failure( 'unanswered', 0, sprintf( 'No answer after the request was sent (%s); %s takes an idempotency key, so a retry delivers the message once.', $error, $provider->label ) );
		}
		if ( '' !== $key && false !== get_transient( self::name( $key ) ) ) {
			delete_transient( self::name( $key ) );
			// 409: a final refusal of this message — the way is not down, another attempt could duplicate it.
			return new Send_Failure( Send_Failure::STAGE_API, 409, sprintf( 'No answer again after the request was sent (%s). The message may have been delivered; %s takes no idempotency key, so it was sent again once and is not sent a third time. Check its activity log.', $error, $provider->label ) );
		}
		if ( '' !== $key ) {
			set_transient( self::name( $key ), 1, self::KEEP );
		}
		return new Send_Failure( 'unanswered', 0, sprintf( 'No answer after the request was sent (%s): the message may have been delivered. %s takes no idempotency key, so it is sent again once at most (a second copy is possible).', $error, $provider->label ) );
	}

	/**
	 * An answered attempt ends the record.
	 *
	 * @param string $key The message's idempotency key.
	 */
	public static function answered( string $key ): void {
		if ( '' !== $key ) {
			delete_transient( self::name( $key ) );
		}
	}

	/**
	 * The transient of a message.
	 *
	 * @param string $key The message's idempotency key.
	 */
	private static function name( string $key ): string {
		return Stored_Names::UNANSWERED_PREFIX . substr( hash( 'sha256', $key ), 0, 32 );
	}
}
