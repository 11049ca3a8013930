<?php
/**
 * Verdict codes and their plain-language explanations.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Dns_Client;
use SmtpPortHelper\Net\Ip_Address;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Stable verdict codes and the translated message shown to the user for each.
 */
class Verdict {

	const OK               = 'ok';
	const DNS_FAILED       = 'dns_failed';
	const REFUSED          = 'refused';
	const TIMEOUT          = 'timeout';
	const UNREACHABLE      = 'unreachable';
	const NO_BANNER        = 'no_banner';
	const NOT_SMTP         = 'not_smtp';
	const REJECTED         = 'rejected';
	const STALLED          = 'stalled';
	const STARTTLS_MISSING = 'starttls_missing';
	const TLS_FAILED       = 'tls_failed';
	const CERT_INVALID     = 'cert_invalid';
	const AUTH_FAILED      = 'auth_failed';
	const AUTH_UNAVAILABLE = 'auth_unavailable';
	const HOST_MISMATCH    = 'host_mismatch';
	const ADDRESS_REFUSED  = 'address_refused';

	// OAuth 2.0 (XOAUTH2): no account is connected, or the provider refused to renew the token.
	const OAUTH_NOT_CONNECTED  = 'oauth_not_connected';
	const OAUTH_REFRESH_FAILED = 'oauth_refresh_failed';

	// Whose side a failure is on: what the user should check, and who can fix it.
	const CAUSE_NONE        = 'none';
	const CAUSE_HOST_NAME   = 'host_name';   // The name does not resolve: a typo in the host field.
	const CAUSE_NETWORK     = 'network';     // No connection: a firewall (often the web host's) or no server.
	const CAUSE_MAIL_SERVER = 'mail_server'; // Connected, but the server does not offer what submission needs.
	const CAUSE_CERTIFICATE = 'certificate'; // The mail server's certificate (or the CA file option).
	const CAUSE_LOGIN       = 'login';       // The server refused the user name or password.

	/**
	 * All codes.
	 *
	 * @return string[]
	 */
	public static function all(): array {
		return array(
			self::OK,
			self::DNS_FAILED,
			self::REFUSED,
			self::TIMEOUT,
			self::UNREACHABLE,
			self::NO_BANNER,
			self::NOT_SMTP,
			self::REJECTED,
			self::STALLED,
			self::STARTTLS_MISSING,
			self::TLS_FAILED,
			self::CERT_INVALID,
			self::AUTH_FAILED,
			self::AUTH_UNAVAILABLE,
			self::HOST_MISMATCH,
			self::ADDRESS_REFUSED,
			self::OAUTH_NOT_CONNECTED,
			self::OAUTH_REFRESH_FAILED,
		);
	}

	/**
	 * All causes, in the order a summary names them.
	 *
	 * @return string[]
	 */
	public static function causes(): array {
		return array( self::CAUSE_NONE, self::CAUSE_HOST_NAME, self::CAUSE_NETWORK, self::CAUSE_MAIL_SERVER, self::CAUSE_CERTIFICATE, self::CAUSE_LOGIN );
	}

	/**
	 * Whose side a verdict is on, so that advice goes to the right support desk.
	 *
	 * @param string $verdict A verdict code.
	 * @return string One of the CAUSE_ constants.
	 */
	public static function cause( string $verdict ): string {
		switch ( $verdict ) {
			case self::OK:
				return self::CAUSE_NONE;
			case self::DNS_FAILED:
			case self::ADDRESS_REFUSED:
				return self::CAUSE_HOST_NAME;
			case self::REFUSED:
			case self::TIMEOUT:
			case self::UNREACHABLE:
				return self::CAUSE_NETWORK;
			case self::CERT_INVALID:
			case self::HOST_MISMATCH:
				return self::CAUSE_CERTIFICATE;
			case self::AUTH_FAILED:
			case self::OAUTH_NOT_CONNECTED:
			case self::OAUTH_REFRESH_FAILED:
				return self::CAUSE_LOGIN;
			default:
				return self::CAUSE_MAIL_SERVER;
		}
	}

	/**
	 * Plain-language explanation of a port result: what it means and what to do.
	 *
	 * @param Port_Result $r Result.
	 * @return string
	 */
	public static function message( Port_Result $r ): string {
		$port   = $r->port;
		$detail = $r->verdict_detail;
		switch ( $r->verdict ) {
			case self::OK:
				if ( Port_Result::MODE_IMPLICIT_TLS === $r->mode ) {
					$text = sprintf(
						/* translators: %d: port number */
						__( 'Port %d works, encrypted from the first byte (implicit TLS). Set the encryption to "SSL/TLS" for this port.', 'smtp-port-helper' ),
						$port
					);
				} else {
					$text = sprintf(
						/* translators: %d: port number */
						__( 'Port %d works, with encryption started by STARTTLS. Set the encryption to "STARTTLS" (sometimes called "TLS") for this port.', 'smtp-port-helper' ),
						$port
					);
				}
				if ( true === $r->auth_ok ) {
					$text .= ' ' . __( 'Your user name and password were accepted.', 'smtp-port-helper' );
				}
				$text .= self::mode_note( $r );
				if ( 25 === $port ) {
					$text .= ' ' . self::port_25_note();
				}
				return $text;

			case self::DNS_FAILED:
				if ( null !== $r->dns_silent_for ) {
					return sprintf(
						/* translators: 1: seconds, 2: host name */
						__( 'The DNS server did not answer within %1$s s, so the name "%2$s" could not be looked up. This is a problem of the web server\'s name service, not of the name: try again later, or ask your host to check the server\'s DNS settings.', 'smtp-port-helper' ),
						Dns_Client::seconds( $r->dns_silent_for ),
						$r->host
					);
				}
				return sprintf(
					/* translators: %s: host name */
					__( 'The name "%s" could not be found. Check the spelling of the mail server name in your email provider\'s instructions (for example smtp.example.com).', 'smtp-port-helper' ),
					$r->host
				);

			case self::REFUSED:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d is closed: the connection was refused. Either your mail provider does not offer this port, or a firewall (most often at your web host) rejects it. Try another port.', 'smtp-port-helper' ),
					$port
				);

			case self::TIMEOUT:
				$text = sprintf(
					/* translators: %d: port number */
					__( 'Nothing answered on port %d before the time limit. This usually means a firewall silently blocks this outgoing port, most often at your web host. Try another port, or ask your host to open it.', 'smtp-port-helper' ),
					$port
				);
				$rule = Hosting_Platform_Blocks::port_note( $port );
				return '' !== $rule ? $text . ' ' . $rule : $text;

			case self::UNREACHABLE:
				return sprintf(
					/* translators: 1: port number, 2: technical error */
					__( 'The server could not be reached on port %1$d (%2$s). There is a network problem between your web server and the mail server. Try again later, or ask your web host.', 'smtp-port-helper' ),
					$port,
					$detail
				);

			case self::NO_BANNER:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d accepted the connection, but no mail server greeted us. A firewall or proxy may be holding the connection, or the server is overloaded. Try another port.', 'smtp-port-helper' ),
					$port
				);

			case self::NOT_SMTP:
				return sprintf(
					/* translators: %d: port number */
					__( 'Something answers on port %d, but it does not behave like a mail (SMTP) server. It may be a web server or another service. Check the host name and the port.', 'smtp-port-helper' ),
					$port
				);

			case self::REJECTED:
				return sprintf(
					/* translators: 1: port number, 2: the server's reply */
					__( 'The mail server on port %1$d answered but refused to continue (%2$s). The provider may block your web server\'s address; contact them with this message.', 'smtp-port-helper' ),
					$port,
					$detail
				);

			case self::STALLED:
				return sprintf(
					/* translators: %d: port number */
					__( 'The mail server on port %d answered, then stopped responding in the middle of the conversation. The connection may be slowed down or filtered. Try again, or try another port.', 'smtp-port-helper' ),
					$port
				);

			case self::STARTTLS_MISSING:
				$text = sprintf(
					/* translators: %d: port number */
					__( 'Port %d works only without encryption: the server does not offer STARTTLS. Your password would travel in clear text, so do not use this port to log in. Use a port with encryption.', 'smtp-port-helper' ),
					$port
				);
				if ( 25 === $port ) {
					$text .= ' ' . self::port_25_note();
				}
				return $text;

			case self::TLS_FAILED:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d answers, but the encrypted connection (TLS) could not be set up. Try another port, and check that the encryption setting matches the port.', 'smtp-port-helper' ),
					$port
				);

			case self::CERT_INVALID:
				return sprintf(
					/* translators: 1: port number, 2: what is wrong with the certificate */
					__( 'Port %1$d offers encryption, but the mail server\'s certificate cannot be trusted: %2$s. Do not send your password over it.', 'smtp-port-helper' ),
					$port,
					self::cert_problems_text( $r )
				) . ' ' . self::cert_advice( $r );

			case self::AUTH_FAILED:
				if ( null !== $r->login_accepted_on ) {
					return sprintf(
						/* translators: 1: port number that refused the login, 2: port number that accepted the same login */
						__( 'Port %1$d works, but this server refused the login on it, although the same user name and password were accepted on port %2$d. Your mail provider allows login only on some ports: use port %2$d.', 'smtp-port-helper' ),
						$port,
						$r->login_accepted_on
					);
				}
				$policy = Provider_Login_Policy::explain( $detail, $r->host );
				if ( null !== $policy ) {
					return sprintf(
						/* translators: 1: port number, 2: what the provider's refusal means and what to do */
						__( 'Port %1$d works, but the login was refused. %2$s', 'smtp-port-helper' ),
						$port,
						$policy
					);
				}
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d works, but the user name or password was refused. Check them; some providers require an "app password" or a setting that allows SMTP login.', 'smtp-port-helper' ),
					$port
				);

			case self::AUTH_UNAVAILABLE:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d works and is encrypted, but the server does not offer a login method that WordPress can use (AUTH PLAIN or LOGIN). It may only accept mail from other servers. Try another port.', 'smtp-port-helper' ),
					$port
				) . ( 25 === $port ? ' ' . self::port_25_note() : '' );

			case self::ADDRESS_REFUSED:
				// The detail is the refusal's class, or the refused port's own message.
				return sprintf(
					/* translators: 1: port number, 2: why (a sentence or two) */
					__( 'Port %1$d was not tried: %2$s', 'smtp-port-helper' ),
					$port,
					in_array( $detail, array( Ip_Address::INTERNAL, Ip_Address::NEVER ), true ) ? Address_Policy::refusal_message( $detail ) : $detail
				);

			case self::OAUTH_NOT_CONNECTED:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d was not logged in to: OAuth 2.0 is chosen, but no account is connected for this server and user name. Click "Connect" in Settings → SMTP Port Helper and sign in with the mailbox.', 'smtp-port-helper' ),
					$port
				);

			case self::OAUTH_REFRESH_FAILED:
				return sprintf(
					/* translators: 1: port number, 2: the provider's refusal in plain words and what to do */
					__( 'Port %1$d was not logged in to: the provider refused to renew the sign-in. %2$s', 'smtp-port-helper' ),
					$port,
					$detail
				);

			case self::HOST_MISMATCH:
				return sprintf(
					/* translators: 1: port number, 2: host name asked for, 3: name the server gave */
					__( 'On port %1$d, a different server than %2$s answers (it calls itself "%3$s"). Your hosting provider probably redirects outgoing mail to its own server. Ask your host, or use their mail server.', 'smtp-port-helper' ),
					$port,
					$r->host,
					'' !== $r->banner_host ? Text::sanitize( $r->banner_host, 100 ) : ( null !== $r->tls ? (string) $r->tls['subject'] : '?' )
				);
		}
		return '';
	}

	/**
	 * Note when the detected mode is not the usual one for the port.
	 *
	 * @param Port_Result $r Result.
	 * @return string Leading space included, or ''.
	 */
	private static function mode_note( Port_Result $r ): string {
		if ( $r->implicit_expected && Port_Result::MODE_STARTTLS === $r->mode ) {
			return ' ' . sprintf(
				/* translators: %d: port number */
				__( 'Note: port %d usually uses SSL/TLS from the start, but this server uses STARTTLS on it, so choose STARTTLS.', 'smtp-port-helper' ),
				$r->port
			);
		}
		if ( ! $r->implicit_expected && Port_Result::MODE_IMPLICIT_TLS === $r->mode ) {
			return ' ' . sprintf(
				/* translators: %d: port number */
				__( 'Note: port %d usually uses STARTTLS, but this server uses SSL/TLS from the start on it, so choose SSL/TLS.', 'smtp-port-helper' ),
				$r->port
			);
		}
		return '';
	}

	/**
	 * Explains relay (25) versus submission.
	 *
	 * @return string
	 */
	private static function port_25_note(): string {
		return __( 'Port 25 is meant for mail servers passing mail to each other (relay). For a website that logs in to send mail (submission), use port 587 or 465.', 'smtp-port-helper' );
	}

	/**
	 * Who can fix an untrusted certificate, and how: the host name for a certificate made out to
	 * another name, the CA file option for a private authority, otherwise the mail provider.
	 *
	 * @param Port_Result $r Result with verdict CERT_INVALID.
	 * @return string
	 */
	private static function cert_advice( Port_Result $r ): string {
		if ( in_array( 'wrong_host', $r->cert_problems, true ) ) {
			return __( 'Check the host name: use the mail server name exactly as your mail provider\'s instructions give it, which is the name its certificate is made out to.', 'smtp-port-helper' );
		}
		if ( array() !== array_intersect( array( 'self_signed', 'untrusted' ), $r->cert_problems ) ) {
			return __( 'If this mail server uses its own certificate authority (a private or company server), enter that authority\'s file under Advanced settings → "CA certificate file". Otherwise ask your mail provider to use a certificate from a trusted authority.', 'smtp-port-helper' );
		}
		if ( in_array( 'expired', $r->cert_problems, true ) ) {
			return __( 'Your mail provider has to renew its certificate; tell them.', 'smtp-port-helper' );
		}
		if ( in_array( 'not_yet_valid', $r->cert_problems, true ) ) {
			return __( 'If the clock of your web server is right, ask your mail provider to check its certificate.', 'smtp-port-helper' );
		}
		return __( 'Ask your mail provider to check its certificate.', 'smtp-port-helper' );
	}

	/**
	 * Lists certificate problems in words.
	 *
	 * @param Port_Result $r Result.
	 * @return string
	 */
	public static function cert_problems_text( Port_Result $r ): string {
		$parts    = array();
		$tls      = $r->tls;
		$valid_to = null !== $tls ? $tls['valid_to'] : '';
		foreach ( $r->cert_problems as $problem ) {
			switch ( $problem ) {
				case 'expired':
					$parts[] = '' !== $valid_to
						? sprintf(
							/* translators: %s: expiry date */
							__( 'it expired on %s', 'smtp-port-helper' ),
							substr( $valid_to, 0, 10 )
						)
						: __( 'it has expired', 'smtp-port-helper' );
					break;
				case 'not_yet_valid':
					$parts[] = __( 'it is not valid yet (check the clock of your web server)', 'smtp-port-helper' );
					break;
				case 'self_signed':
					$parts[] = __( 'it is self-signed, not issued by a trusted authority', 'smtp-port-helper' );
					break;
				case 'untrusted':
					$parts[] = __( 'it was issued by an authority this web server does not trust', 'smtp-port-helper' );
					break;
				case 'wrong_host':
					$names   = null !== $tls ? array_values( $tls['sans'] ) : array();
					$shown   = array() !== $names ? implode( ', ', array_slice( $names, 0, 3 ) ) : ( null !== $tls ? $tls['subject'] : '?' );
					$parts[] = sprintf(
						/* translators: 1: names in the certificate, 2: host name asked for */
						__( 'it is made out to %1$s, not to %2$s', 'smtp-port-helper' ),
						'' !== $shown ? $shown : '?',
						$r->host
					);
					break;
			}
		}
		if ( array() === $parts ) {
			$parts[] = __( 'it could not be verified', 'smtp-port-helper' );
		}
		return implode( '; ', $parts );
	}
}
