<?php
/**
 * Sends wp_mail() through the configured SMTP server by configuring PHPMailer on `phpmailer_init`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Net\Address_Policy_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Result;
use SmtpPortHelper\OAuth\Xoauth2_Token_Provider;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Probe\Submission_Ports;
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
 *   remembered for a while (Port_Memory) and tried last by the next messages; so is the only
 *   address family that reaches a port (a port test's finding), which the next messages use alone.
 * - A password that cannot be decrypted is never sent: the message fails with a clear error.
 * - One time limit covers the whole message (every port, TLS, every reply: Deadline). Ports
 *   known to be down are skipped while another port may work; when every port is known to be
 *   down, the message goes to the outbox without a try. What cannot be handed over for a
 *   temporary reason is kept in the outbox (Mail_Queue) and wp_mail() returns true.
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
	 * The outbox for mail that cannot be handed over now; null: such mail fails as before.
	 *
	 * @var Mail_Queue|null
	 */
	private ?Mail_Queue $queue;

	/**
	 * Whether the outbox is set aside (a test message must report its failure, not wait).
	 *
	 * @var bool
	 */
	private bool $queue_suspended = false;

	/**
	 * The OAuth 2.0 connection; built on first use.
	 *
	 * @var OAuth_Connection|null
	 */
	private ?OAuth_Connection $oauth;

	/**
	 * The OAuth token of the last message set up.
	 *
	 * @var Token_Result|null
	 */
	private ?Token_Result $last_token = null;

	/**
	 * Takes the settings, the memory of failing ports and the outbox.
	 *
	 * @param Settings_Store        $settings The settings model.
	 * @param Port_Memory|null      $memory   Failing ports remembered between messages.
	 * @param Mail_Queue|null       $queue    The outbox; null: mail that cannot leave fails.
	 * @param OAuth_Connection|null $oauth The OAuth 2.0 connection (default: of the settings).
	 */
	public function __construct( Settings_Store $settings, ?Port_Memory $memory = null, ?Mail_Queue $queue = null, ?OAuth_Connection $oauth = null ) {
		$this->settings = $settings;
		$this->memory   = $memory ?? new Port_Memory();
		$this->queue    = $queue;
		$this->oauth    = $oauth;
	}

	/**
	 * The OAuth 2.0 connection (built on first use).
	 */
	private function oauth(): OAuth_Connection {
		$this->oauth = $this->oauth ?? new OAuth_Connection( $this->settings );
		return $this->oauth;
	}

	/**
	 * The OAuth token (or why there is none) of the last message set up; null when it used no OAuth.
	 */
	public function last_token(): ?Token_Result {
		return $this->last_token;
	}

	/**
	 * Runs a send without the outbox: its failure is reported, nothing is kept (the test message).
	 *
	 * @template T
	 * @param callable(): T $send The send.
	 * @return T
	 */
	public function without_outbox( callable $send ) {
		$suspended             = $this->queue_suspended;
		$this->queue_suspended = true;
		try {
			return $send();
		} finally {
			$this->queue_suspended = $suspended;
		}
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
		$queue     = $this->queue_suspended ? null : $this->queue;
		$endpoints = $this->endpoints( $settings );
		$up        = $this->skip_known_down( $settings, $endpoints );
		$this->apply( $phpmailer, $settings, array() === $up ? $endpoints : $up, null !== $queue ? array( $queue, 'keep' ) : null, array() === $up );
	}

	/**
	 * Prepares a PHPMailer for delivering queued mail (Outbox_Runner): the same server, TLS and
	 * login as wp_mail(), every port (those known to be down last), no outbox.
	 *
	 * @param PHPMailer $phpmailer A fresh mailer.
	 * @return Spooling_Smtp_Connection|null Its SMTP client, or null when sending is off.
	 */
	public function configure_delivery( PHPMailer $phpmailer ): ?Spooling_Smtp_Connection {
		$settings = $this->settings->get();
		if ( ! $settings->is_active() ) {
			return null;
		}
		return $this->apply( $phpmailer, $settings, $this->endpoints( $settings ), null, false );
	}

	/**
	 * Applies the settings to PHPMailer and gives it an SMTP client bound to the time limit.
	 *
	 * @param PHPMailer                                  $phpmailer     The mailer.
	 * @param Settings                                   $settings      Effective settings.
	 * @param list<array{port: int, encryption: string}> $endpoints     Ports to try, in order.
	 * @param callable|null                              $spool         Keeps what cannot leave.
	 * @param bool                                       $spool_at_once Every port is known to be down.
	 */
	private function apply( PHPMailer $phpmailer, Settings $settings, array $endpoints, ?callable $spool, bool $spool_at_once ): Spooling_Smtp_Connection {
		$host = $settings->host;

		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->isSMTP();
		$entries = array();
		foreach ( $endpoints as $endpoint ) {
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

		$blocked          = null;
		$this->last_token = null;
		if ( $settings->uses_oauth() ) {
			// XOAUTH2 with the token of the saved server and mailbox; a refused refresh holds the mail.
			$policy              = ( new Address_Policy_Source() )->for_token_endpoint( $this->settings );
			$this->last_token    = $this->oauth()->access_token( $policy );
			$phpmailer->SMTPAuth = true;
			$phpmailer->AuthType = 'XOAUTH2';
			$phpmailer->Username = $this->last_token->user;
			$phpmailer->Password = '';
			if ( $this->last_token->ok() ) {
				// A token refused before its expiry is refreshed once and the login tried again at once.
				$renewer = function ( string $refused ) use ( $policy ): Token_Result {
					$this->last_token = $this->oauth()->access_token( $policy, $refused );
					return $this->last_token;
				};
				$phpmailer->setOAuth( new Xoauth2_Token_Provider( $this->last_token->user, $this->last_token->token, $renewer ) );
			} else {
				$blocked = 'SMTP Port Helper: ' . $this->last_token->message;
			}
		} elseif ( $settings->auth ) {
			$phpmailer->AuthType = '';
			$password            = $this->settings->password();
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
			$phpmailer->AuthType = '';
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

		$connection = new Spooling_Smtp_Connection(
			Deadline::in( $settings->send_time_limit ),
			count( $entries ),
			$spool,
			$spool_at_once,
			$settings->fallback ? array( $this, 'record_attempt' ) : null,
			$blocked,
			( new Address_Policy_Source() )->for_settings( $this->settings )
		);
		$families   = array();
		foreach ( $endpoints as $endpoint ) {
			$family = $this->memory->family( $host, $endpoint['port'] );
			if ( '' !== $family ) {
				$families[ $endpoint['port'] ] = $family;
			}
		}
		$connection->use_families( $families );
		if ( null !== $this->last_token && $this->last_token->retry ) {
			$connection->block_passes();
		} elseif ( null !== $this->last_token && ! $this->last_token->ok() ) {
			$connection->block_by_sign_in();
		}
		$phpmailer->setSMTPInstance( $connection );
		$this->last_connection = $connection;
		return $connection;
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

	/**
	 * The SMTP client of the last message configured in this request (its attempts, the port that
	 * answered), or null when the last message did not go through this plugin.
	 */
	public function last_connection(): ?Smtp_Connection {
		return $this->last_connection;
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
	private function skip_known_down( Settings $settings, array $endpoints ): array {
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
