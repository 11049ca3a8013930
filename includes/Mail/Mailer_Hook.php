<?php
/**
 * Sends wp_mail() through the configured SMTP server by configuring PHPMailer on `phpmailer_init`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Result;
use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Settings\Api_Key_Store;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Transport_Registry;

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
 *   temporary reason is kept in the outbox (the Spool) and wp_mail() returns true.
 */
final class Mailer_Hook {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Which ports a message tries, and what the last messages learned about them.
	 *
	 * @var Port_Plan
	 */
	private Port_Plan $ports;

	/**
	 * The SMTP client of the last message configured, or null when the plugin did not take it.
	 *
	 * @var Smtp_Connection|null
	 */
	private ?Smtp_Connection $last_connection = null;

	/**
	 * The HTTPS API seat of the last message configured, or null when it went another way.
	 *
	 * @var Transport_Bridge|null
	 */
	private ?Transport_Bridge $last_bridge = null;

	/**
	 * The outbox for mail that cannot be handed over now; null: such mail fails as before.
	 *
	 * @var Spool|null
	 */
	private ?Spool $queue;

	/**
	 * Whether the outbox is set aside (a test message must report its failure, not wait).
	 *
	 * @var bool
	 */
	private bool $queue_suspended = false;

	/**
	 * The SMTP login of the messages (password or XOAUTH2).
	 *
	 * @var Smtp_Login
	 */
	private Smtp_Login $login;

	/**
	 * Which server a message may go through (on a network: the site's or the network's).
	 *
	 * @var Send_Route
	 */
	private Send_Route $route;

	/**
	 * The way the last message was set up (see Send_Route::for_message()), or null.
	 *
	 * @var array{store: Settings_Store|null, route: string, reason: string}|null
	 */
	private ?array $last_route = null;

	/**
	 * The route of the message being sent, for the outbox (Send_Route).
	 *
	 * @var string
	 */
	private string $spool_route = '';

	/**
	 * Takes the settings, the memory of failing ports and the outbox.
	 *
	 * @param Settings_Store        $settings The settings model.
	 * @param Port_Memory|null      $memory   Failing ports remembered between messages.
	 * @param Spool|null            $queue    The outbox; null: mail that cannot leave fails.
	 * @param OAuth_Connection|null $oauth The OAuth 2.0 connection (default: of the settings).
	 * @param Send_Route|null       $route Which server a message may go through (default: of the settings).
	 */
	public function __construct( Settings_Store $settings, ?Port_Memory $memory = null, ?Spool $queue = null, ?OAuth_Connection $oauth = null, ?Send_Route $route = null ) {
		$this->settings = $settings;
		$this->ports    = new Port_Plan( $memory ?? new Port_Memory() );
		$this->queue    = $queue;
		$this->login    = new Smtp_Login( $settings, $oauth );
		$this->route    = $route ?? new Send_Route( $settings );
	}

	/**
	 * The way the last message was set up: the settings it used (null: WordPress's own mail), the
	 * route it is kept under, and why it did not go the site's way ('' when it did). Null when the
	 * plugin was off for it.
	 *
	 * @return array{store: Settings_Store|null, route: string, reason: string}|null
	 */
	public function last_route(): ?array {
		return $this->last_route;
	}

	/**
	 * The way of a message the plugin sends itself (the outbox's recovery notice), as wp_mail()'s
	 * would go (Send_Route::for_message()).
	 *
	 * @param string[] $recipients Every recipient.
	 * @return array{store: Settings_Store|null, route: string, reason: string}
	 */
	public function route_for( array $recipients ): array {
		return $this->route->for_message( $recipients );
	}

	/**
	 * The envelope sender of someone else's mail (Send_Route::network_sender()).
	 */
	public function network_sender_address(): string {
		return $this->route->network_sender();
	}

	/**
	 * The way of a message kept in the outbox (Send_Route::for_stored()).
	 *
	 * @param string $route The route it was written for.
	 * @return array{store: Settings_Store|null, route: string, reason: string}
	 */
	public function stored_route( string $route ): array {
		return $this->route->for_stored( $route );
	}

	/**
	 * Keeps each mailbox under its provider's sending limits; built on first use.
	 *
	 * @var Send_Pacer|null
	 */
	private ?Send_Pacer $pacer = null;

	/**
	 * The sending pace of the mailboxes (built on first use).
	 */
	public function pacer(): Send_Pacer {
		return $this->pacer ??= new Send_Pacer();
	}

	/**
	 * The OAuth token (or why there is none) of the last message set up; null when it used no OAuth.
	 */
	public function last_token(): ?Token_Result {
		return $this->login->last_token();
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
		$this->last_bridge     = null;
		$this->last_route      = null;
		if ( ! $this->settings->get()->is_active() ) {
			return;
		}
		// On a network, mail that is not the site's own never goes through a server the site chose.
		$recipients       = Send_Route::recipients_of( $phpmailer );
		$way              = $this->route->for_message( $recipients );
		$this->last_route = $way;
		$store            = $way['store'];
		$foreign          = '' !== $way['reason'];
		if ( null !== $store ) {
			$settings          = $store->get();
			$endpoints         = $this->endpoints( $settings );
			$up                = $this->ports->skip_known_down( $settings, $endpoints );
			$this->spool_route = $way['route'];
			$spool             = $this->queue_suspended || null === $this->queue ? null : array( $this, 'keep' );
			$seat              = $settings->uses_api()
				? $this->apply_api( $phpmailer, $store, $settings, $spool, ! $foreign || $store->is_network() )
				: $this->apply( $phpmailer, $store, $settings, array() === $up ? $endpoints : $up, $spool, array() === $up, ! $foreign || $store->is_network() );
			// Under the mailbox's (or API account's) sending limit, behind mail that waits for it (only mail the outbox can keep).
			$paced = null !== $spool && ( array() !== $up || $settings->uses_api() ) ? $this->pacer()->admit( $settings, count( $recipients ), false ) : 0;
			if ( $paced > 0 ) {
				$seat->hold( Send_Pacer::held( $paced ) );
			}
		}
		// The site's own DKIM key signs only the site's own mail.
		( new Dkim_Signing() )->apply( $phpmailer, null !== $store && ! $foreign ? $store->get() : null );
		// A null store: the network sends no mail through SMTP, WordPress's own mail goes on.
		if ( $foreign ) {
			$this->network_sender( $phpmailer );
		}
	}

	/**
	 * Someone else's mail leaves with the network's envelope sender (Send_Route::network_sender()).
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 */
	private function network_sender( PHPMailer $phpmailer ): void {
		$sender = $this->network_sender_address();
		if ( '' !== $sender ) {
			$phpmailer->Sender = $sender; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		}
	}

	/**
	 * `phpmailer_init`, last (Plugin::record_send_path()): code that ran after configure() may have
	 * added recipients (a plugin that copies every message to the network's admin). A message set
	 * up for the site's own server is checked again with every recipient, and set up again when it
	 * may no longer go there.
	 *
	 * @param PHPMailer $phpmailer The mailer as wp_mail() will use it.
	 * @return bool Whether it was set up again.
	 */
	public function recheck( PHPMailer $phpmailer ): bool {
		if ( null === $this->last_route || 0 !== strpos( $this->last_route['route'], Send_Route::SITE_PREFIX ) ) {
			return false;
		}
		$way = $this->route->for_message( Send_Route::recipients_of( $phpmailer ) );
		if ( $way['route'] === $this->last_route['route'] ) {
			return false;
		}
		if ( null === $way['store'] ) {
			Smtp_Endpoint::wordpress_own_mail( $phpmailer );
			$this->last_connection = null;
			$this->last_route      = $way;
			$this->network_sender( $phpmailer );
			( new Dkim_Signing() )->apply( $phpmailer, null );
			return true;
		}
		$this->configure( $phpmailer );
		return true;
	}

	/**
	 * The spool of wp_mail(): keeps a message in the outbox with the route it was written for.
	 *
	 * @param string       $from       Envelope sender.
	 * @param string[]     $recipients Recipients still waiting.
	 * @param string       $data       The complete message.
	 * @param Send_Failure $failure    Why it could not leave.
	 * @param string       $idempotency_key The key its first attempt carried ('' none).
	 * @return int|null The message id, or null when it could not be stored.
	 */
	public function keep( string $from, array $recipients, string $data, Send_Failure $failure, string $idempotency_key = '' ): ?int {
		return null === $this->queue ? null : $this->queue->keep( $from, $recipients, $data, $failure, $this->spool_route, $idempotency_key );
	}

	/**
	 * Prepares a PHPMailer for delivering queued mail (Outbox_Runner): the same server, TLS and
	 * login as wp_mail() — of the settings the message's route allows (stored_route()) — every
	 * port (those known to be down last), no outbox.
	 *
	 * @param PHPMailer           $phpmailer A fresh mailer.
	 * @param Settings_Store|null $store     The settings of the message's route (default: the site's).
	 * @return Spooling_Smtp_Connection|null Its SMTP client, or null when sending is off.
	 */
	public function configure_delivery( PHPMailer $phpmailer, ?Settings_Store $store = null ): ?Spooling_Smtp_Connection {
		$store    = $store ?? $this->settings;
		$settings = $store->get();
		if ( ! $settings->is_active() ) {
			return null;
		}
		return $this->apply( $phpmailer, $store, $settings, $this->endpoints( $settings ), null, false, true );
	}

	/**
	 * Applies the settings to PHPMailer and gives it an SMTP client bound to the time limit.
	 *
	 * @param PHPMailer                                  $phpmailer     The mailer.
	 * @param Settings_Store                             $store         The settings' model (the site's or the network's).
	 * @param Settings                                   $settings      Its effective settings.
	 * @param list<array{port: int, encryption: string}> $endpoints     Ports to try, in order.
	 * @param callable|null                              $spool         Keeps what cannot leave.
	 * @param bool                                       $spool_at_once Every port is known to be down.
	 * @param bool                                       $sender        Whether the settings' From and Return-Path apply (not to someone else's mail sent with a site's settings).
	 */
	private function apply( PHPMailer $phpmailer, Settings_Store $store, Settings $settings, array $endpoints, ?callable $spool, bool $spool_at_once, bool $sender ): Spooling_Smtp_Connection {
		$host = $settings->host;

		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->isSMTP();
		$entries = array();
		foreach ( $endpoints as $endpoint ) {
			$entries[] = Smtp_Endpoint::host_entry( $host, $endpoint );
		}
		$phpmailer->Host = implode( ';', $entries );
		$phpmailer->Port = $settings->port;
		// Every entry carries its own scheme; this is the main port's, and '' only for an explicit `none`.
		$phpmailer->SMTPSecure  = Smtp_Endpoint::secure_value( $settings->encryption );
		$phpmailer->SMTPAutoTLS = false;
		$phpmailer->Timeout     = $settings->timeout;

		$phpmailer->SMTPOptions = Smtp_Endpoint::tls_options( $host, $store->verify_tls(), $settings->ca_file );

		$blocked = $this->login->apply( $phpmailer, $store, $settings );
		$token   = $this->login->last_token();

		if ( $sender ) {
			From_Address::apply( $phpmailer, $settings, null !== $token ? $token->user : From_Address::password_login( $settings ) );
		}
		// phpcs:enable

		$connection = new Spooling_Smtp_Connection(
			Deadline::in( $settings->send_time_limit ),
			count( $entries ),
			$spool,
			$spool_at_once,
			$settings->fallback ? array( $this->ports, 'record_attempt' ) : null,
			$blocked,
			( new Address_Policy_Source() )->for_settings( $store )
		);
		$connection->use_families( $this->ports->families( $host, $endpoints ) );
		if ( null !== $token && $token->retry ) {
			$connection->block_means( 'token' );
		} elseif ( null !== $token && ! $token->ok() ) {
			$connection->block_means( 'oauth' );
		}
		$phpmailer->setSMTPInstance( $connection );
		$this->last_connection = $connection;
		return $connection;
	}

	/**
	 * Sends the message through a provider's HTTPS API (Transport_Bridge): PHPMailer builds it as
	 * for SMTP, the transport sends the bytes; what cannot leave now waits in the outbox.
	 *
	 * @param PHPMailer      $phpmailer The mailer.
	 * @param Settings_Store $store     The settings' model.
	 * @param Settings       $settings  Its effective settings.
	 * @param callable|null  $spool     Keeps what cannot leave.
	 * @param bool           $sender    Whether the settings' From and Return-Path apply.
	 */
	private function apply_api( PHPMailer $phpmailer, Settings_Store $store, Settings $settings, ?callable $spool, bool $sender ): Transport_Bridge {
		$this->last_bridge = Transport_Bridge::install( $phpmailer, Api_Key_Store::base_url( $settings ), ( new Transport_Factory( $this ) )->for_store( $store ), Deadline::in( $settings->send_time_limit ), $spool );
		if ( $sender ) {
			// Graph and Gmail send as the signed-in mailbox, or Graph as the shared one: WordPress's default From becomes it (Graph refuses another, Gmail rewrites it).
			$signs_in = null !== Transport_Registry::oauth_class( $settings->transport );
			$mailbox  = $signs_in ? $settings->shared_mailbox() : '';
			if ( $signs_in && '' === $mailbox ) {
				$mailbox = $this->login->signed_in_mailbox( $settings );
			}
			From_Address::apply( $phpmailer, $settings, $mailbox );
		}
		return $this->last_bridge;
	}

	/**
	 * The HTTPS API seat of the last message configured in this request, or null.
	 */
	public function last_bridge(): ?Transport_Bridge {
		return $this->last_bridge;
	}

	/**
	 * The SMTP client of the last message configured in this request (its attempts, the port that
	 * answered), or null when the last message did not go through this plugin.
	 */
	public function last_connection(): ?Smtp_Connection {
		return $this->last_connection;
	}

	/**
	 * Ports to try, in order (Port_Plan::endpoints()).
	 *
	 * @param Settings $settings Effective settings.
	 * @return list<array{port: int, encryption: string}>
	 */
	public function endpoints( Settings $settings ): array {
		return $this->ports->endpoints( $settings );
	}
}
