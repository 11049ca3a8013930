<?php
/**
 * The JSON POST of the APIs that take a message field by field.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Https\Request_Body;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Encodes a mapped message, and refuses it before sending (413, never sent) when the encoded
 * request is over the provider's limit: these providers measure a message as the JSON request,
 * attachments in base64.
 */
final class Json_Post {

	/**
	 * The request, or the failure of a message over the limit.
	 *
	 * @param string                $path      Path below the provider's base URL.
	 * @param array<string, string> $headers   The key headers.
	 * @param array<string, mixed>  $payload   The mapped message.
	 * @param int                   $max_bytes The provider's limit on the request body.
	 * @param string                $too_large The refusal's words, `%.1f` for the message's size in MB.
	 * @return Https_Request|Send_Failure
	 */
	public static function request( string $path, array $headers, array $payload, int $max_bytes, string $too_large ) {
		$body = Request_Body::json( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		if ( $body->length() > $max_bytes ) {
			return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( $too_large, $body->length() / 1048576 ) );
		}
		return new Https_Request( 'POST', $path, $headers + array( 'Content-Type' => 'application/json' ), $body );
	}
}
