<?php
/**
 * PHPMailer's SMTP client, watched: which host and port answered, which could not be reached.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\SMTP;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Ip_Address;
use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || exit;

/**
 * Given to PHPMailer with `setSMTPInstance()` for one message. PHPMailer tries the entries of a
 * multi-host `Host` in order and moves on after any failure before the message is sent (connect,
 * TLS or AUTH); this client lets it move on only while no server has answered, so a fallback port
 * is tried only when the previous one could not be connected to. A message is never sent twice:
 * PHPMailer sends it once, after a connection is fully set up.
 *
 * Where it connects: the host is resolved once per message within the connection's time limit
 * (Dns_Resolver), each address is checked against the address policy of the settings' owner, and
 * PHPMailer connects to the vetted IP address; the host name stays the TLS peer name (certificate
 * check and SNI), so a second look-up can never send the message elsewhere. When only one address
 * family is known to reach a port (use_families()), only its addresses are connected to.
 *
 * Abstract: only its subclass Spooling_Smtp_Connection (which also keeps what cannot leave) is built.
 */
abstract class Smtp_Connection extends SMTP {

	/** PHPMailer's error text when the socket could not be opened. */
	private const SOCKET_FAILURE = 'Failed to connect to server';

	/**
	 * Called after each connection attempt with (host, port, ok, socket_failure).
	 *
	 * @var callable|null
	 */
	private $on_attempt;

	/**
	 * Why nothing may be sent (e.g. an unreadable password); null when sending may go ahead.
	 *
	 * @var string|null
	 */
	private ?string $blocked;

	/**
	 * Whether a server answered for this message (no further port is tried then).
	 *
	 * @var bool
	 */
	private bool $answered = false;

	/**
	 * Every connection attempt of this message, in order.
	 *
	 * @var list<array{host: string, port: int, ok: bool, socket_failure: bool, error: string, problems: list<string>, family?: string, verdict?: string, detail?: string, silent_for?: float|null}>
	 */
	private array $attempts = array();

	/**
	 * PHP warnings seen during the current attempt (connect, TLS handshake).
	 *
	 * @var list<string>
	 */
	private array $problems = array();

	/**
	 * Where connections may go.
	 *
	 * @var Address_Policy
	 */
	private Address_Policy $policy;

	/**
	 * Resolves host names within a time limit.
	 *
	 * @var Dns_Resolver
	 */
	private Dns_Resolver $resolver;

	/**
	 * Look-ups of this message, by host name.
	 *
	 * @var array<string, array{a: string[], aaaa: string[], error: string, no_answer: bool}>
	 */
	private array $resolved = array();

	/**
	 * The only address family known to reach each port (Port_Memory): port => 'ipv4' or 'ipv6'.
	 *
	 * @var array<int, string>
	 */
	private array $families = array();

	/**
	 * Takes the attempt callback and, when sending must not happen, the reason.
	 *
	 * @param callable|null       $on_attempt Called with (string $host, int $port, bool $ok, bool $socket_failure,
	 *                                        string $only_family: the family that connected after the other failed, or '').
	 * @param string|null         $blocked    When set, every connection fails with this message.
	 * @param Address_Policy|null $policy     Where connections may go (default: an administrator's policy).
	 * @param Dns_Resolver|null   $resolver   Resolves host names within a time limit.
	 */
	public function __construct( ?callable $on_attempt = null, ?string $blocked = null, ?Address_Policy $policy = null, ?Dns_Resolver $resolver = null ) {
		$this->on_attempt = $on_attempt;
		$this->blocked    = $blocked;
		$this->policy     = $policy ?? Address_Policy::administrator();
		$this->resolver   = $resolver ?? new Dns_Resolver();
	}

	/**
	 * Connects to these ports over one address family only (the host name stays the TLS peer name).
	 *
	 * @param array<int, string> $families Port => Address_Family::IPV4 or ::IPV6.
	 */
	public function use_families( array $families ): void {
		$this->families = $families;
	}

	/**
	 * Connects, unless a server already answered for this message.
	 *
	 * @param string               $host    Host, possibly with an `ssl://` prefix.
	 * @param int                  $port    Port.
	 * @param int                  $timeout Seconds.
	 * @param array<string, mixed> $options Stream context options.
	 * @return bool
	 * @throws PHPMailer_Exception When sending is blocked.
	 */
	public function connect( $host, $port = null, $timeout = 30, $options = array() ) {
		if ( null !== $this->blocked ) {
			throw new PHPMailer_Exception( $this->blocked ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- not output.
		}
		if ( $this->answered ) {
			$this->setError( 'A server already answered: no other port is tried for this message.' );
			$this->edebug( 'Connection: not trying the next port, a server already answered', self::DEBUG_CONNECTION );
			return false;
		}
		$this->problems = array();
		$started        = microtime( true );
		$prefix         = preg_match( '#^(ssl|tls)://#', (string) $host, $match ) ? $match[0] : '';
		$plain_host     = trim( substr( (string) $host, strlen( $prefix ) ), '[]' );
		$addresses      = $this->vetted_addresses( $plain_host, (int) $port, (float) $timeout );
		$pinned         = Address_Family::filter( $addresses, $this->families[ (int) $port ] ?? '' );
		$addresses      = array() !== $pinned ? $pinned : $addresses;
		if ( ! isset( $options['ssl'] ) || ! is_array( $options['ssl'] ) ) {
			$options['ssl'] = array();
		}
		$options['ssl'] += array( 'peer_name' => $plain_host ); // The certificate names the host, not the address.
		// DATA ends with two writes in a row (the message's last block, then the `.` line) and no
		// reply between them: with Nagle's algorithm on, the `.` waits for the ACK of the block,
		// which a server that answers only after the `.` delays (Linux: 40 ms) — every message.
		if ( ! isset( $options['socket'] ) || ! is_array( $options['socket'] ) ) {
			$options['socket'] = array();
		}
		$options['socket'] += array( 'tcp_nodelay' => true );
		// PHPMailer waits `Timelimit` (300 s) for each reply, whatever `Timeout` says: a port that
		// accepts connections but never greets would hold the request for five minutes. The
		// greeting gets the connection timeout; later replies the longer of it and 30 s.
		$ok     = false;
		$error  = $this->getError();
		$family = '';
		foreach ( $addresses as $address ) {
			$family          = Address_Family::of( $address );
			$left            = max( 1, (int) ceil( (float) $timeout - ( microtime( true ) - $started ) ) );
			$this->Timelimit = $left; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
			$ok              = parent::connect( $prefix . ( false !== strpos( $address, ':' ) ? '[' . $address . ']' : $address ), $port, $left, $options );
			$error           = $this->getError();
			if ( $ok || self::SOCKET_FAILURE !== $error['error'] ) {
				break; // The next address only when this one could not be connected to.
			}
		}
		$this->Timelimit  = max( 30, (int) $timeout ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$socket_failure   = ! $ok && self::SOCKET_FAILURE === $error['error'];
		$attempt          = array(
			'host'           => trim( (string) $plain_host, '[]' ),
			'port'           => (int) $port,
			'ok'             => $ok,
			'socket_failure' => $socket_failure,
			'error'          => trim( $error['error'] . ' ' . $error['detail'] . ' ' . $error['smtp_code_ex'] ),
			'problems'       => $this->problems,
			'family'         => $ok ? $family : '',
		);
		$this->attempts[] = $attempt;
		if ( $ok ) {
			$this->answered = true;
		}
		// The other family failed first and this one connected: only this one reaches the port.
		$only_family = $ok && Address_Family::of( $addresses[0] ) !== $family ? $family : '';
		if ( null !== $this->on_attempt ) {
			call_user_func( $this->on_attempt, $attempt['host'], $attempt['port'], $ok, $socket_failure, $only_family );
		}
		return $ok;
	}

	/**
	 * The addresses of a host this message may connect to, looked up once per message.
	 *
	 * @param string $host    Host name or IP address.
	 * @param int    $port    Port.
	 * @param float  $seconds Time limit of the look-up.
	 * @return string[]
	 * @throws PHPMailer_Exception When the host cannot be resolved in time, or the policy refuses
	 *                             the port or every address (the attempt says why: `verdict`).
	 */
	private function vetted_addresses( string $host, int $port, float $seconds ): array {
		if ( ! $this->policy->allows_port( $port ) ) {
			$this->refuse( $host, $port, Verdict::ADDRESS_REFUSED, $this->policy->port_message( $port ) );
		}
		if ( ! isset( $this->resolved[ $host ] ) ) {
			try {
				$name                    = Host_Name::parse( $host );
				$this->resolved[ $host ] = $this->policy->refuses_name( $name->get_ascii() )
					? array( 'a' => array(), 'aaaa' => array(), 'error' => Ip_Address::NEVER, 'no_answer' => false ) // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
					: $this->resolver->resolve( $name, max( 0.5, $seconds ) );
			} catch ( Invalid_Input_Exception $error ) {
				$this->resolved[ $host ] = array( 'a' => array(), 'aaaa' => array(), 'error' => $error->getMessage(), 'no_answer' => false ); // phpcs:ignore WordPress.Arrays.ArrayDeclarationSpacing.AssociativeArrayFound
			}
		}
		$dns = $this->resolved[ $host ];
		if ( Ip_Address::NEVER === $dns['error'] ) {
			$this->refuse( $host, $port, Verdict::ADDRESS_REFUSED, Ip_Address::NEVER );
		}
		if ( '' !== $dns['error'] ) {
			$this->refuse( $host, $port, Verdict::DNS_FAILED, $dns['error'], $dns['no_answer'] ? max( 0.5, $seconds ) : null );
		}
		$allowed = $this->policy->allowed( array_merge( $dns['a'], $dns['aaaa'] ) );
		if ( array() === $allowed ) {
			$refusal = $this->policy->refusal( array_merge( $dns['a'], $dns['aaaa'] )[0] ?? '' ) ?? Ip_Address::NEVER;
			foreach ( array_merge( $dns['a'], $dns['aaaa'] ) as $address ) {
				if ( Ip_Address::INTERNAL === $this->policy->refusal( $address ) ) {
					$refusal = Ip_Address::INTERNAL;
				}
			}
			$this->refuse( $host, $port, Verdict::ADDRESS_REFUSED, $refusal );
		}
		return $allowed;
	}

	/**
	 * Records an attempt that never connected and stops the message with the verdict's plain words.
	 *
	 * @param string     $host       Host.
	 * @param int        $port       Port.
	 * @param string     $verdict    Verdict::ADDRESS_REFUSED or Verdict::DNS_FAILED.
	 * @param string     $detail     The verdict's detail: the refusal (Ip_Address::INTERNAL, ::NEVER,
	 *                               or a refused port's message) or the look-up's error.
	 * @param float|null $silent_for Seconds a name server stayed silent, or null.
	 * @return never
	 * @throws PHPMailer_Exception Always.
	 */
	private function refuse( string $host, int $port, string $verdict, string $detail, ?float $silent_for = null ): void {
		$result                 = new Port_Result( $port );
		$result->host           = $host;
		$result->verdict        = $verdict;
		$result->verdict_detail = $detail;
		$result->dns_silent_for = $silent_for;
		$message                = 'SMTP Port Helper: ' . Verdict::message( $result );
		$this->attempts[]       = array(
			'host'           => $host,
			'port'           => $port,
			'ok'             => false,
			'socket_failure' => false,
			'error'          => $message,
			'problems'       => array(),
			'verdict'        => $verdict,
			'detail'         => $detail,
			'silent_for'     => $silent_for,
		);
		$this->setError( $message );
		throw new PHPMailer_Exception( $message ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- not output.
	}

	/**
	 * Keeps PHP's warnings (connection refused, OpenSSL errors) for the diagnosis.
	 *
	 * @param int    $errno   Error level.
	 * @param string $errmsg  Message.
	 * @param string $errfile File.
	 * @param int    $errline Line.
	 * @return void
	 */
	protected function errorHandler( $errno, $errmsg, $errfile = '', $errline = 0 ) {
		$this->problems[] = (string) $errmsg;
		if ( array() !== $this->attempts ) {
			$last                                  = count( $this->attempts ) - 1;
			$this->attempts[ $last ]['problems'][] = (string) $errmsg;
		}
		parent::errorHandler( $errno, $errmsg, $errfile, $errline );
	}

	/**
	 * Every connection attempt of this message, in order.
	 *
	 * @return list<array{host: string, port: int, ok: bool, socket_failure: bool, error: string, problems: list<string>, family?: string, verdict?: string, detail?: string, silent_for?: float|null}>
	 */
	public function attempts(): array {
		return $this->attempts;
	}

	/**
	 * The host and port that answered, or null.
	 *
	 * @return array{host: string, port: int}|null
	 */
	public function endpoint(): ?array {
		foreach ( $this->attempts as $attempt ) {
			if ( $attempt['ok'] ) {
				return array(
					'host' => $attempt['host'],
					'port' => $attempt['port'],
				);
			}
		}
		return null;
	}

	/**
	 * DATA as PHPMailer's SMTP::data() sends it — the same lines on the wire, dot-stuffed, within
	 * SMTP's line length — but in blocks taken from the message (Smtp_Data_Chunks) instead of a
	 * copy split into one string per line: a 10 MB attachment no longer costs three times the
	 * message in memory, and the socket gets one write per block instead of one per line. The
	 * debug output (the test email's transcript) still shows each line.
	 *
	 * @param string $message The message (headers and body).
	 */
	protected function send_data( string $message ): bool {
		if ( ! $this->sendCommand( 'DATA', 'DATA', 354 ) ) {
			return false;
		}
		foreach ( new Smtp_Data_Chunks( $message ) as $block ) {
			if ( $this->do_debug >= self::DEBUG_CLIENT ) {
				foreach ( explode( "\r\n", substr( $block, 0, -2 ) ) as $line ) {
					$this->edebug( 'CLIENT -> SERVER: ' . $line . self::LE, self::DEBUG_CLIENT );
				}
			}
			if ( ! $this->write_all( $block ) ) {
				// Part of the message is on the wire: the session cannot take a command any more.
				$this->setError( 'The connection broke while the message was being sent.' );
				$this->close();
				return false;
			}
		}
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$time_limit       = $this->Timelimit;
		$this->Timelimit *= 2; // As PHPMailer: the server may check the whole message before it answers.
		$accepted         = $this->sendCommand( 'DATA END', '.', 250 );
		$this->recordLastTransactionID();
		$this->Timelimit = $time_limit;
		// phpcs:enable
		return $accepted;
	}

	/**
	 * Writes a block to the socket, again after a partial write.
	 *
	 * @param string $block Wire text.
	 */
	private function write_all( string $block ): bool {
		if ( ! is_resource( $this->smtp_conn ) ) {
			return false;
		}
		// As PHPMailer's client_send(): the socket's warnings go to the diagnosis.
		set_error_handler( // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
			function ( int $errno, string $errmsg, string $errfile = '', int $errline = 0 ): bool {
				$this->errorHandler( $errno, $errmsg, $errfile, $errline );
				return true;
			}
		);
		$sent = 0;
		$size = strlen( $block );
		while ( $sent < $size ) {
			$written = fwrite( $this->smtp_conn, 0 === $sent ? $block : substr( $block, $sent ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a socket, not a file.
			if ( false === $written || 0 === $written ) {
				break;
			}
			$sent += $written;
		}
		restore_error_handler();
		return $sent === $size;
	}
}
