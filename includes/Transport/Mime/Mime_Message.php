<?php
/**
 * The message PHPMailer built, read back into the fields an API that takes no raw MIME wants.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Mime;

use SmtpPortHelper\Transport\Https\Request_Body;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * From, To, Cc, Reply-To, the subject and the other headers decoded to UTF-8; the text and HTML
 * bodies (the first of each that is not a file); every attachment and inline file with its name,
 * type, Content-ID and bytes. Bcc is not in the bytes: it is the envelope's recipients that no
 * To or Cc names (Mapped_Message).
 */
final class Mime_Message {

	/**
	 * Headers an API sets from its own fields, or that describe the MIME structure: never passed
	 * on as "other headers".
	 */
	private const OWN_HEADERS = array( 'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'mime-version', 'content-type', 'content-transfer-encoding', 'return-path', 'sender' );

	/**
	 * The top part.
	 *
	 * @var Mime_Part
	 */
	private Mime_Part $root;

	/**
	 * Reads a complete message.
	 *
	 * @param string $data Headers and body.
	 */
	public function __construct( string $data ) {
		$this->root = Mime_Part::parse( $data );
	}

	/**
	 * A header's value decoded to UTF-8 ('' when absent).
	 *
	 * @param string $name Header name.
	 */
	public function header( string $name ): string {
		return self::decode_words( $this->root->header( $name ) );
	}

	/**
	 * The subject, decoded.
	 */
	public function subject(): string {
		return $this->header( 'subject' );
	}

	/**
	 * The mailboxes of an address header (From, To, Cc, Reply-To), names decoded.
	 *
	 * @param string $name Header name.
	 * @return list<Mail_Address>
	 */
	public function addresses( string $name ): array {
		$found = array();
		foreach ( $this->root->headers as $header ) {
			if ( strtolower( $name ) === $header[0] ) {
				foreach ( self::split_list( $header[2] ) as $one ) {
					$address = self::mailbox( $one );
					if ( null !== $address ) {
						$found[] = $address;
					}
				}
			}
		}
		return $found;
	}

	/**
	 * The envelope's recipients as To, Cc and Bcc: those the To and Cc headers name (with their
	 * names), and every other recipient as Bcc (PHPMailer writes no Bcc header). A header address
	 * the envelope does not hold (already delivered, or refused) is left out.
	 *
	 * @param string[] $recipients The envelope's recipients.
	 * @return array{to: list<Mail_Address>, cc: list<Mail_Address>, bcc: list<Mail_Address>}
	 */
	public function recipients( array $recipients ): array {
		$waiting = array();
		foreach ( $recipients as $recipient ) {
			$waiting[ strtolower( $recipient ) ] = $recipient;
		}
		$split = array(
			'to'  => array(),
			'cc'  => array(),
			'bcc' => array(),
		);
		foreach ( array( 'to', 'cc' ) as $field ) {
			foreach ( $this->addresses( $field ) as $address ) {
				if ( isset( $waiting[ $address->key() ] ) ) {
					$split[ $field ][] = $address;
					unset( $waiting[ $address->key() ] );
				}
			}
		}
		foreach ( $waiting as $recipient ) {
			$split['bcc'][] = new Mail_Address( $recipient );
		}
		return $split;
	}

	/**
	 * The headers other than those an API sets itself: name as written => decoded value (the
	 * last one of a name wins, as an API with a header object can hold only one).
	 *
	 * @return array<string, string>
	 */
	public function other_headers(): array {
		$headers = array();
		foreach ( $this->root->headers as $header ) {
			if ( ! in_array( $header[0], self::OWN_HEADERS, true ) ) {
				$headers[ $header[1] ] = self::decode_words( $header[2] );
			}
		}
		return $headers;
	}

	/**
	 * The plain text body ('' when there is none).
	 */
	public function text(): string {
		$part = $this->first_body( $this->root, 'text/plain' );
		return null === $part ? '' : $part->text();
	}

	/**
	 * The HTML body ('' when there is none).
	 */
	public function html(): string {
		$part = $this->first_body( $this->root, 'text/html' );
		return null === $part ? '' : $part->text();
	}

	/**
	 * Every attachment and inline file, in order.
	 *
	 * @return list<Mime_Part>
	 */
	public function files(): array {
		$files = array();
		$this->collect_files( $this->root, $files );
		return array_values( $files );
	}

	/**
	 * The first body part of a type that is not a file.
	 *
	 * @param Mime_Part $part Where to look.
	 * @param string    $type text/plain or text/html.
	 */
	private function first_body( Mime_Part $part, string $type ): ?Mime_Part {
		if ( array() === $part->parts ) {
			return $type === $part->content_type() && ! $part->is_file() ? $part : null;
		}
		foreach ( $part->parts as $child ) {
			$found = $this->first_body( $child, $type );
			if ( null !== $found ) {
				return $found;
			}
		}
		return null;
	}

	/**
	 * Collects the files below a part.
	 *
	 * @param Mime_Part   $part  Where to look.
	 * @param Mime_Part[] $files The files found so far.
	 */
	private function collect_files( Mime_Part $part, array &$files ): void {
		if ( array() === $part->parts ) {
			if ( $part !== $this->root && $part->is_file() ) {
				$files[] = $part;
			}
			return;
		}
		foreach ( $part->parts as $child ) {
			$this->collect_files( $child, $files );
		}
	}

	/**
	 * Splits an address list at the commas outside quotes, comments and angle brackets.
	 *
	 * @param string $value Raw header value.
	 * @return list<string>
	 */
	private static function split_list( string $value ): array {
		$items   = array();
		$current = '';
		$quoted  = false;
		$depth   = 0;
		$angle   = false;
		$length  = strlen( $value );
		for ( $i = 0; $i < $length; $i++ ) {
			$char = $value[ $i ];
			if ( '\\' === $char && $quoted && $i + 1 < $length ) {
				$current .= $char . $value[ ++$i ];
				continue;
			}
			if ( '"' === $char && 0 === $depth ) {
				$quoted = ! $quoted;
			} elseif ( ! $quoted && '(' === $char ) {
				++$depth;
			} elseif ( ! $quoted && ')' === $char && $depth > 0 ) {
				--$depth;
			} elseif ( ! $quoted && 0 === $depth && '<' === $char ) {
				$angle = true;
			} elseif ( ! $quoted && 0 === $depth && '>' === $char ) {
				$angle = false;
			} elseif ( ',' === $char && ! $quoted && 0 === $depth && ! $angle ) {
				$items[] = $current;
				$current = '';
				continue;
			}
			$current .= $char;
		}
		$items[] = $current;
		return array_values(
			array_filter(
				array_map( 'trim', $items ),
				static function ( string $item ): bool {
					return '' !== $item;
				}
			)
		);
	}

	/**
	 * One mailbox: `name <address>` or a bare address (comments dropped).
	 *
	 * @param string $text One item of an address list.
	 */
	private static function mailbox( string $text ): ?Mail_Address {
		if ( preg_match( '/^(.*)<([^<>]+)>\s*$/s', $text, $match ) ) {
			$name = trim( $match[1] );
			if ( '' !== $name && '"' === $name[0] && '"' === substr( $name, -1 ) ) {
				$name = stripcslashes( substr( $name, 1, -1 ) );
			}
			return new Mail_Address( trim( $match[2] ), self::decode_words( $name ) );
		}
		$address = trim( (string) preg_replace( '/\([^()]*\)/', '', $text ) );
		return '' === $address ? null : new Mail_Address( $address );
	}

	/**
	 * The message without Bcc header lines (PHPMailer writes one when it builds for mail() or
	 * sendmail): an API that takes raw MIME sends the headers as they are, so a Bcc header would
	 * show every hidden recipient to all others. The envelope still names them.
	 *
	 * @param string $data The complete message.
	 */
	public static function without_bcc_header( string $data ): string {
		return self::without_bcc_header_body( $data )->contents();
	}

	/**
	 * The message without Bcc header lines as a request body: the headers changed, the rest of
	 * the message (the attachments) passed on from the message itself, not copied.
	 *
	 * @param string $data The complete message.
	 */
	public static function without_bcc_header_body( string $data ): Request_Body {
		list( $head_end, $body_start ) = Mime_Part::blank_line( $data, 0, strlen( $data ) );
		if ( $body_start === $head_end ) {
			return ( new Request_Body() )->range( $data, 0, strlen( $data ) );
		}
		$head = (string) preg_replace( '/^Bcc:.*(?:\r?\n[ \t].*)*(?:\r?\n|$)/mi', '', (string) substr( $data, 0, $head_end ) );
		return ( new Request_Body() )->text( rtrim( $head, "\r\n" ) )->range( $data, $head_end, strlen( $data ) - $head_end );
	}

	/**
	 * The message addressed to exactly the envelope's recipients, for an API that reads the
	 * recipients from the headers of the MIME it takes and keeps Bcc hidden (Microsoft Graph's MIME
	 * form, the Gmail API): To and Cc keep only the addresses the envelope holds — one already
	 * reached (a message partly delivered over SMTP) or refused is left out, or it would get the
	 * message again — and one Bcc header names the envelope's other recipients. PHPMailer writes
	 * no Bcc header for SMTP; one it wrote for mail() is replaced. A message whose To and Cc are
	 * all still waiting keeps its headers byte for byte.
	 *
	 * @param string   $data       The complete message.
	 * @param string[] $recipients The envelope's recipients.
	 */
	public static function addressed_to_envelope( string $data, array $recipients ): string {
		$data   = self::only_envelope_in_to_and_cc( self::without_bcc_header( $data ), $recipients );
		$hidden = ( new self( $data ) )->recipients( $recipients )['bcc'];
		if ( array() === $hidden ) {
			return $data;
		}
		$list = implode( ', ', array_map( static fn( Mail_Address $address ): string => $address->address, $hidden ) );
		return 'Bcc: ' . $list . "\r\n" . $data;
	}

	/**
	 * The message with the To and Cc headers cut to the envelope's recipients (each kept item as
	 * it was written, name and encoding included); a header left empty is dropped.
	 *
	 * @param string   $data       The complete message.
	 * @param string[] $recipients The envelope's recipients.
	 */
	private static function only_envelope_in_to_and_cc( string $data, array $recipients ): string {
		$waiting = array();
		foreach ( $recipients as $recipient ) {
			$waiting[ strtolower( $recipient ) ] = true;
		}
		list( $head_end ) = Mime_Part::blank_line( $data, 0, strlen( $data ) );
		$head             = (string) substr( $data, 0, $head_end );
		$cut              = (string) preg_replace_callback(
			'/^(To|Cc):([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)(\r?\n|$)/mi',
			static function ( array $header ) use ( $waiting ): string {
				$items = self::split_list( (string) preg_replace( '/\r?\n(?=[ \t])/', '', $header[2] ) );
				$kept  = array_values(
					array_filter(
						$items,
						static function ( string $item ) use ( $waiting ): bool {
							$address = self::mailbox( $item );
							return null !== $address && isset( $waiting[ $address->key() ] );
						}
					)
				);
				if ( count( $kept ) === count( $items ) ) {
					return $header[0];
				}
				return array() === $kept ? '' : $header[1] . ': ' . implode( ",\r\n ", $kept ) . $header[3];
			},
			$head
		);
		return $cut === $head ? $data : rtrim( $cut, "\r\n" ) . substr( $data, $head_end );
	}

	/**
	 * Decodes RFC 2047 encoded words to UTF-8 (text without them is returned as it is).
	 *
	 * @param string $text Header text.
	 */
	public static function decode_words( string $text ): string {
		if ( false === strpos( $text, '=?' ) ) {
			return $text;
		}
		// Whitespace between two encoded words is not part of the text (RFC 2047 §6.2).
		$text = (string) preg_replace( '/(\?=)\s+(=\?)/', '$1$2', $text );
		return (string) preg_replace_callback(
			'/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/',
			static function ( array $word ): string {
				$bytes = 'b' === strtolower( $word[2] )
					? (string) base64_decode( $word[3], false ) // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- RFC 2047 "B" encoding.
					: quoted_printable_decode( str_replace( '_', ' ', $word[3] ) );
				return self::to_utf8( $bytes, (string) preg_replace( '/\*.*$/', '', $word[1] ) );
			},
			$text
		);
	}

	/**
	 * Text of a charset as UTF-8 (unknown charsets are kept as they are).
	 *
	 * @param string $bytes   The text.
	 * @param string $charset Its charset.
	 */
	public static function to_utf8( string $bytes, string $charset ): string {
		$charset = strtolower( trim( $charset ) );
		if ( in_array( $charset, array( 'utf-8', 'utf8', 'us-ascii', 'ascii', '' ), true ) ) {
			return $bytes;
		}
		$converted = function_exists( 'iconv' ) ? @iconv( $charset, 'UTF-8//IGNORE', $bytes ) : false; // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- an unknown charset returns false.
		return false === $converted ? $bytes : $converted;
	}
}
