<?php
/**
 * The one way into the probe: options from a REST request, from WP-CLI flags or from the saved
 * settings (Site Health).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Settings\Saved_Login;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Each front door (REST, WP-CLI, Site Health) turns its own input into the same raw options;
 * the saved CA file and the saved password are added here, and Probe_Options::from_array()
 * validates everything once. An Invalid_Input_Exception names the refused option (field()).
 * Each front door gets its address policy here: the person's for REST, the command line's for
 * WP-CLI, the settings owner's for a check of the saved settings.
 */
final class Probe_Options_Factory {

	/**
	 * Saved settings: CA file, password, configured server.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Which address policy applies.
	 *
	 * @var Address_Policy_Source
	 */
	private Address_Policy_Source $policies;

	/**
	 * The OAuth 2.0 connection; built on first use.
	 *
	 * @var OAuth_Connection|null
	 */
	private ?OAuth_Connection $oauth;

	/**
	 * Takes the saved settings and the source of address policies.
	 *
	 * @param Settings_Store             $settings Saved settings: CA file, password, configured server.
	 * @param Address_Policy_Source|null $policies Which address policy applies.
	 * @param OAuth_Connection|null      $oauth    The OAuth 2.0 connection (default: of the settings).
	 */
	public function __construct( Settings_Store $settings, ?Address_Policy_Source $policies = null, ?OAuth_Connection $oauth = null ) {
		$this->settings = $settings;
		$this->policies = $policies ?? new Address_Policy_Source();
		$this->oauth    = $oauth;
	}

	/**
	 * The saved OAuth login for the saved server, as probe options: the mailbox and its access
	 * token (refreshed when needed), or why there is none. Empty when OAuth is not chosen.
	 *
	 * @param Address_Policy $policy Address policy for the token endpoint.
	 * @return array<string, mixed>
	 */
	private function saved_oauth_login( Address_Policy $policy ): array {
		$this->oauth = $this->oauth ?? new OAuth_Connection( $this->settings );
		$token       = $this->oauth->access_token( $policy );
		if ( '' === $token->user ) {
			return array();
		}
		if ( $token->ok() ) {
			return array(
				'username'    => $token->user,
				'oauth_token' => $token->token,
			);
		}
		return array(
			'username'      => $token->user,
			'oauth_failure' => array(
				'code'    => $token->code,
				'message' => $token->message,
			),
		);
	}

	/**
	 * The saved OAuth login when a request names the saved server and mailbox without a
	 * password; null when OAuth is not chosen or a password was given.
	 *
	 * @param mixed          $given    Password given (unchecked).
	 * @param mixed          $host     Host asked for (unchecked).
	 * @param mixed          $username User name asked for (unchecked).
	 * @param Address_Policy $policy   Address policy for the token endpoint.
	 * @return array<string, mixed>|null
	 * @throws Invalid_Input_Exception When the request names another server or mailbox (`auth.password`).
	 */
	private function oauth_for_request( $given, $host, $username, Address_Policy $policy ): ?array {
		$settings = $this->settings->get();
		if ( ! $settings->uses_oauth() || ( null !== $given && '' !== $given ) ) {
			return null;
		}
		$login = $this->saved_oauth_login( $policy );
		if ( ! is_string( $host ) || ! is_string( $username ) || ! isset( $login['username'] ) || ! Saved_Login::same_host( $settings->host, $host ) || trim( $username ) !== $login['username'] ) {
			throw new Invalid_Input_Exception(
				sprintf(
					/* translators: 1: saved SMTP host, 2: the connected mailbox. */
					__( 'Enter the password for this server: the saved OAuth 2.0 sign-in is only used for %1$s as %2$s.', 'smtp-port-helper' ),
					$settings->host,
					isset( $login['username'] ) ? (string) $login['username'] : $settings->username
				),
				'auth.password'
			);
		}
		return $login;
	}

	/**
	 * A port test asked for over REST. Credentials without a password use the saved password,
	 * but only for the saved host and user name (Saved_Login).
	 *
	 * @param array<string, mixed> $params host, ports, timeout, alternates, auth {username, password}.
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When a parameter is invalid, or no password is given or saved
	 *                                 for this host and user name (field `auth.password`).
	 */
	public function from_request( array $params ): Probe_Options {
		$options = array(
			'host'    => $params['host'] ?? null,
			'ports'   => $params['ports'] ?? null,
			'timeout' => $params['timeout'] ?? null,
			'policy'  => $this->policies->for_current_user(),
		);
		if ( isset( $params['alternates'] ) ) {
			$options['preferred_alternates'] = $params['alternates'];
		}
		if ( isset( $params['auth'] ) && is_array( $params['auth'] ) ) {
			$options['username'] = $params['auth']['username'] ?? null;
			$oauth               = $this->oauth_for_request( $params['auth']['password'] ?? null, $options['host'], $options['username'], $this->policies->for_token_endpoint( $this->settings ) );
			if ( null !== $oauth ) {
				$options = array_merge( $options, $oauth );
			} else {
				$options['password'] = $this->given_or_saved_password( $params['auth']['password'] ?? null, $options['host'], $options['username'] );
			}
		}
		return $this->validated( $options );
	}

	/**
	 * A port test asked for on the command line: with no login, with the login given (user name
	 * and password), or with the saved login, which is only sent to the saved host.
	 *
	 * @param string                     $host     Host.
	 * @param array<string, string|bool> $flags    ports (comma-separated; default Submission_Ports::DEFAULT_TEST_PORTS), timeout, username, saved-login.
	 * @param string|null                $password Password for `username` (read by the command, never a flag).
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When the host or a flag is invalid, or the saved login may not be used.
	 */
	public function from_cli( string $host, array $flags, ?string $password = null ): Probe_Options {
		$options = array(
			'host'    => $host,
			'ports'   => $flags['ports'] ?? Submission_Ports::DEFAULT_TEST_PORTS,
			'timeout' => $flags['timeout'] ?? null,
			'policy'  => $this->policies->for_command_line(),
		);
		if ( ! empty( $flags['saved-login'] ) ) {
			$options += $this->saved_login_for( $host );
		} elseif ( isset( $flags['username'] ) || null !== $password ) {
			$options['username'] = $flags['username'] ?? null;
			$options['password'] = $password;
		}
		return $this->validated( $options );
	}

	/**
	 * The saved user name and password, if the host is the saved one (Saved_Login): a saved
	 * password is never sent to another server.
	 *
	 * @param string $host Host asked for.
	 * @return array<string, mixed> The user name with the password, or with the OAuth token (or why there is none).
	 * @throws Invalid_Input_Exception When no login is saved, or the host is not the saved one.
	 */
	private function saved_login_for( string $host ): array {
		$settings = $this->settings->get();
		if ( $settings->uses_oauth() ) {
			$login = $this->saved_oauth_login( $this->policies->for_command_line() );
			if ( ! isset( $login['username'] ) || ! Saved_Login::same_host( $settings->host, $host ) ) {
				throw new Invalid_Input_Exception( __( 'The saved OAuth 2.0 sign-in is only used for the saved server and mailbox. Give the user name and password for this server with --username and --password-stdin.', 'smtp-port-helper' ), 'password' );
			}
			return $login;
		}
		$password = $this->settings->password();
		if ( '' === $settings->username || null === $password ) {
			throw new Invalid_Input_Exception( __( 'No login is saved: save a user name and password first.', 'smtp-port-helper' ), 'password' );
		}
		$saved_login = Saved_Login::of( $settings );
		if ( ! $saved_login->allows( $host, $settings->username ) ) {
			throw new Invalid_Input_Exception(
				$saved_login->refusal() . ' ' . __( 'Give the user name and password for this server with --username and --password-stdin.', 'smtp-port-helper' ),
				'password'
			);
		}
		return array(
			'username' => $settings->username,
			'password' => $password,
		);
	}

	/**
	 * Site Health's check of whether WordPress can send: the configured port in the configured
	 * encryption, with the saved login when login is on (one login per check).
	 *
	 * @param float $timeout Seconds.
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When the saved host or port cannot be probed.
	 */
	public function from_settings( float $timeout ): Probe_Options {
		$settings = $this->settings->get();
		$options  = array(
			'host'    => $settings->host,
			'ports'   => array( $settings->port ),
			'timeout' => $timeout,
			'policy'  => $this->policies->for_settings( $this->settings ),
		);
		if ( Encryption::IMPLICIT_TLS === $settings->encryption ) {
			$options['implicit_ports'] = array( $settings->port );
		}
		return $this->validated( $options + $this->saved_login_if_on() );
	}

	/**
	 * When the configured port fails: the default submission ports and the saved fallback ports
	 * of the configured host (never 25, never the configured port), with the saved login, so
	 * that Site Health can name a port that works.
	 *
	 * @param float $timeout Seconds.
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When the saved host cannot be probed.
	 */
	public function alternatives_to_settings( float $timeout ): Probe_Options {
		$settings = $this->settings->get();
		$ports    = array();
		foreach ( array_merge( Submission_Ports::DEFAULT_TEST_PORTS, $settings->fallback_ports ) as $port ) {
			if ( Submission_Ports::RELAY !== $port && $settings->port !== $port && ! in_array( $port, $ports, true ) && count( $ports ) < Submission_Ports::MAX_PER_TEST ) {
				$ports[] = $port;
			}
		}
		$options = array(
			'host'    => $settings->host,
			'ports'   => $ports,
			'timeout' => $timeout,
			'policy'  => $this->policies->for_settings( $this->settings ),
		);
		return $this->validated( $options + $this->saved_login_if_on() );
	}

	/**
	 * The outbox's re-test while mail waits (Outbox\Port_Retest): the ports mail is sent through —
	 * the configured port and the fallback ports, each in its own encryption — of the configured
	 * host, with the saved login when login is on and the address policy of the settings' owner.
	 *
	 * @param list<array{port: int, encryption: string}> $endpoints Ports and their encryption, in order.
	 * @param float                                      $timeout   Seconds.
	 * @return Probe_Options
	 * @throws Invalid_Input_Exception When the saved host or a port cannot be probed.
	 */
	public function for_sending_ports( array $endpoints, float $timeout ): Probe_Options {
		$endpoints = array_slice( $endpoints, 0, Submission_Ports::MAX_PER_TEST );
		$implicit  = array();
		foreach ( $endpoints as $endpoint ) {
			if ( Encryption::IMPLICIT_TLS === $endpoint['encryption'] ) {
				$implicit[] = $endpoint['port'];
			}
		}
		$options = array(
			'host'           => $this->settings->get()->host,
			'ports'          => array_column( $endpoints, 'port' ),
			'timeout'        => $timeout,
			'policy'         => $this->policies->for_settings( $this->settings ),
			'implicit_ports' => $implicit,
		);
		return $this->validated( $options + $this->saved_login_if_on() );
	}

	/**
	 * The saved user name and password when login is on and both are there; otherwise none.
	 *
	 * @return array{username?: string, password?: string}
	 */
	private function saved_login_if_on(): array {
		$settings = $this->settings->get();
		if ( $settings->uses_oauth() ) {
			return $this->saved_oauth_login( $this->policies->for_token_endpoint( $this->settings ) );
		}
		$password = $settings->auth ? $this->settings->password() : null;
		if ( null === $password || '' === $settings->username ) {
			return array();
		}
		return array(
			'username' => $settings->username,
			'password' => $password,
		);
	}

	/**
	 * The options with the saved CA file, validated.
	 *
	 * @param array<string, mixed> $options Raw options.
	 * @throws Invalid_Input_Exception When an option is invalid.
	 */
	private function validated( array $options ): Probe_Options {
		$ca_file = $this->settings->get()->ca_file;
		if ( '' !== $ca_file ) {
			$options['cafile'] = $ca_file;
		}
		return Probe_Options::from_array( $options );
	}

	/**
	 * The password given, or else the saved one when the test goes to the saved host as the saved
	 * user (every front door that logs in calls this).
	 *
	 * @param mixed $given    Password from the request, if any.
	 * @param mixed $host     Host the test connects to (unchecked).
	 * @param mixed $username User name the test logs in with (unchecked).
	 * @return mixed The given password, unchecked (Probe_Options checks it), or the saved one.
	 * @throws Invalid_Input_Exception When none is given and none is saved, or the saved one
	 *                                 belongs to another host or user name (`auth.password`).
	 */
	private function given_or_saved_password( $given, $host, $username ) {
		if ( null !== $given && '' !== $given ) {
			return $given;
		}
		$saved = $this->settings->password();
		if ( null === $saved ) {
			throw new Invalid_Input_Exception( __( 'Enter the password, or save one first: no password is saved.', 'smtp-port-helper' ), 'password' );
		}
		$login = Saved_Login::of( $this->settings->get() );
		if ( ! $login->allows( $host, $username ) ) {
			throw new Invalid_Input_Exception( $login->refusal(), 'auth.password' );
		}
		return $saved;
	}
}
