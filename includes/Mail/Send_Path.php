<?php
/**
 * What PHPMailer really used for one message.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Api_Key_Store;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The connection settings of a PHPMailer at one moment: how it sends, to which server and port,
 * with which encryption, whether it logs in, and the sender. Never the user name or password.
 */
final class Send_Path {

	/** The connection's fields, compared between two moments in the order a report names them (the sender is not one). */
	const CONNECTION_FIELDS = array( 'mailer', 'host', 'port', 'encryption', 'auth' );

	/**
	 * PHPMailer's transport: smtp, mail, sendmail or qmail.
	 *
	 * @var string
	 */
	public string $mailer;

	/**
	 * The first server PHPMailer will try (its Host may list several).
	 *
	 * @var string
	 */
	public string $host;

	/**
	 * The port of that server.
	 *
	 * @var int
	 */
	public int $port;

	/**
	 * Encryption of that server (an Encryption constant).
	 *
	 * @var string
	 */
	public string $encryption;

	/**
	 * Whether PHPMailer logs in.
	 *
	 * @var bool
	 */
	public bool $auth;

	/**
	 * The sender address.
	 *
	 * @var string
	 */
	public string $from;

	/**
	 * Builds a path from its fields.
	 *
	 * @param string $mailer     Transport.
	 * @param string $host       Server.
	 * @param int    $port       Port.
	 * @param string $encryption An Encryption constant.
	 * @param bool   $auth       Logs in.
	 * @param string $from       Sender.
	 */
	public function __construct( string $mailer, string $host, int $port, string $encryption, bool $auth, string $from ) {
		$this->mailer     = $mailer;
		$this->host       = $host;
		$this->port       = $port;
		$this->encryption = $encryption;
		$this->auth       = $auth;
		$this->from       = $from;
	}

	/**
	 * Reads a PHPMailer as it stands. Its `Host` may be a list ("tls://a:587;tls://a:2525", the
	 * fallback ports): the first entry is the one tried first, with its own scheme and port.
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 */
	public static function of( PHPMailer $phpmailer ): self {
		$seat = 'smtp' === $phpmailer->Mailer ? $phpmailer->getSMTPInstance() : null; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		if ( $seat instanceof Transport_Bridge ) {
			// An HTTPS API: its transport, TLS from the first byte, the key as login.
			return new self( $seat->transport()->id(), trim( (string) $phpmailer->Host ), Https_Api_Transport::PORT, Encryption::IMPLICIT_TLS, true, (string) $phpmailer->From ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		}
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$first  = trim( explode( ';', (string) $phpmailer->Host )[0] );
		$secure = strtolower( (string) $phpmailer->SMTPSecure );
		$port   = (int) $phpmailer->Port;
		if ( preg_match( '#^(?:(ssl|tls)://)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$#i', $first, $m ) ) {
			$first  = $m[2];
			$secure = '' !== $m[1] ? strtolower( $m[1] ) : $secure;
			$port   = isset( $m[3] ) ? (int) $m[3] : $port;
		}
		$encryption = 'ssl' === $secure ? Encryption::IMPLICIT_TLS : ( 'tls' === $secure || ( '' === $secure && $phpmailer->SMTPAutoTLS ) ? Encryption::STARTTLS : Encryption::NONE );
		$path       = new self( (string) $phpmailer->Mailer, $first, $port, $encryption, (bool) $phpmailer->SMTPAuth, (string) $phpmailer->From );
		// phpcs:enable
		return $path;
	}

	/**
	 * The connection the saved settings ask for (the main port).
	 *
	 * @param Settings $settings The settings.
	 */
	public static function of_settings( Settings $settings ): self {
		if ( $settings->uses_api() ) {
			return new self( $settings->transport, (string) wp_parse_url( Api_Key_Store::base_url( $settings ), PHP_URL_HOST ), Https_Api_Transport::PORT, Encryption::IMPLICIT_TLS, true, $settings->from_email );
		}
		return new self( 'smtp', $settings->host, $settings->port, $settings->encryption, $settings->auth, $settings->from_email );
	}

	/**
	 * The connection fields that differ from another path.
	 *
	 * @param Send_Path $other The other path.
	 * @return string[] Names from CONNECTION_FIELDS.
	 */
	public function differences( Send_Path $other ): array {
		$mine   = $this->to_array();
		$theirs = $other->to_array();
		return array_values(
			array_filter(
				self::CONNECTION_FIELDS,
				static function ( string $field ) use ( $mine, $theirs ): bool {
					return $mine[ $field ] !== $theirs[ $field ];
				}
			)
		);
	}

	/**
	 * Array form, as stored.
	 *
	 * @return array{mailer: string, host: string, port: int, encryption: string, auth: bool, from: string}
	 */
	public function to_array(): array {
		return array(
			'mailer'     => $this->mailer,
			'host'       => $this->host,
			'port'       => $this->port,
			'encryption' => $this->encryption,
			'auth'       => $this->auth,
			'from'       => $this->from,
		);
	}

	/**
	 * Reads the array form back; null when it is not one.
	 *
	 * @param mixed $data Stored value.
	 */
	public static function from_array( $data ): ?self {
		if ( ! is_array( $data ) || ! isset( $data['mailer'], $data['host'], $data['port'], $data['encryption'], $data['auth'], $data['from'] ) ) {
			return null;
		}
		return new self( (string) $data['mailer'], (string) $data['host'], (int) $data['port'], (string) $data['encryption'], (bool) $data['auth'], (string) $data['from'] );
	}
}
