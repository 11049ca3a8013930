<?php
/**
 * Per-port probe state machine.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Probes one port with non-blocking I/O. Port_Prober drives many sessions from one
 * stream_select() loop: it asks each session for its stream and whether it wants to read or
 * write, calls on_readable() / on_writable() / tick(), and calls on_deadline() when the
 * overall time is up. A session never blocks.
 *
 * Conversation: connect, then either TLS right away (implicit-TLS ports) or wait for the
 * greeting; EHLO; STARTTLS + TLS handshake + EHLO; optional AUTH PLAIN/LOGIN; QUIT. It never
 * sends MAIL FROM. The mode is detected: plain-text bytes during an implicit handshake mean
 * plain SMTP (the session reconnects without TLS), silence on a plain port followed by a
 * working handshake means implicit TLS. When certificate verification fails, a second
 * connection with verification off is made only to read the certificate for the report; no
 * credentials are ever sent on it.
 */
class Smtp_Probe_Session {

	const S_NEW        = 'new';
	const S_CONNECTING = 'connecting';
	const S_TLS        = 'tls';
	const S_BANNER     = 'banner';
	const S_EHLO       = 'ehlo';
	const S_STARTTLS   = 'starttls';
	const S_EHLO_TLS   = 'ehlo_tls';
	const S_AUTH       = 'auth';
	const S_QUIT       = 'quit';
	const S_DONE       = 'done';

	/**
	 * Bytes read per session at most (all replies together).
	 */
	const SESSION_LIMIT = 98304;

	/**
	 * Bytes per fread().
	 */
	const CHUNK = 8192;

	/**
	 * Options.
	 *
	 * @var Probe_Options
	 */
	private $options;

	/**
	 * Clock.
	 *
	 * @var Clock
	 */
	private $clock;

	/**
	 * Result being filled.
	 *
	 * @var Port_Result
	 */
	private $result;

	/**
	 * Candidate addresses (IPv4 first).
	 *
	 * @var string[]
	 */
	private $addresses;

	/**
	 * Index of the address in use.
	 *
	 * @var int
	 */
	private $address_index = 0;

	/**
	 * Socket stream or null.
	 *
	 * @var resource|null
	 */
	private $stream = null;

	/**
	 * Reply parser.
	 *
	 * @var Reply_Reader
	 */
	private $reader;

	/**
	 * Bytes waiting to be written.
	 *
	 * @var string
	 */
	private $out = '';

	/**
	 * State (S_ constants).
	 *
	 * @var string
	 */
	private $state = self::S_NEW;

	/**
	 * Start time of the session.
	 *
	 * @var float
	 */
	private $started_at = 0.0;

	/**
	 * Start time of the current stage.
	 *
	 * @var float
	 */
	private $stage_at = 0.0;

	/**
	 * Name of the TLS stage in progress ('tls' or 'starttls').
	 *
	 * @var string
	 */
	private $tls_stage = 'tls';

	/**
	 * Whether this connection starts with TLS (implicit).
	 *
	 * @var bool
	 */
	private $tls_first = false;

	/**
	 * Whether a silent greeting may be followed by a TLS attempt.
	 *
	 * @var bool
	 */
	private $allow_tls_probe = true;

	/**
	 * Whether the current handshake is such a probe on a silent plain port.
	 *
	 * @var bool
	 */
	private $tls_probe = false;

	/**
	 * Whether bytes arrived during the current handshake.
	 *
	 * @var bool
	 */
	private $tls_saw_bytes = false;

	/**
	 * Whether TLS is active on the current connection.
	 *
	 * @var bool
	 */
	private $tls_active = false;

	/**
	 * Second connection with verification off, only to read the certificate.
	 *
	 * @var bool
	 */
	private $inspect = false;

	/**
	 * OpenSSL error text of the failed verified handshake.
	 *
	 * @var string
	 */
	private $verify_error = '';

	/**
	 * Time when a silent greeting triggers a TLS attempt (0: none).
	 *
	 * @var float
	 */
	private $banner_deadline = 0.0;

	/**
	 * Bytes read on the current connection.
	 *
	 * @var int
	 */
	private $bytes_connection = 0;

	/**
	 * Bytes read in the whole session.
	 *
	 * @var int
	 */
	private $bytes_total = 0;

	/**
	 * Local address of the connection (for the default EHLO name).
	 *
	 * @var string
	 */
	private $local_address = '';

	/**
	 * AUTH step: plain, login_user, login_pass.
	 *
	 * @var string
	 */
	private $auth_step = '';

	/**
	 * Seconds to wait for a greeting before trying TLS on a port not expected to be implicit.
	 *
	 * @var float
	 */
	private $banner_grace;

	/**
	 * DNS information array{a: string[], aaaa: string[], error: string, ms: float}.
	 *
	 * @var array<string, mixed>
	 */
	private $dns;

	/**
	 * Constructor.
	 *
	 * @param int                  $port    Port.
	 * @param Probe_Options        $options Options.
	 * @param array<string, mixed> $dns     Resolution result with 'ms'.
	 * @param Clock                $clock   Clock.
	 */
	public function __construct( int $port, Probe_Options $options, array $dns, Clock $clock ) {
		$this->options                   = $options;
		$this->clock                     = $clock;
		$this->dns                       = $dns;
		$this->result                    = new Port_Result( $port );
		$this->result->implicit_expected = $options->expects_implicit_tls( $port );
		$this->result->host              = $options->host->get_ascii();
		$this->addresses                 = array_merge( $dns['a'], $dns['aaaa'] );
		$this->reader                    = new Reply_Reader();
		$this->tls_first                 = $this->result->implicit_expected;
		$this->banner_grace              = max( 0.5, min( 3.0, $options->timeout * 0.3 ) );
	}

	/**
	 * Starts the session (DNS stage and connect).
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function start( float $now ): void {
		$this->started_at = $now;
		$dns              = $this->dns;
		if ( '' !== $dns['error'] || array() === $this->addresses ) {
			$this->result->add_stage( 'dns', false, $dns['ms'], $dns['error'] );
			$this->decide( Verdict::DNS_FAILED, $dns['error'] );
			$this->finish( $now );
			return;
		}
		$detail = '';
		if ( ! $this->options->host->is_ip() ) {
			$detail = 'A: ' . ( array() === $dns['a'] ? '-' : implode( ', ', array_slice( $dns['a'], 0, 4 ) ) )
				. '; AAAA: ' . ( array() === $dns['aaaa'] ? '-' : implode( ', ', array_slice( $dns['aaaa'], 0, 4 ) ) )
				. '; using ' . $this->addresses[0];
		} else {
			$detail = 'IP literal, no lookup';
		}
		$this->result->add_stage( 'dns', true, $dns['ms'], $detail );
		$this->open_connection( $now );
	}

	/**
	 * The stream to watch, or null.
	 *
	 * @return resource|null
	 */
	public function get_stream() {
		return $this->stream;
	}

	/**
	 * Whether the session is finished.
	 *
	 * @return bool
	 */
	public function is_done(): bool {
		return self::S_DONE === $this->state;
	}

	/**
	 * Whether the session waits for the stream to become readable.
	 *
	 * @return bool
	 */
	public function wants_read(): bool {
		return null !== $this->stream && self::S_CONNECTING !== $this->state && self::S_DONE !== $this->state;
	}

	/**
	 * Whether the session waits for the stream to become writable.
	 *
	 * @return bool
	 */
	public function wants_write(): bool {
		return null !== $this->stream && ( self::S_CONNECTING === $this->state || '' !== $this->out );
	}

	/**
	 * Next time at which tick() has something to do (INF when none).
	 *
	 * @return float
	 */
	public function next_timer(): float {
		if ( self::S_BANNER === $this->state && $this->banner_deadline > 0 ) {
			return $this->banner_deadline;
		}
		return INF;
	}

	/**
	 * The result.
	 *
	 * @return Port_Result
	 */
	public function get_result(): Port_Result {
		return $this->result;
	}

	/**
	 * Opens a non-blocking connection to the current address.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function open_connection( float $now ): void {
		$address                = $this->addresses[ $this->address_index ];
		$this->result->address  = $address;
		$this->reader           = new Reply_Reader();
		$this->out              = '';
		$this->tls_active       = false;
		$this->tls_probe        = false;
		$this->tls_saw_bytes    = false;
		$this->bytes_connection = 0;
		$this->banner_deadline  = 0.0;
		$this->stage_at         = $now;

		$target  = false !== strpos( $address, ':' ) ? '[' . $address . ']' : $address;
		$context = stream_context_create( array( 'ssl' => $this->ssl_options() ) );
		$errno   = 0;
		$errstr  = '';
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- errors are reported via $errno.
		$stream = @stream_socket_client(
			'tcp://' . $target . ':' . $this->result->port,
			$errno,
			$errstr,
			1.0,
			STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT,
			$context
		);
		if ( false === $stream ) {
			$this->connect_failed( $now, (int) $errno, (string) $errstr );
			return;
		}
		stream_set_blocking( $stream, false );
		$this->stream = $stream;
		$this->state  = self::S_CONNECTING;
	}

	/**
	 * SSL context options for the current connection.
	 *
	 * @return array<string, mixed>
	 */
	private function ssl_options(): array {
		$host = $this->options->host;
		$ssl  = array(
			'peer_name'               => $host->get_ascii(),
			'verify_peer'             => ! $this->inspect,
			'verify_peer_name'        => ! $this->inspect,
			'allow_self_signed'       => $this->inspect,
			'capture_peer_cert'       => true,
			'capture_peer_cert_chain' => true,
			'SNI_enabled'             => ! $host->is_ip(),
			'disable_compression'     => true,
		);
		if ( null !== $this->options->cafile ) {
			$ssl['cafile'] = $this->options->cafile;
		}
		return $ssl;
	}

	/**
	 * Handles a failed connection attempt.
	 *
	 * @param float  $now    Current time.
	 * @param int    $errno  Error number.
	 * @param string $errstr Error text.
	 * @return void
	 */
	private function connect_failed( float $now, int $errno, string $errstr ): void {
		$this->close();
		$refused = defined( 'SOCKET_ECONNREFUSED' ) ? SOCKET_ECONNREFUSED : 111;
		$timeout = defined( 'SOCKET_ETIMEDOUT' ) ? SOCKET_ETIMEDOUT : 110;
		$detail  = '' !== $errstr ? $errstr : ( function_exists( 'socket_strerror' ) && $errno > 0 ? socket_strerror( $errno ) : 'connection failed' );
		$detail .= ' (' . $this->result->address . ')';
		if ( $this->inspect ) {
			$this->inspect_failed( $now, $detail );
			return;
		}
		$this->add_stage( 'connect', false, $now, $detail );
		if ( $errno === $refused || 111 === $errno || 61 === $errno || 10061 === $errno || false !== stripos( $errstr, 'refused' ) ) {
			$verdict = Verdict::REFUSED;
		} elseif ( $errno === $timeout || false !== stripos( $errstr, 'timed out' ) ) {
			$verdict = Verdict::TIMEOUT;
		} else {
			$verdict = Verdict::UNREACHABLE;
		}
		if ( $this->address_index + 1 < count( $this->addresses ) && Verdict::TIMEOUT !== $verdict ) {
			++$this->address_index;
			$this->open_connection( $now );
			return;
		}
		$this->decide( $verdict, $detail );
		$this->finish( $now );
	}

	/**
	 * Called when the stream is writable.
	 *
	 * @return void
	 */
	public function on_writable(): void {
		$now = $this->clock->now();
		if ( self::S_CONNECTING === $this->state ) {
			$this->connected( $now );
			return;
		}
		$this->flush( $now );
	}

	/**
	 * Completes a non-blocking connect.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function connected( float $now ): void {
		$stream = $this->stream;
		if ( null === $stream ) {
			return;
		}
		$errno = 0;
		if ( function_exists( 'socket_import_stream' ) ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			$socket = @socket_import_stream( $stream );
			if ( false !== $socket ) {
				$errno = (int) socket_get_option( $socket, SOL_SOCKET, SO_ERROR );
			}
		}
		$peer = 0 === $errno ? stream_socket_get_name( $stream, true ) : false;
		if ( 0 !== $errno || false === $peer ) {
			$text = $errno > 0 && function_exists( 'socket_strerror' ) ? socket_strerror( $errno ) : 'connection failed';
			$this->connect_failed( $now, $errno, $text );
			return;
		}
		$local               = stream_socket_get_name( $stream, false );
		$this->local_address = is_string( $local ) ? $local : '';
		if ( $this->inspect ) {
			$this->stage_at = $now;
		} else {
			$this->add_stage( 'connect', true, $now, 'connected to ' . $peer );
		}
		if ( $this->tls_first ) {
			$this->begin_tls( $now, 'tls' );
			return;
		}
		$this->state           = self::S_BANNER;
		$this->banner_deadline = $this->allow_tls_probe ? $now + $this->banner_grace : 0.0;
	}

	/**
	 * Time-based work: a silent greeting leads to a TLS attempt.
	 *
	 * @return void
	 */
	public function tick(): void {
		if ( self::S_BANNER !== $this->state || $this->banner_deadline <= 0 ) {
			return;
		}
		$now = $this->clock->now();
		if ( $now < $this->banner_deadline ) {
			return;
		}
		$this->banner_deadline = 0.0;
		if ( 0 !== $this->bytes_connection || $this->tls_active ) {
			return;
		}
		$this->add_stage(
			'banner',
			false,
			$now,
			sprintf( 'no plain-text greeting within %.1f s; trying implicit TLS', $this->banner_grace )
		);
		$this->tls_probe = true;
		$this->begin_tls( $now, 'tls' );
	}

	/**
	 * Called when the stream is readable.
	 *
	 * @return void
	 */
	public function on_readable(): void {
		$now = $this->clock->now();
		if ( self::S_TLS === $this->state ) {
			$this->step_tls( $now, true );
			return;
		}
		if ( null === $this->stream ) {
			return;
		}
		for ( $i = 0; $i < 16 && null !== $this->stream; $i++ ) {
			$data = fread( $this->stream, self::CHUNK ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fread -- a network socket, not a file: WP_Filesystem does not apply.
			if ( false === $data || '' === $data ) {
				break;
			}
			if ( 0 === $this->bytes_connection && self::S_BANNER === $this->state && ! $this->tls_active && self::looks_like_tls( $data ) ) {
				// A TLS record before any greeting: the server speaks TLS first.
				$this->bytes_connection += strlen( $data );
				$this->add_stage( 'banner', false, $now, 'TLS data instead of a greeting' );
				$this->restart( $now, true );
				return;
			}
			$this->bytes_connection += strlen( $data );
			$this->bytes_total      += strlen( $data );
			if ( $this->bytes_total > self::SESSION_LIMIT ) {
				$this->protocol_error( $now, 'more than ' . self::SESSION_LIMIT . ' bytes received' );
				return;
			}
			$this->reader->feed( $data );
			if ( ! $this->process_replies( $now ) ) {
				return;
			}
		}
		if ( null !== $this->stream && feof( $this->stream ) ) {
			$this->closed_by_peer( $now );
		}
	}

	/**
	 * Handles complete replies and parser errors.
	 *
	 * @param float $now Current time.
	 * @return bool False when the connection was closed or replaced.
	 */
	private function process_replies( float $now ): bool {
		$stream = $this->stream;
		$reply  = $this->reader->next_reply();
		while ( null !== $reply ) {
			$this->on_reply( $reply, $now );
			if ( $this->stream !== $stream || self::S_TLS === $this->state ) {
				return false;
			}
			$reply = $this->reader->next_reply();
		}
		if ( '' !== $this->reader->get_error() ) {
			$error  = $this->reader->get_error();
			$detail = $this->reader->get_error_line();
			if ( Reply_Reader::ERROR_LINE_LONG === $error ) {
				$detail = 'reply line longer than ' . Reply_Reader::LINE_LIMIT . ' bytes: ' . $detail;
			} elseif ( Reply_Reader::ERROR_REPLY_LONG === $error ) {
				$detail = 'reply longer than ' . Reply_Reader::REPLY_LIMIT . ' bytes';
			}
			$this->protocol_error( $now, $detail );
			return false;
		}
		return true;
	}

	/**
	 * The server sent something that is not a well-formed, bounded SMTP reply.
	 *
	 * @param float  $now    Current time.
	 * @param string $detail Detail.
	 * @return void
	 */
	private function protocol_error( float $now, string $detail ): void {
		if ( $this->inspect ) {
			$this->inspect_failed( $now, $detail );
			return;
		}
		$this->add_stage( $this->current_stage_name(), false, $now, $detail );
		$this->decide( Verdict::NOT_SMTP, $detail );
		$this->finish( $now );
	}

	/**
	 * Stage name matching the current state.
	 *
	 * @return string
	 */
	private function current_stage_name(): string {
		if ( self::S_TLS === $this->state ) {
			return $this->tls_stage;
		}
		if ( self::S_CONNECTING === $this->state ) {
			return 'connect';
		}
		return $this->state;
	}

	/**
	 * Handles one reply according to the state.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return void
	 */
	private function on_reply( Smtp_Reply $reply, float $now ): void {
		switch ( $this->state ) {
			case self::S_BANNER:
				$this->on_banner( $reply, $now );
				break;
			case self::S_EHLO:
			case self::S_EHLO_TLS:
				$this->on_ehlo( $reply, $now );
				break;
			case self::S_STARTTLS:
				if ( 220 === $reply->code ) {
					$this->add_stage( 'starttls', true, $now, $reply->summary() );
					$this->reader->reset();
					$this->begin_tls( $now, 'tls' );
				} else {
					$this->add_stage( 'starttls', false, $now, $reply->summary() );
					$this->decide( Verdict::TLS_FAILED, $reply->summary() );
					$this->send_quit( $now );
				}
				break;
			case self::S_AUTH:
				$this->on_auth( $reply, $now );
				break;
			case self::S_QUIT:
				if ( 221 === $reply->code ) {
					$this->add_stage( 'quit', true, $now, $reply->summary() );
					$this->finish( $now );
				}
				break;
			default:
				break;
		}
	}

	/**
	 * Handles the greeting.
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return void
	 */
	private function on_banner( Smtp_Reply $reply, float $now ): void {
		$this->banner_deadline = 0.0;
		if ( $this->inspect && ( $this->tls_active || 220 !== $reply->code ) ) {
			if ( 220 !== $reply->code ) {
				$this->inspect_failed( $now, $reply->summary() );
				return;
			}
			$this->send( 'QUIT', $now );
			$this->state = self::S_QUIT;
			return;
		}
		if ( 220 !== $reply->code ) {
			$this->add_stage( 'banner', false, $now, $reply->summary() );
			$this->decide( $reply->code >= 400 ? Verdict::REJECTED : Verdict::NOT_SMTP, $reply->summary() );
			$this->send_quit( $now );
			return;
		}
		$this->add_stage( 'banner', true, $now, $reply->summary() );
		$this->result->banner_host     = $reply->first_word();
		$this->result->banner_mismatch = Verdict::names_other_domain( $this->options->host, $this->result->banner_host );
		$this->send( 'EHLO ' . $this->ehlo_name(), $now );
		$this->state = $this->tls_active ? self::S_EHLO_TLS : self::S_EHLO;
	}

	/**
	 * Handles an EHLO reply (before or after TLS).
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return void
	 */
	private function on_ehlo( Smtp_Reply $reply, float $now ): void {
		$after_tls = self::S_EHLO_TLS === $this->state;
		$name      = ( $after_tls && Port_Result::MODE_STARTTLS === $this->result->mode ) ? 'ehlo_tls' : 'ehlo';
		if ( ! $reply->is_positive() ) {
			$this->add_stage( $name, false, $now, $reply->summary() );
			$this->decide( Verdict::REJECTED, $reply->summary() );
			$this->send_quit( $now );
			return;
		}
		$keywords = $reply->ehlo_keywords();
		$this->add_stage( $name, true, $now, $reply->summary() . ' (' . implode( ' ', array_slice( array_keys( $keywords ), 0, 20 ) ) . ')' );
		if ( ! $after_tls ) {
			if ( array() !== $reply->auth_mechanisms() ) {
				$this->result->auth_mechanisms = $reply->auth_mechanisms();
				$this->result->auth_seen_plain = true;
			}
			if ( isset( $keywords['STARTTLS'] ) ) {
				$this->result->mode = Port_Result::MODE_STARTTLS;
				$this->send( 'STARTTLS', $now );
				$this->state = self::S_STARTTLS;
				return;
			}
			if ( $this->inspect ) {
				$this->inspect_failed( $now, 'STARTTLS not offered on the second connection' );
				return;
			}
			$this->result->mode = Port_Result::MODE_PLAIN;
			$this->decide( Verdict::STARTTLS_MISSING, 'STARTTLS not offered' );
			$this->send_quit( $now );
			return;
		}

		$mechanisms                    = $reply->auth_mechanisms();
		$this->result->auth_mechanisms = $mechanisms;
		$this->result->auth_seen_plain = false;
		if ( null !== $this->options->username ) {
			if ( in_array( 'PLAIN', $mechanisms, true ) ) {
				$this->auth_step = 'plain';
				$this->stage_at  = $now;
				$this->send( 'AUTH PLAIN ' . base64_encode( "\0" . $this->options->username . "\0" . $this->options->password ), $now ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH PLAIN is base64 (RFC 4616).
				$this->state = self::S_AUTH;
				return;
			}
			if ( in_array( 'LOGIN', $mechanisms, true ) ) {
				$this->auth_step = 'login';
				$this->stage_at  = $now;
				$this->send( 'AUTH LOGIN', $now );
				$this->state = self::S_AUTH;
				return;
			}
			$this->decide(
				Verdict::AUTH_UNAVAILABLE,
				array() === $mechanisms ? 'no AUTH offered after TLS' : 'no PLAIN or LOGIN (offered: ' . implode( ' ', $mechanisms ) . ')'
			);
			$this->send_quit( $now );
			return;
		}
		if ( array() === $mechanisms ) {
			$this->decide( Verdict::AUTH_UNAVAILABLE, 'no AUTH offered after TLS' );
		} else {
			$this->decide( Verdict::OK, '' );
		}
		$this->send_quit( $now );
	}

	/**
	 * Handles AUTH replies (PLAIN or LOGIN).
	 *
	 * @param Smtp_Reply $reply Reply.
	 * @param float      $now   Current time.
	 * @return void
	 */
	private function on_auth( Smtp_Reply $reply, float $now ): void {
		if ( 334 === $reply->code && 'login' === $this->auth_step ) {
			$this->auth_step = 'login_user';
			$this->send( base64_encode( (string) $this->options->username ), $now ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH LOGIN sends the user name base64-encoded.
			return;
		}
		if ( 334 === $reply->code && 'login_user' === $this->auth_step ) {
			$this->auth_step = 'login_pass';
			$this->send( base64_encode( (string) $this->options->password ), $now ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SMTP AUTH LOGIN sends the password base64-encoded.
			return;
		}
		if ( 334 === $reply->code ) {
			// Unexpected challenge: cancel the exchange.
			$this->send( '*', $now );
			return;
		}
		$method = 'plain' === $this->auth_step ? 'PLAIN' : 'LOGIN';
		if ( 235 === $reply->code ) {
			$this->result->auth_ok = true;
			$this->add_stage( 'auth', true, $now, $method . ': ' . $reply->summary() );
			$this->decide( Verdict::OK, '' );
		} else {
			$this->result->auth_ok = false;
			$this->add_stage( 'auth', false, $now, $method . ': ' . $reply->summary() );
			$this->decide( Verdict::AUTH_FAILED, $reply->summary() );
		}
		$this->send_quit( $now );
	}

	/**
	 * Starts a TLS handshake on the current connection.
	 *
	 * @param float  $now   Current time.
	 * @param string $stage Stage name.
	 * @return void
	 */
	private function begin_tls( float $now, string $stage ): void {
		$this->state         = self::S_TLS;
		$this->tls_stage     = $stage;
		$this->stage_at      = $now;
		$this->tls_saw_bytes = false;
		$this->step_tls( $now, false );
	}

	/**
	 * Advances the non-blocking handshake.
	 *
	 * @param float $now           Current time.
	 * @param bool  $from_readable Whether the socket reported readable.
	 * @return void
	 */
	private function step_tls( float $now, bool $from_readable ): void {
		$stream = $this->stream;
		if ( null === $stream ) {
			return;
		}
		if ( $from_readable && ! $this->tls_saw_bytes ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			$peek = @stream_socket_recvfrom( $stream, 16, STREAM_PEEK );
			if ( is_string( $peek ) && '' !== $peek ) {
				$this->tls_saw_bytes = true;
				if ( ! self::looks_like_tls( $peek ) && ! $this->after_starttls() ) {
					$this->plain_during_tls( $now );
					return;
				}
			}
		}
		$errors = array();
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
		set_error_handler(
			static function ( $errno, $errstr ) use ( &$errors ) {
				$errors[] = (string) $errstr;
				return true;
			}
		);
		$method = STREAM_CRYPTO_METHOD_TLS_CLIENT;
		if ( defined( 'STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT' ) ) {
			$method |= STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT;
		}
		try {
			$ok = stream_socket_enable_crypto( $stream, true, $method );
		} finally {
			restore_error_handler();
		}
		if ( true === $ok ) {
			$this->tls_done( $now, $stream );
			return;
		}
		if ( 0 === $ok && ! feof( $stream ) ) {
			return;
		}
		$this->tls_failed( $now, self::openssl_error( $errors ) );
	}

	/**
	 * Whether the current handshake follows a STARTTLS command.
	 *
	 * @return bool
	 */
	private function after_starttls(): bool {
		return Port_Result::MODE_STARTTLS === $this->result->mode && ! $this->tls_first && ! $this->tls_probe;
	}

	/**
	 * Plain text arrived while we expected a TLS ServerHello.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function plain_during_tls( float $now ): void {
		if ( null === $this->stream ) {
			return;
		}
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		$peek = (string) @stream_socket_recvfrom( $this->stream, 64, STREAM_PEEK );
		$text = Text::sanitize( strtok( $peek . "\n", "\r\n" ), 80 );
		if ( $this->inspect ) {
			$this->inspect_failed( $now, 'plain text during TLS: ' . $text );
			return;
		}
		$first_line = (string) strtok( $peek . "\n", "\r\n" );
		if ( preg_match( '/^[2-5](?:[0-9](?:[0-9](?:[ -]|$))?)?$/', substr( $first_line, 0, 4 ) ) ) {
			// A plain SMTP server: it spoke first. Reconnect and talk plain text.
			$this->add_stage( 'tls', false, $now, 'server sent plain SMTP instead of TLS: ' . $text );
			$this->restart( $now, false );
			return;
		}
		$this->add_stage( 'tls', false, $now, 'not TLS: ' . $text );
		$this->decide( Verdict::NOT_SMTP, $text );
		$this->finish( $now );
	}

	/**
	 * Handshake complete.
	 *
	 * @param float    $now    Current time.
	 * @param resource $stream The connection's stream.
	 * @return void
	 */
	private function tls_done( float $now, $stream ): void {
		$this->tls_active = true;
		$meta             = stream_get_meta_data( $stream );
		$crypto           = isset( $meta['crypto'] ) ? $meta['crypto'] : array();
		$version          = isset( $crypto['protocol'] ) ? (string) $crypto['protocol'] : '';
		$cipher           = isset( $crypto['cipher_name'] ) ? (string) $crypto['cipher_name'] : '';
		$params           = stream_context_get_params( $stream );
		$cert             = isset( $params['options']['ssl']['peer_certificate'] ) ? $params['options']['ssl']['peer_certificate'] : null;
		$chain_verified   = ! $this->inspect || false === stripos( $this->verify_error, 'certificate verify failed' );

		$tls      = array(
			'version'        => Text::sanitize( $version, 40 ),
			'cipher'         => Text::sanitize( $cipher, 80 ),
			'subject'        => '',
			'sans'           => array(),
			'issuer'         => '',
			'valid_from'     => '',
			'valid_to'       => '',
			'days_left'      => 0,
			'chain_verified' => $chain_verified,
			'host_matched'   => ! $this->inspect,
		);
		$problems = array();
		if ( null !== $cert ) {
			$described = Certificate_Inspector::describe( $cert, $this->options->host, $chain_verified, time() );
			$problems  = $described['problems'];
			unset( $described['problems'], $described['self_signed'] );
			if ( ! $this->inspect ) {
				$described['host_matched']   = true;
				$described['chain_verified'] = true;
				$problems                    = array();
			}
			$tls = array_merge( $tls, $described );
		}
		$this->result->tls = $tls;

		if ( $this->inspect ) {
			if ( array() === $problems ) {
				$problems = false === stripos( $this->verify_error, 'did not match' ) ? array( 'untrusted' ) : array( 'wrong_host' );
			}
			$this->result->cert_problems = $problems;
			$this->result->add_stage( 'certificate', false, ( $now - $this->stage_at ) * 1000, implode( ', ', $problems ) . ': ' . $tls['subject'] . ' / ' . $tls['issuer'] . ' / ' . $tls['valid_to'] );
			$verdict = Verdict::CERT_INVALID;
			if ( array( 'wrong_host' ) === $problems && $this->result->banner_mismatch ) {
				$verdict = Verdict::HOST_MISMATCH;
			}
			$this->decide( $verdict, implode( ', ', $problems ) );
			if ( $this->tls_first ) {
				// Implicit TLS: the greeting comes first; on_banner() sends QUIT.
				$this->state = self::S_BANNER;
			} else {
				$this->send( 'QUIT', $now );
				$this->state = self::S_QUIT;
			}
			return;
		}

		$this->add_stage( $this->tls_stage, true, $now, trim( $version . ' ' . $cipher ) );
		if ( $this->tls_first || $this->tls_probe ) {
			$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
			$this->tls_first    = true;
			$this->stage_at     = $now;
			$this->state        = self::S_BANNER;
			return;
		}
		$this->stage_at = $now;
		$this->send( 'EHLO ' . $this->ehlo_name(), $now );
		$this->state = self::S_EHLO_TLS;
	}

	/**
	 * Handshake failed.
	 *
	 * @param float  $now   Current time.
	 * @param string $error OpenSSL error text.
	 * @return void
	 */
	private function tls_failed( float $now, string $error ): void {
		if ( '' === $error ) {
			$error = 'connection closed during the TLS handshake';
		}
		if ( $this->inspect ) {
			$this->inspect_failed( $now, $error );
			return;
		}
		$answered = $this->tls_saw_bytes || false !== stripos( $error, 'SSL' ) || false !== stripos( $error, 'certificate' );
		if ( ( $this->tls_first || $this->tls_probe ) && ! $this->tls_saw_bytes && ! $this->after_starttls()
			&& preg_match( '/wrong version number|packet length too long|unknown protocol|record layer failure|http request/i', $error ) ) {
			// OpenSSL consumed plain text before we could look at it (the handshake ran within one call).
			$this->add_stage( $this->tls_stage, false, $now, 'server answered in plain text instead of TLS: ' . $error );
			if ( $this->tls_probe || false !== stripos( $error, 'http request' ) ) {
				$this->decide( Verdict::NOT_SMTP, 'plain text reply to a TLS handshake, and no SMTP greeting (' . $error . ')' );
				$this->finish( $now );
				return;
			}
			$this->restart( $now, false );
			return;
		}
		$this->add_stage( $this->tls_stage, false, $now, $error );
		if ( $this->tls_probe && ! $answered ) {
			$this->decide( Verdict::NO_BANNER, 'no greeting, and no answer to TLS either' );
			$this->finish( $now );
			return;
		}
		if ( false !== stripos( $error, 'certificate verify failed' ) || false !== stripos( $error, 'did not match expected' ) || false !== stripos( $error, 'peer certificate' ) ) {
			if ( $this->tls_first || $this->tls_probe ) {
				$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
			}
			$this->verify_error    = $error;
			$this->inspect         = true;
			$this->allow_tls_probe = false;
			$this->tls_first       = $this->tls_first || $this->tls_probe;
			$this->stage_at        = $now;
			$this->close();
			$this->open_connection( $now );
			return;
		}
		$this->decide( Verdict::TLS_FAILED, $error );
		$this->finish( $now );
	}

	/**
	 * The certificate-reading connection failed: report what the verified handshake said.
	 *
	 * @param float  $now    Current time.
	 * @param string $detail Detail.
	 * @return void
	 */
	private function inspect_failed( float $now, string $detail ): void {
		$problems                    = false !== stripos( $this->verify_error, 'did not match' ) ? array( 'wrong_host' ) : array( 'untrusted' );
		$this->result->cert_problems = $problems;
		$this->result->add_stage( 'certificate', false, ( $now - $this->stage_at ) * 1000, 'could not read the certificate: ' . $detail );
		$this->decide( Verdict::CERT_INVALID, implode( ', ', $problems ) );
		$this->finish( $now );
	}

	/**
	 * Reconnects, with implicit TLS or plain text.
	 *
	 * @param float $now       Current time.
	 * @param bool  $tls_first Whether to start with TLS.
	 * @return void
	 */
	private function restart( float $now, bool $tls_first ): void {
		$this->close();
		$this->tls_first       = $tls_first;
		$this->allow_tls_probe = false;
		$this->open_connection( $now );
	}

	/**
	 * The server closed the connection.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function closed_by_peer( float $now ): void {
		if ( self::S_QUIT === $this->state ) {
			if ( ! $this->inspect ) {
				$this->add_stage( 'quit', true, $now, 'connection closed' );
			}
			$this->finish( $now );
			return;
		}
		if ( $this->inspect ) {
			$this->inspect_failed( $now, 'connection closed' );
			return;
		}
		$stage = $this->current_stage_name();
		if ( self::S_BANNER === $this->state ) {
			$detail = 0 === $this->bytes_connection ? 'closed by the server without a greeting' : 'closed by the server in the middle of the greeting';
			$this->add_stage( 'banner', false, $now, $detail );
			$this->decide( Verdict::NO_BANNER, $detail );
		} else {
			$detail = 'connection closed by the server during ' . strtoupper( $stage );
			$this->add_stage( $stage, false, $now, $detail );
			$this->decide( Verdict::REJECTED, $detail );
		}
		$this->finish( $now );
	}

	/**
	 * The overall deadline passed: record where we were and stop.
	 *
	 * @return void
	 */
	public function on_deadline(): void {
		if ( self::S_DONE === $this->state ) {
			return;
		}
		$now = $this->clock->now();
		if ( $this->inspect ) {
			if ( '' === $this->result->verdict ) {
				$this->inspect_failed( $now, 'time limit reached' );
			}
			$this->finish( $now );
			return;
		}
		$state = $this->state;
		if ( self::S_CONNECTING === $state ) {
			$detail = 'no answer to the connection attempt (' . $this->result->address . ')';
			$this->add_stage( 'connect', false, $now, $detail );
			$this->decide( Verdict::TIMEOUT, $detail );
		} elseif ( self::S_BANNER === $state || ( self::S_TLS === $state && ( $this->tls_first || $this->tls_probe ) && ! $this->tls_saw_bytes ) ) {
			$pending = $this->reader->pending_bytes();
			$detail  = 0 === $this->bytes_connection
				? 'connected, but the server sent nothing'
				: sprintf( 'incomplete greeting (%d bytes) before the time limit', $pending > 0 ? $pending : $this->bytes_connection );
			$this->add_stage( self::S_TLS === $state ? 'tls' : 'banner', false, $now, $detail );
			$this->decide( Verdict::NO_BANNER, $detail );
		} elseif ( self::S_TLS === $state ) {
			$detail = 'TLS handshake not finished before the time limit';
			$this->add_stage( $this->tls_stage, false, $now, $detail );
			$this->decide( Verdict::TLS_FAILED, $detail );
		} elseif ( self::S_QUIT === $state ) {
			$this->add_stage( 'quit', false, $now, 'no reply to QUIT before the time limit' );
		} else {
			$stage  = self::S_AUTH === $state ? 'auth' : $this->current_stage_name();
			$detail = 'no complete reply to ' . strtoupper( 'ehlo_tls' === $stage ? 'ehlo' : $stage ) . ' before the time limit';
			$this->add_stage( $stage, false, $now, $detail );
			$this->decide( Verdict::STALLED, $detail );
		}
		$this->finish( $now );
	}

	/**
	 * Sets the verdict unless already set.
	 *
	 * @param string $verdict Verdict code.
	 * @param string $detail  Detail.
	 * @return void
	 */
	private function decide( string $verdict, string $detail ): void {
		if ( '' === $this->result->verdict ) {
			$this->result->verdict        = $verdict;
			$this->result->verdict_detail = Text::sanitize( $detail );
		}
	}

	/**
	 * Sends QUIT (the verdict is known), or finishes if the connection is unusable.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function send_quit( float $now ): void {
		if ( null === $this->stream ) {
			$this->finish( $now );
			return;
		}
		$this->stage_at = $now;
		$this->send( 'QUIT', $now );
		$this->state = self::S_QUIT;
	}

	/**
	 * Queues a command line and tries to write it.
	 *
	 * @param string $line Command without CRLF.
	 * @param float  $now  Current time.
	 * @return void
	 * @throws \LogicException When the line contains control characters (never expected).
	 */
	private function send( string $line, float $now ): void {
		if ( Host_Name::has_control_chars( $line ) ) {
			throw new \LogicException( 'refusing to send a control character' );
		}
		if ( self::S_QUIT !== $this->state ) {
			$this->stage_at = $now;
		}
		$this->out .= $line . "\r\n";
		$this->flush( $now );
	}

	/**
	 * Writes as much queued data as the socket takes.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function flush( float $now ): void {
		if ( null === $this->stream || '' === $this->out ) {
			return;
		}
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a network socket, not a file: WP_Filesystem does not apply.
		$written = @fwrite( $this->stream, $this->out );
		if ( false === $written ) {
			$this->closed_by_peer( $now );
			return;
		}
		$this->out = (string) substr( $this->out, $written );
	}

	/**
	 * Closes the connection and marks the session done.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function finish( float $now ): void {
		$this->close();
		$this->state              = self::S_DONE;
		$this->result->elapsed_ms = ( $now - $this->started_at ) * 1000;
		if ( '' === $this->result->verdict ) {
			$this->result->verdict = Verdict::NOT_SMTP;
		}
		if ( in_array( $this->result->verdict, array( Verdict::DNS_FAILED, Verdict::REFUSED, Verdict::TIMEOUT, Verdict::UNREACHABLE, Verdict::NO_BANNER, Verdict::NOT_SMTP ), true )
			&& Port_Result::MODE_STARTTLS !== $this->result->mode && Port_Result::MODE_IMPLICIT_TLS !== $this->result->mode ) {
			$this->result->mode = Port_Result::MODE_UNKNOWN;
		}
	}

	/**
	 * Closes the stream.
	 *
	 * @return void
	 */
	private function close(): void {
		if ( null !== $this->stream ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a network socket, not a file: WP_Filesystem does not apply.
			@fclose( $this->stream );
		}
		$this->stream = null;
		$this->out    = '';
	}

	/**
	 * Adds a stage timed from the current stage start (not while inspecting).
	 *
	 * @param string $name   Stage.
	 * @param bool   $ok     Success.
	 * @param float  $now    Current time.
	 * @param string $detail Detail.
	 * @return void
	 */
	private function add_stage( string $name, bool $ok, float $now, string $detail ): void {
		if ( $this->inspect ) {
			return;
		}
		$this->result->add_stage( $name, $ok, ( $now - $this->stage_at ) * 1000, $detail );
		$this->stage_at = $now;
	}

	/**
	 * EHLO name: the configured one, this server's FQDN, or an address literal.
	 *
	 * @return string
	 */
	private function ehlo_name(): string {
		if ( null !== $this->options->ehlo_name ) {
			return $this->options->ehlo_name;
		}
		$hostname = strtolower( (string) gethostname() );
		if ( false !== strpos( $hostname, '.' ) && Host_Name::is_ldh_name( $hostname ) ) {
			return $hostname;
		}
		$local = $this->local_address;
		if ( preg_match( '/^\[?([0-9a-f:.]+?)\]?:[0-9]+$/i', $local, $m ) ) {
			if ( false !== filter_var( $m[1], FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
				return '[' . $m[1] . ']';
			}
			if ( false !== filter_var( $m[1], FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				return '[IPv6:' . $m[1] . ']';
			}
		}
		return 'localhost.localdomain';
	}

	/**
	 * Whether bytes look like the start of a TLS record (handshake/alert, version 3.x).
	 *
	 * @param string $bytes First bytes.
	 * @return bool
	 */
	public static function looks_like_tls( string $bytes ): bool {
		if ( '' === $bytes ) {
			return false;
		}
		$type = ord( $bytes[0] );
		if ( $type < 0x14 || $type > 0x17 ) {
			return false;
		}
		return strlen( $bytes ) < 2 || 0x03 === ord( $bytes[1] );
	}

	/**
	 * Condenses PHP/OpenSSL warnings into one short line.
	 *
	 * @param string[] $errors Warning texts.
	 * @return string
	 */
	private static function openssl_error( array $errors ): string {
		$text = implode( ' ', $errors );
		$text = (string) preg_replace( '/^stream_socket_enable_crypto\(\): /', '', $text );
		$text = str_replace( 'stream_socket_enable_crypto(): ', '', $text );
		return Text::sanitize( $text, 240 );
	}
}
