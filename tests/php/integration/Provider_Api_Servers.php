<?php
/**
 * The providers' HTTPS API test servers (env/providers/api-servers.js) on free loopback ports
 * with the stack's certificate, and what they received.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

final class Provider_Api_Servers {

	public const PROVIDERS = array( 'sendgrid', 'postmark', 'mailgun', 'resend', 'brevo', 'ses', 'graph', 'gmail' );

	/** The keys the servers accept (env/providers/<provider>.js). */
	public const KEYS = array(
		'sendgrid' => 'SG.local-sendgrid-key',
		'postmark' => 'local-postmark-server-token',
		'mailgun'  => 'local-mailgun-key',
		'resend'   => 're_local_full_key',
		'brevo'    => 'xkeysib-local-brevo-key',
		'ses'      => 'local/ses+secret/AAAAAAAAAAAAAAAAAAAAAAAA',
	);

	/** Amazon SES: the access key IDs (the account field) and the region of the local server. */
	public const SES_ACCESS_KEY_ID = 'AKIALOCALSESTEST0001';

	public const SES_DENIED_ACCESS_KEY_ID = 'AKIALOCALSESDENIED01';

	public const SES_REGION = 'eu-central-1';

	/** A Resend key that may only send (GET /domains refuses it). */
	public const RESEND_SENDING_KEY = 're_local_sending_key';

	/** Valid keys without the send permission (Postmark: an account still pending). */
	public const NO_SEND_KEYS = array(
		'sendgrid' => 'SG.local-readonly-key',
		'postmark' => 'local-postmark-pending-token',
		'mailgun'  => 'local-mailgun-readonly-key',
		'brevo'    => 'xkeysib-local-no-credits',
	);

	public const MAILGUN_DOMAIN = 'mg.example.test';

	private Server_Process $process;

	public string $dir;

	/**
	 * Provider => port.
	 *
	 * @var array<string, int>
	 */
	public array $ports = array();

	public function __construct() {
		$this->ports   = array_combine( self::PROVIDERS, Server_Process::free_ports( count( self::PROVIDERS ) ) );
		$this->dir     = sys_get_temp_dir() . '/sph-provider-apis-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		$pairs         = array();
		foreach ( $this->ports as $provider => $port ) {
			$pairs[] = $provider . '=' . $port;
		}
		$this->process = new Server_Process();
		$this->process->start(
			array( 'node', dirname( __DIR__, 3 ) . '/env/providers/api-servers.js', $this->dir ),
			array(
				'PROVIDER_API_PORTS'           => implode( ',', $pairs ),
				'PROVIDER_API_CERT_DIR'        => dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ),
				'PROVIDER_API_EXIT_WITH_STDIN' => '1',
				'PROVIDER_MAILGUN_DOMAIN'      => self::MAILGUN_DOMAIN,
			),
			count( self::PROVIDERS ),
			$this->dir . '.log'
		);
	}

	public function base_url( string $provider ): string {
		return 'https://127.0.0.1:' . $this->ports[ $provider ];
	}

	/**
	 * Queues faults for the next send requests of a provider (see api-servers.js).
	 *
	 * @param list<array<string, mixed>> $faults The faults.
	 */
	public function faults( string $provider, array $faults ): void {
		self::post_faults( $this->base_url( $provider ), $faults );
	}

	/**
	 * Queues faults at the local API server of a base URL (its certificate trusted as
	 * SMTP_PORT_HELPER_CA_FILE) — also for a server this class did not start.
	 *
	 * @param string                     $base_url The server's base URL.
	 * @param list<array<string, mixed>> $faults   The faults.
	 * @throws \RuntimeException When the server did not take them.
	 */
	public static function post_faults( string $base_url, array $faults ): void {
		$context = stream_context_create(
			array(
				'http' => array(
					'method'  => 'POST',
					'header'  => 'Content-Type: application/json',
					'content' => (string) wp_json_encode( array( 'faults' => $faults ) ),
				),
				'ssl'  => array( 'cafile' => (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ),
			)
		);
		$answer = file_get_contents( $base_url . '/__test/faults', false, $context ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		if ( false === $answer ) {
			throw new \RuntimeException( 'the provider server at ' . $base_url . ' refused the faults' );
		}
	}

	/**
	 * How many TLS connections carried requests to a provider's routes so far (counted by its
	 * server; its own /__test/ requests are not counted).
	 */
	public function api_connections( string $provider ): int {
		$context = stream_context_create( array( 'ssl' => array( 'cafile' => (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) ) );
		$answer  = file_get_contents( $this->base_url( $provider ) . '/__test/health', false, $context ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		$health  = json_decode( (string) $answer, true );
		if ( ! is_array( $health ) || ! isset( $health['api_connections'] ) ) {
			throw new \RuntimeException( 'the provider server did not say how many connections it took' );
		}
		return (int) $health['api_connections'];
	}

	/**
	 * What a provider's server stored, oldest first.
	 *
	 * @return list<array<string, mixed>>
	 */
	public function received( string $provider ): array {
		$files = glob( $this->dir . '/' . $provider . '/*.json' ) ?: array();
		sort( $files );
		return array_map(
			static function ( string $file ): array {
				return json_decode( (string) file_get_contents( $file ), true ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			},
			$files
		);
	}

	public function forget_received(): void {
		foreach ( self::PROVIDERS as $provider ) {
			foreach ( glob( $this->dir . '/' . $provider . '/*.json' ) ?: array() as $file ) {
				unlink( $file );
			}
		}
	}

	public function log(): string {
		return (string) file_get_contents( $this->dir . '.log' ) . $this->process->read_output(); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
	}

	public function stop(): void {
		$this->process->stop();
		$this->forget_received();
		foreach ( self::PROVIDERS as $provider ) {
			@rmdir( $this->dir . '/' . $provider ); // phpcs:ignore
		}
		@rmdir( $this->dir ); // phpcs:ignore
		@unlink( $this->dir . '.log' ); // phpcs:ignore
	}
}
