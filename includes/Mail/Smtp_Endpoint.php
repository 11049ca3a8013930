<?php
/**
 * How PHPMailer is told to reach one SMTP port: its `Host` entry, `SMTPSecure` and TLS options.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that spells a port for PHPMailer: wp_mail()'s configuration (Mailer_Hook) and the
 * self-check's outage mail (Health\Outage_Mail) use it.
 */
final class Smtp_Endpoint {

	/**
	 * One entry of PHPMailer's `Host`: `tls://host:587`, `ssl://host:465` or `host:25` (none).
	 *
	 * @param string                               $host     Host (IPv6 without brackets).
	 * @param array{port: int, encryption: string} $endpoint Port and encryption.
	 */
	public static function host_entry( string $host, array $endpoint ): string {
		$prefixes = array(
			'starttls'     => 'tls://',
			'implicit_tls' => 'ssl://',
			'none'         => '',
		);
		if ( false !== strpos( $host, ':' ) ) {
			$host = '[' . $host . ']';
		}
		return $prefixes[ $endpoint['encryption'] ] . $host . ':' . $endpoint['port'];
	}

	/**
	 * PHPMailer's `SMTPSecure` value of an encryption setting.
	 *
	 * @param string $encryption none, starttls or implicit_tls.
	 */
	public static function secure_value( string $encryption ): string {
		if ( 'implicit_tls' === $encryption ) {
			return PHPMailer::ENCRYPTION_SMTPS;
		}
		return 'starttls' === $encryption ? PHPMailer::ENCRYPTION_STARTTLS : '';
	}

	/**
	 * PHPMailer's `SMTPOptions`: the certificate checked for the host (unless verification is
	 * off), with a CA file when one is set.
	 *
	 * @param string $host    The host the certificate must name.
	 * @param bool   $verify  Whether certificates are verified.
	 * @param string $ca_file A CA file, '' for the system's.
	 * @return array{ssl: array<string, bool|string>}
	 */
	public static function tls_options( string $host, bool $verify, string $ca_file ): array {
		$ssl = array(
			'verify_peer'       => $verify,
			'verify_peer_name'  => $verify,
			'allow_self_signed' => ! $verify,
			'peer_name'         => $host,
		);
		if ( '' !== $ca_file ) {
			$ssl['cafile'] = $ca_file;
		}
		return array( 'ssl' => $ssl );
	}

	/**
	 * Gives a message back to WordPress's own mail (PHP's mail()), as if this plugin had left it
	 * alone: no SMTP, no login.
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 */
	public static function wordpress_own_mail( PHPMailer $phpmailer ): void {
		$phpmailer->isMail();
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->SMTPAuth = false;
		$phpmailer->Username = '';
		$phpmailer->Password = '';
		// phpcs:enable
	}
}
