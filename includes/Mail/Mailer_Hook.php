<?php
/**
 * Sends wp_mail() through the configured SMTP server by configuring PHPMailer on `phpmailer_init`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Net\Address_Policy_Source;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Settings\Settings_Validator;

defined( 'ABSPATH' ) || exit;

/**
 * Applies the settings through PHPMailer's own API. The pluggable `wp_mail()` is never replaced.
 *
 * - STARTTLS is required when chosen (`SMTPSecure = 'tls'`, `SMTPAutoTLS = false`): PHPMailer
 *   fails instead of sending in clear text. `none` is only ever an explicit choice.
 * - Certificates are always verified (a CA file may be added); only the wp-config constant
 *   SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY switches verification off.
 * - With fallback on, the fallback ports follow the main port in PHPMailer's multi-host `Host`,
 *   each with its own `tls://` or `ssl://` prefix; a port that cannot be connected to is
 *   remembered for a while (Port_Memory) and tried last by the next messages.
 * - A password that cannot be decrypted is never sent: the message fails with a clear error.
 */
final class Mailer_Hook {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Failing ports remembered between messages.
	 *
	 * @var Port_Memory
	 */
	private Port_Memory $memory;

	/**
	 * The SMTP client of the last message configured, or null when the plugin did not take it.
	 *
	 * @var Smtp_Connection|null
	 */
	private ?Smtp_Connection $last_connection = null;

	/**
	 * Takes the settings and the memory of failing ports.
	 *
	 * @param Settings_Store   $settings The settings model.
	 * @param Port_Memory|null $memory   Failing ports remembered between messages.
	 */
	public function __construct( Settings_Store $settings, ?Port_Memory $memory = null ) {
		$this->settings = $settings;
		$this->memory   = $memory ?? new Port_Memory();
	}

	/**
	 * Points PHPMailer at the configured server (Plugin hooks it on `phpmailer_init`). When
	 * disabled or without a host, WordPress's own transport stays.
	 *
	 * @param PHPMailer $phpmailer The mailer wp_mail() is about to use.
	 */
	public function configure( PHPMailer $phpmailer ): void {
		$this->last_connection = null;
		$settings              = $this->settings->get();
		if ( ! $settings->is_active() ) {
			return;
		}
		$host = $settings->host;

		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->isSMTP();
		$entries = array();
		foreach ( $this->endpoints( $settings ) as $endpoint ) {
			$entries[] = self::host_entry( $host, $endpoint );
		}
		$phpmailer->Host = implode( ';', $entries );
		$phpmailer->Port = $settings->port;
		// Every entry carries its own scheme; this is the main port's, and '' only for an explicit `none`.
		$phpmailer->SMTPSecure  = self::secure_value( $settings->encryption );
		$phpmailer->SMTPAutoTLS = false;
		$phpmailer->Timeout     = $settings->timeout;

		$verify = $this->settings->verify_tls();
		$ssl    = array(
			'verify_peer'       => $verify,
			'verify_peer_name'  => $verify,
			'allow_self_signed' => ! $verify,
			'peer_name'         => $host,
		);
		if ( '' !== $settings->ca_file ) {
			$ssl['cafile'] = $settings->ca_file;
		}
		$phpmailer->SMTPOptions = array( 'ssl' => $ssl );

		$blocked = null;
		if ( $settings->auth ) {
			$password = $this->settings->password();
			if ( null === $password ) {
				$blocked  = $this->settings->password_unreadable()
					? __( 'SMTP Port Helper: the saved SMTP password cannot be decrypted (the security keys of this site changed). Re-enter the password in Settings → SMTP Port Helper.', 'smtp-port-helper' )
					: __( 'SMTP Port Helper: authentication is on but no SMTP password is saved. Enter the password in Settings → SMTP Port Helper.', 'smtp-port-helper' );
				$password = '';
			}
			$phpmailer->SMTPAuth = true;
			$phpmailer->Username = $settings->username;
			$phpmailer->Password = $password;
		} else {
			$phpmailer->SMTPAuth = false;
			$phpmailer->Username = '';
			$phpmailer->Password = '';
		}

		if ( '' !== $settings->from_email && ( $settings->force_from_email || self::is_default_from( $phpmailer->From ) ) ) {
			$phpmailer->From = $settings->from_email;
		}
		if ( '' !== $settings->from_name && ( $settings->force_from_name || 'WordPress' === $phpmailer->FromName ) ) {
			$phpmailer->FromName = $settings->from_name;
		}
		if ( $settings->return_path ) {
			$phpmailer->Sender = $phpmailer->From;
		}
		// phpcs:enable

		$connection = new Smtp_Connection( $settings->fallback ? array( $this, 'record_attempt' ) : null, $blocked, ( new Address_Policy_Source() )->for_settings( $this->settings ) );
		$phpmailer->setSMTPInstance( $connection );
		$this->last_connection = $connection;
	}

	/**
	 * Remembers a port that could not be connected to, forgets one that answered.
	 *
	 * @param string $host           Host.
	 * @param int    $port           Port.
	 * @param bool   $ok             Connected and greeted.
	 * @param bool   $socket_failure The connection could not be opened at all (not needed here).
	 */
	public function record_attempt( string $host, int $port, bool $ok, bool $socket_failure ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		// Refused, timed out, no greeting: no SMTP session could start on this port.
		if ( $ok ) {
			$this->memory->forget( $host, $port );
		} else {
			$this->memory->remember_down( $host, $port );
		}
	}

	/**
	 * The SMTP client of the last message configured in this request (its attempts, the port that
	 * answered), or null when the last message did not go through this plugin.
	 */
	public function last_connection(): ?Smtp_Connection {
		return $this->last_connection;
	}

	/**
	 * Ports to try, in order: the main port, then the fallback ports; ports remembered as
	 * failing go last (they are still tried when nothing else works).
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
		foreach ( $settings->fallback_ports as $port ) {
			if ( in_array( $port, array_column( $endpoints, 'port' ), true ) ) {
				continue; // E.g. a main port fixed in wp-config.php that is also a fallback port.
			}
			$endpoints[] = array(
				'port'       => $port,
				'encryption' => Settings_Validator::encryption_for_port( $port ),
			);
		}
		$up   = array();
		$down = array();
		foreach ( $endpoints as $endpoint ) {
			if ( $this->memory->is_down( $settings->host, $endpoint['port'] ) ) {
				$down[] = $endpoint;
			} else {
				$up[] = $endpoint;
			}
		}
		return array_merge( $up, $down );
	}

	/**
	 * One entry of PHPMailer's `Host`: `tls://host:587`, `ssl://host:465` or `host:25` (none).
	 *
	 * @param string                               $host     Host (IPv6 without brackets).
	 * @param array{port: int, encryption: string} $endpoint Port and encryption.
	 */
	private static function host_entry( string $host, array $endpoint ): string {
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
	 * Whether a From address is WordPress's own default (wordpress@ the site's domain).
	 *
	 * @param string $from From address.
	 */
	private static function is_default_from( string $from ): bool {
		return 0 === strpos( strtolower( $from ), 'wordpress@' );
	}
}
