<?php
/**
 * Validated probe options.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Net\Ip_Address;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Options of one probe run, validated so that nothing unsafe reaches a socket.
 *
 * Accepted keys of from_array(): host (string, required), ports (int[] 1..6, default
 * Submission_Ports::DEFAULT_TEST_PORTS), timeout (float seconds, 0.5..60, default 10), username,
 * password, cafile (path to a PEM CA bundle), ehlo_name, preferred_alternates (int[], default
 * [2525]), implicit_ports (int[], ports where implicit TLS is expected first; default
 * Submission_Ports::IMPLICIT_TLS_PORTS).
 *
 * An invalid option throws an Invalid_Input_Exception that names the key (its field()).
 */
class Probe_Options {

	/**
	 * Host.
	 *
	 * @var Host_Name
	 */
	public Host_Name $host;

	/**
	 * Ports to probe.
	 *
	 * @var int[]
	 */
	public array $ports = Submission_Ports::DEFAULT_TEST_PORTS;

	/**
	 * Overall timeout in seconds.
	 *
	 * @var float
	 */
	public float $timeout = 10.0;

	/**
	 * User name or null.
	 *
	 * @var string|null
	 */
	public ?string $username = null;

	/**
	 * Password or null.
	 *
	 * @var string|null
	 */
	public ?string $password = null;

	/**
	 * OAuth 2.0 access token for AUTH XOAUTH2 (with `username` as the mailbox), or null.
	 *
	 * @var string|null
	 */
	public ?string $oauth_token = null;

	/**
	 * Why the saved OAuth sign-in gave no token: verdict code and plain words; null when it did
	 * or is not used. The AUTH stage then reports it instead of logging in.
	 *
	 * @var array{code: string, message: string}|null
	 */
	public ?array $oauth_failure = null;

	/**
	 * CA file or null (system store).
	 *
	 * @var string|null
	 */
	public ?string $cafile = null;

	/**
	 * EHLO name or null (automatic).
	 *
	 * @var string|null
	 */
	public ?string $ehlo_name = null;

	/**
	 * Preferred alternate ports, in order (e.g. 2525, or 2587 for Amazon SES).
	 *
	 * @var int[]
	 */
	public array $preferred_alternates = array( Submission_Ports::DEFAULT_ALTERNATE );

	/**
	 * Ports where implicit TLS is tried first.
	 *
	 * @var int[]
	 */
	public array $implicit_ports = Submission_Ports::IMPLICIT_TLS_PORTS;

	/**
	 * Where connections may go (default: an administrator's policy).
	 *
	 * @var Address_Policy
	 */
	public Address_Policy $policy;

	/**
	 * Builds validated options.
	 *
	 * @param array<string, mixed> $options Raw options.
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When an option is invalid; its field() is the option's key.
	 */
	public static function from_array( array $options ): Probe_Options {
		$o         = new Probe_Options();
		$o->policy = isset( $options['policy'] ) && $options['policy'] instanceof Address_Policy ? $options['policy'] : Address_Policy::administrator();
		$field     = 'host';
		try {
			if ( ! isset( $options['host'] ) || ! is_string( $options['host'] ) ) {
				throw new Invalid_Input_Exception( __( 'Please enter the host name of your mail server.', 'smtp-port-helper' ) );
			}
			$o->host = Host_Name::parse( $options['host'] );
			$o->check_host_policy();

			$field = 'ports';
			if ( isset( $options['ports'] ) ) {
				$o->ports = self::port_list( $options['ports'] );
				if ( array() === $o->ports ) {
					throw new Invalid_Input_Exception( __( 'Choose at least one port to test.', 'smtp-port-helper' ) );
				}
				if ( count( $o->ports ) > Submission_Ports::MAX_PER_TEST ) {
					throw new Invalid_Input_Exception(
						sprintf(
							/* translators: %d: maximum number of ports */
							__( 'Test at most %d ports at once.', 'smtp-port-helper' ),
							Submission_Ports::MAX_PER_TEST
						)
					);
				}
			}
			foreach ( $o->ports as $port ) {
				if ( ! $o->policy->allows_port( $port ) ) {
					throw new Invalid_Input_Exception( $o->policy->port_message( $port ) );
				}
			}
			$field = 'timeout';
			if ( isset( $options['timeout'] ) ) {
				if ( ! is_numeric( $options['timeout'] ) ) {
					throw new Invalid_Input_Exception( __( 'The time limit must be a number of seconds.', 'smtp-port-helper' ) );
				}
				$o->timeout = min( 60.0, max( 0.5, (float) $options['timeout'] ) );
			}
			foreach ( array( 'username', 'password' ) as $key ) {
				$field = $key;
				if ( isset( $options[ $key ] ) && '' !== $options[ $key ] ) {
					if ( ! is_string( $options[ $key ] ) || Host_Name::has_control_chars( $options[ $key ] ) || strlen( $options[ $key ] ) > 1024 ) {
						throw new Invalid_Input_Exception(
							'username' === $key
								? __( 'The user name contains characters that cannot be sent to a mail server (line breaks or control characters).', 'smtp-port-helper' )
								: __( 'The password contains characters that cannot be sent to a mail server (line breaks or control characters).', 'smtp-port-helper' )
						);
					}
					$o->$key = $options[ $key ];
				}
			}
			$field = 'oauth_token';
			if ( isset( $options['oauth_token'] ) && is_string( $options['oauth_token'] ) && '' !== $options['oauth_token'] ) {
				if ( 1 !== preg_match( '/^[\x21-\x7e]{1,16384}$/', $options['oauth_token'] ) ) {
					throw new Invalid_Input_Exception( __( 'The saved OAuth access token cannot be sent to a mail server.', 'smtp-port-helper' ) );
				}
				$o->oauth_token = $options['oauth_token'];
			} elseif ( isset( $options['oauth_failure']['code'], $options['oauth_failure']['message'] ) ) {
				$o->oauth_failure = array(
					'code'    => (string) $options['oauth_failure']['code'],
					'message' => (string) $options['oauth_failure']['message'],
				);
			}
			$field = 'password';
			$oauth = null !== $o->oauth_token || null !== $o->oauth_failure;
			if ( $oauth && null === $o->username ) {
				$field = 'username';
				throw new Invalid_Input_Exception( __( 'Enter the user name (the mailbox) for the OAuth 2.0 login.', 'smtp-port-helper' ) );
			}
			if ( ! $oauth && ( null === $o->username ) !== ( null === $o->password ) ) {
				$field = null === $o->username ? 'username' : 'password';
				throw new Invalid_Input_Exception( __( 'Enter both the user name and the password, or neither.', 'smtp-port-helper' ) );
			}
			$field = 'cafile';
			if ( isset( $options['cafile'] ) && '' !== $options['cafile'] ) {
				$cafile = $options['cafile'];
				if ( ! is_string( $cafile ) || Host_Name::has_control_chars( $cafile ) || ! is_file( $cafile ) || ! is_readable( $cafile ) ) {
					throw new Invalid_Input_Exception( __( 'The CA certificate file cannot be read.', 'smtp-port-helper' ) );
				}
				$o->cafile = $cafile;
			}
			$field = 'ehlo_name';
			if ( isset( $options['ehlo_name'] ) && '' !== $options['ehlo_name'] ) {
				if ( ! is_string( $options['ehlo_name'] ) ) {
					throw new Invalid_Input_Exception( __( 'The EHLO name is not valid.', 'smtp-port-helper' ) );
				}
				$o->ehlo_name = Host_Name::parse_ehlo_name( $options['ehlo_name'] );
			}
			$field = 'preferred_alternates';
			if ( isset( $options['preferred_alternates'] ) ) {
				$o->preferred_alternates = self::port_list( $options['preferred_alternates'] );
			}
			$field = 'implicit_ports';
			if ( isset( $options['implicit_ports'] ) ) {
				$o->implicit_ports = self::port_list( $options['implicit_ports'] );
			}
		} catch ( Invalid_Input_Exception $error ) {
			throw $error->in_field( $field );
		}
		return $o;
	}

	/**
	 * Refuses, before any look-up, an IP address or a metadata service's name the policy refuses.
	 *
	 * @throws Invalid_Input_Exception When the host is refused.
	 */
	private function check_host_policy(): void {
		$refusal = $this->host->is_ip() ? $this->policy->refusal( $this->host->get_ascii() ) : null;
		if ( ! $this->host->is_ip() && $this->policy->refuses_name( $this->host->get_ascii() ) ) {
			$refusal = Ip_Address::NEVER;
		}
		if ( null !== $refusal ) {
			throw new Invalid_Input_Exception( Address_Policy::refusal_message( $refusal ) );
		}
	}

	/**
	 * Validates a list of ports (array or comma-separated string), keeping order, unique.
	 *
	 * @param mixed $value Ports.
	 * @return int[]
	 * @throws Invalid_Input_Exception When a port is invalid.
	 */
	public static function port_list( $value ): array {
		if ( is_string( $value ) ) {
			$value = '' === trim( $value ) ? array() : explode( ',', $value );
		}
		if ( ! is_array( $value ) ) {
			throw new Invalid_Input_Exception( __( 'The port list is not valid.', 'smtp-port-helper' ) );
		}
		$ports = array();
		foreach ( $value as $port ) {
			if ( is_string( $port ) ) {
				$port = trim( $port );
			}
			if ( ! ( is_int( $port ) || ( is_string( $port ) && preg_match( '/^[0-9]{1,5}$/', $port ) ) ) || (int) $port < 1 || (int) $port > 65535 ) {
				throw new Invalid_Input_Exception(
					sprintf(
						/* translators: %s: the invalid port as typed */
						__( '"%s" is not a valid port number (1 to 65535).', 'smtp-port-helper' ),
						Text::sanitize( is_scalar( $port ) ? (string) $port : gettype( $port ), 20 )
					)
				);
			}
			$ports[] = (int) $port;
		}
		return array_values( array_unique( $ports ) );
	}

	/**
	 * Whether implicit TLS is expected first on a port.
	 *
	 * @param int $port Port.
	 * @return bool
	 */
	public function expects_implicit_tls( int $port ): bool {
		return in_array( $port, $this->implicit_ports, true );
	}
}
