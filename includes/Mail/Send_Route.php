<?php
/**
 * Which server a message may go through on a network: the site's own, or the network's.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;

use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * A sub-site whose destination (host, port, encryption, login) differs from the network's sends
 * through its own server only mail that is its own (Recipient_Scope); any other message goes
 * through the network's settings, or — when the network sends no mail through SMTP — with
 * WordPress's own mail, which this plugin then leaves alone. Someone else's mail also leaves with
 * the network's envelope sender, never the site's From address: a bounce carries the message
 * back to the envelope sender, and a site's administrator can make one happen (a domain whose SPF
 * and DMARC refuse every server).
 *
 * A message kept in the outbox carries the route it was written for: `network`, or `site:` and the
 * fingerprint of the site's server and login (Settings_Store::server_fingerprint()). Delivery
 * never moves it to a server the sender did not have then: a `network` message goes the network's
 * way; a `site:` message goes to the site's server only while that is still the same server and
 * login, and is held otherwise. A message written before routes were recorded (an empty route)
 * is treated as the network's: the safe way, whoever it is for.
 */
final class Send_Route {

	/** The route of a message written for the network's server. */
	public const NETWORK = 'network';

	/** The prefix of a route written for the site's own server, before its fingerprint. */
	public const SITE_PREFIX = 'site:';

	/** The outbox stage of a message held because its server is gone. */
	public const HELD_STAGE = 'route';

	/**
	 * The site's settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $site;

	/**
	 * The network's settings, built on first use.
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $network;

	/**
	 * Who a message is for.
	 *
	 * @var Recipient_Scope
	 */
	private Recipient_Scope $recipients;

	/**
	 * Takes the site's settings, and optionally the network's and the recipient check.
	 *
	 * @param Settings_Store       $site       The site's settings.
	 * @param Settings_Store|null  $network    The network's settings (default: Settings_Store::for_network()).
	 * @param Recipient_Scope|null $recipients Who a message is for.
	 */
	public function __construct( Settings_Store $site, ?Settings_Store $network = null, ?Recipient_Scope $recipients = null ) {
		$this->site       = $site;
		$this->network    = $network;
		$this->recipients = $recipients ?? new Recipient_Scope();
	}

	/**
	 * The network's settings.
	 */
	private function network(): Settings_Store {
		$this->network = $this->network ?? Settings_Store::for_network();
		return $this->network;
	}

	/**
	 * The way of a new message.
	 *
	 * @param string[] $addresses Every recipient (To, Cc, Bcc).
	 * @return array{store: Settings_Store|null, route: string, reason: string} The settings to send
	 *         with (null: WordPress's own mail), the route to keep it under, and why it does not go
	 *         the site's way ('' when it does).
	 */
	public function for_message( array $addresses ): array {
		if ( ! is_multisite() || $this->site->is_network() ) {
			return self::way( $this->site, '', '' );
		}
		$own_destination = $this->site->has_own_destination();
		$foreign         = $this->recipients->foreign( $addresses );
		if ( null === $foreign ) {
			return $own_destination
				? self::way( $this->site, self::SITE_PREFIX . $this->site->server_fingerprint(), '' )
				: self::way( $this->site, self::NETWORK, '' );
		}
		// Someone else's mail: the network's settings, its sender included (a bounce goes to the
		// envelope sender with the message in it, so a sender the site chose would read it too).
		$reason  = Recipient_Scope::describe( $foreign );
		$network = $this->network_if_usable();
		if ( null === $network && ! $own_destination ) {
			return self::way( $this->site, self::NETWORK, $reason ); // The network's server, which sends no network mail itself.
		}
		return self::way( $network, self::NETWORK, $reason );
	}

	/**
	 * The envelope sender of someone else's mail (see for_message()): the network's From address,
	 * else WordPress's default sender of the network's main address (`wordpress@` its host), which a
	 * relay set up for the network already takes — never a site's, whose domain may be mapped to
	 * its owner's.
	 */
	public function network_sender(): string {
		$from = $this->network()->get()->from_email;
		if ( '' !== $from ) {
			return $from;
		}
		$host = strtolower( (string) wp_parse_url( network_home_url(), PHP_URL_HOST ) );
		if ( 0 === strpos( $host, 'www.' ) ) {
			$host = substr( $host, 4 );
		}
		return '' !== $host ? 'wordpress@' . $host : '';
	}

	/**
	 * The way of a message kept in the outbox.
	 *
	 * @param string $route The route it was written for.
	 * @return array{store: Settings_Store|null, route: string, reason: string} The settings to
	 *         deliver with (null: it must wait, `reason` says why), the route, and the reason.
	 */
	public function for_stored( string $route ): array {
		if ( ! is_multisite() ) {
			return self::way( $this->site, $route, '' );
		}
		if ( 0 === strpos( $route, self::SITE_PREFIX ) ) {
			if ( $this->site->has_own_destination() && self::SITE_PREFIX . $this->site->server_fingerprint() === $route ) {
				return self::way( $this->site, $route, '' );
			}
			return self::way( null, $route, __( 'This message was written for the SMTP server and login this site had then; the site now sends through another server or as another user, so it is not sent there. Set the server back to send it, or delete it.', 'smtp-port-helper' ) );
		}
		if ( ! $this->site->has_own_destination() ) {
			return self::way( $this->site, self::NETWORK, '' );
		}
		$network = $this->network_if_usable();
		if ( null === $network ) {
			return self::way( null, self::NETWORK, __( 'This message may only go through the network\'s SMTP server, and the network has none set (or logs in with OAuth 2.0, which is a site\'s own sign-in). It waits until a network administrator sets one.', 'smtp-port-helper' ) );
		}
		return self::way( $network, self::NETWORK, '' );
	}

	/**
	 * The network's settings when mail can go through them: SMTP on, a host, and no OAuth 2.0
	 * login (its tokens would be the current site's mailbox, not the network's).
	 */
	private function network_if_usable(): ?Settings_Store {
		$settings = $this->network()->get();
		return $settings->is_active() && ! $settings->uses_oauth() ? $this->network() : null;
	}

	/**
	 * One answer.
	 *
	 * @param Settings_Store|null $store  Settings.
	 * @param string              $route  Route.
	 * @param string              $reason Reason.
	 * @return array{store: Settings_Store|null, route: string, reason: string}
	 */
	private static function way( ?Settings_Store $store, string $route, string $reason ): array {
		return array(
			'store'  => $store,
			'route'  => $route,
			'reason' => $reason,
		);
	}

	/**
	 * Every recipient of a message (To, Cc, Bcc), as PHPMailer holds them.
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 * @return list<string>
	 */
	public static function recipients_of( PHPMailer $phpmailer ): array {
		$addresses = array_keys( $phpmailer->getAllRecipientAddresses() );
		foreach ( array( $phpmailer->getToAddresses(), $phpmailer->getCcAddresses(), $phpmailer->getBccAddresses() ) as $list ) {
			foreach ( $list as $entry ) {
				$addresses[] = (string) $entry[0];
			}
		}
		return array_values( array_unique( array_map( 'strval', $addresses ) ) );
	}
}
