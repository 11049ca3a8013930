<?php
/**
 * GET/POST /smtp-port-helper/v1/settings in the real WordPress and database.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\REST\Settings_Route_Schema;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;

final class Settings_Rest_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/settings';

	public function test_route_is_registered_with_an_args_schema(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$post = null;
		foreach ( $routes[ self::ROUTE ] as $handler ) {
			if ( isset( $handler['methods']['POST'] ) ) {
				$post = $handler;
			}
		}
		$this->assertNotNull( $post );
		$this->assertSame( 'integer', $post['args']['port']['type'] );
		$this->assertSame( 65535, $post['args']['port']['maximum'] );
		$this->assertSame( 'string', $post['args']['host']['type'] );
		$this->assertEqualsCanonicalizing( array_keys( Settings_Route_Schema::input_schema() ), array_keys( $post['args'] ) );
		$this->assertSame( array( 'none', 'starttls', 'implicit_tls' ), $post['args']['encryption']['enum'] );
		$this->assertSame( 3, $post['args']['fallback_ports']['maxItems'] );
		$this->assertSame( 60, $post['args']['timeout']['maximum'] );
		foreach ( $post['args'] as $field => $arg ) {
			$this->assertNotEmpty( $arg['description'], $field );
			$this->assertIsCallable( $arg['validate_callback'], $field );
		}
	}

	public function test_admin_reads_defaults(): void {
		$this->log_in_as( 'administrator' );
		delete_option( Settings_Store::OPTION );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( '', $data['host'] );
		$this->assertSame( 587, $data['port'] );
		$this->assertSame( 'starttls', $data['encryption'] );
		$this->assertSame( 10, $data['timeout'] );
		$this->assertSame( 15, $data['send_time_limit'] );
		$this->assertTrue( $data['enabled'] );
		$this->assertFalse( $data['auth'] );
		$this->assertSame( array(), $data['fallback_ports'] );
		$this->assertFalse( $data['password_set'] );
		$this->assertFalse( $data['password_unreadable'] );
		$this->assertFalse( $data['key_unsafe'], 'the stack has unique salts' );
		$this->assertTrue( $data['verify_tls'] );
		$this->assertArrayNotHasKey( 'password', $data );
		$expected = array( 'enabled', 'host', 'port', 'encryption', 'auth', 'username', 'from_email', 'from_name', 'force_from_email', 'force_from_name', 'return_path', 'ca_file', 'timeout', 'send_time_limit', 'fallback', 'fallback_ports', 'self_heal', 'dkim_signing', 'auth_method', 'oauth_provider', 'oauth_tenant', 'oauth_client_id', 'oauth_authorize_url', 'oauth_token_url', 'oauth_scope', 'oauth_client_secret_expires', 'password_set', 'password_unreadable', 'key_unsafe', 'verify_tls', 'locked', 'oauth_client_secret_set', 'oauth_connection', 'from_address' );
		$this->assertEqualsCanonicalizing( $expected, array_keys( $data ), 'exactly the SettingsResponse of src/types.ts' );
	}

	public function test_the_answers_have_the_shape_the_route_declares(): void {
		$this->log_in_as( 'administrator' );
		delete_option( Settings_Store::OPTION );
		$declared = $this->rest( 'OPTIONS', self::ROUTE )->get_data()['schema'];
		$this->assertSame( array(), $declared['properties']['password']['context'], 'the password is write-only' );
		$answer_schema = $this->answer_schema( $declared );

		$defaults = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertTrue( rest_validate_value_from_schema( $defaults, $answer_schema, 'settings' ), 'the defaults' );

		$saved = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'           => 'smtp.example.com',
				'port'           => 465,
				'auth'           => true,
				'username'       => 'mailer@example.com',
				'password'       => 'p4ss word!',
				'fallback'       => true,
				'fallback_ports' => array( 587, 2525 ),
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertTrue( rest_validate_value_from_schema( $saved->get_data(), $answer_schema, 'settings' ), 'the answer of a save' );
		$read = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertTrue( $read['password_set'] );
		$this->assertNotEmpty( (array) $read['locked'], 'the test configuration locks ca_file' );
		$this->assertTrue( rest_validate_value_from_schema( $read, $answer_schema, 'settings' ), 'the saved settings' );
		$as_sent = json_decode( (string) wp_json_encode( $read ), true );
		$this->assertTrue( rest_validate_value_from_schema( $as_sent, $answer_schema, 'settings' ), 'the answer as the browser decodes it' );

		// The schema is strict enough to notice a wrong answer.
		$leaked = $read + array( 'password' => 'p4ss word!' );
		$this->assertInstanceOf( WP_Error::class, rest_validate_value_from_schema( $leaked, $answer_schema, 'settings' ), 'a password in the answer' );
		$partial = $read;
		unset( $partial['locked'] );
		$this->assertInstanceOf( WP_Error::class, rest_validate_value_from_schema( $partial, $answer_schema, 'settings' ), 'a field missing' );
		$this->assertInstanceOf( WP_Error::class, rest_validate_value_from_schema( array( 'port' => 'submission' ) + $read, $answer_schema, 'settings' ), 'a port that is no number' );
	}

	/**
	 * The part of a resource schema an answer may hold: without the properties no context shows
	 * (the write-only ones).
	 *
	 * @param array<string, mixed> $schema Resource schema, as OPTIONS describes it.
	 * @return array<string, mixed>
	 */
	private function answer_schema( array $schema ): array {
		$schema['properties'] = array_filter(
			$schema['properties'],
			static function ( array $property ): bool {
				return ! isset( $property['context'] ) || array() !== $property['context'];
			}
		);
		return $schema;
	}

	public function test_admin_saves_every_field_and_reads_them_back(): void {
		$this->log_in_as( 'administrator' );
		$body     = array(
			'enabled'          => true,
			'host'             => 'smtp.example.com',
			'port'             => 2525,
			'encryption'       => 'starttls',
			'auth'             => true,
			'username'         => 'mailer@example.com',
			'password'         => 'p4ss word!',
			'from_email'       => 'site@example.com',
			'from_name'        => 'Café Site',
			'force_from_email' => true,
			'force_from_name'  => false,
			'return_path'      => true,
			'timeout'          => 20,
			'fallback'         => true,
			'fallback_ports'   => array( 587, 465 ),
		);
		$response = $this->rest( 'POST', self::ROUTE, $body );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$read = $this->rest( 'GET', self::ROUTE )->get_data();
		unset( $body['password'] );
		foreach ( $body as $field => $value ) {
			$this->assertSame( $value, $read[ $field ], $field );
		}
		$this->assertTrue( $read['password_set'] );
		$this->assertSame( 'p4ss word!', ( new Settings_Store() )->password() );

		$stored = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) );
		$this->assertStringStartsWith( 'v2:', $stored['password'] );
		$this->assertStringNotContainsString( 'p4ss', (string) $this->raw_option( Settings_Store::OPTION ) );
	}

	public function test_only_the_port_changes_the_encryption_unless_given(): void {
		$this->log_in_as( 'administrator' );
		$this->assertSame( 'implicit_tls', $this->rest( 'POST', self::ROUTE, array( 'port' => 465 ) )->get_data()['encryption'] );
		$this->assertSame( 'starttls', $this->rest( 'POST', self::ROUTE, array( 'port' => 587 ) )->get_data()['encryption'] );
		$this->assertSame(
			'none',
			$this->rest(
				'POST',
				self::ROUTE,
				array(
					'port'       => 25,
					'encryption' => 'none',
				)
			)->get_data()['encryption']
		);
		$this->assertSame( 'none', $this->rest( 'POST', self::ROUTE, array( 'host' => 'relay.example.com' ) )->get_data()['encryption'], 'other fields keep it' );
	}

	public function test_password_is_kept_replaced_and_cleared(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'smtp.example.com', 587 );
		$store = new Settings_Store();
		$this->assertSame( 'secret', $store->password() );
		$sealed = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'];

		$this->rest( 'POST', self::ROUTE, array( 'from_name' => 'Other' ) );
		$this->assertSame( $sealed, maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'], 'a save without password keeps it' );
		$this->rest( 'POST', self::ROUTE, array( 'password' => '' ) );
		$this->assertSame( 'secret', $store->password(), 'an empty password keeps it' );

		$this->rest( 'POST', self::ROUTE, array( 'password' => 'secret' ) );
		$resealed = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'];
		$this->assertNotSame( $sealed, $resealed, 'a new nonce on each save' );

		$data = $this->rest( 'POST', self::ROUTE, array( 'clear_password' => true ) )->get_data();
		$this->assertFalse( $data['password_set'] );
		$this->assertNull( $store->password() );
		$this->assertArrayNotHasKey( 'password', maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) ) );
	}

	public function test_a_changed_key_makes_the_password_unreadable_without_warnings(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'smtp.example.com', 587 );
		( new Settings_Store( null, new \SmtpPortHelper\Secrets\Secret_Box( 'salts before the change' ) ) )->update( array( 'password' => 'secret' ) );
		$errors = array();
		set_error_handler(
			static function ( int $errno, string $message ) use ( &$errors ): bool {
				$errors[] = $message;
				return true;
			}
		);
		$data = $this->rest( 'GET', self::ROUTE )->get_data();
		$pass = ( new Settings_Store() )->password();
		restore_error_handler();
		$this->assertSame( array(), $errors );
		$this->assertTrue( $data['password_set'] );
		$this->assertTrue( $data['password_unreadable'] );
		$this->assertNull( $pass );

		$data = $this->rest( 'POST', self::ROUTE, array( 'password' => 'secret' ) )->get_data();
		$this->assertFalse( $data['password_unreadable'], 'entering it again fixes it' );
	}

	public function test_admin_saves_host_and_port_and_reads_them_back(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host' => 'SMTP.Example.COM',
				'port' => 2525,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'smtp.example.com', $response->get_data()['host'] );

		wp_cache_flush();
		$stored = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) );
		$this->assertSame( 'smtp.example.com', $stored['host'] );
		$this->assertSame( 2525, $stored['port'] );

		$read = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertSame( 2525, $read['port'] );
	}

	public function test_idn_host_is_saved_as_punycode(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest( 'POST', self::ROUTE, array( 'host' => 'mail.bücher.de' ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'mail.xn--bcher-kva.de', $response->get_data()['host'] );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function bad_inputs(): array {
		return array(
			'port not numeric'            => array( array( 'port' => 'abc' ), 'port' ),
			'port zero'                   => array( array( 'port' => 0 ), 'port' ),
			'port too high'               => array( array( 'port' => 65536 ), 'port' ),
			'port negative'               => array( array( 'port' => -25 ), 'port' ),
			'port fractional'             => array( array( 'port' => 587.5 ), 'port' ),
			'port array'                  => array( array( 'port' => array( 587 ) ), 'port' ),
			'port bool'                   => array( array( 'port' => true ), 'port' ),
			'port null'                   => array( array( 'port' => null ), 'port' ),
			'host empty'                  => array( array( 'host' => '' ), 'host' ),
			'host blank'                  => array( array( 'host' => '   ' ), 'host' ),
			'host with CRLF'              => array( array( 'host' => "smtp.example.com\r\nRCPT TO:<x@evil.test>" ), 'host' ),
			'host with scheme'            => array( array( 'host' => 'smtp://smtp.example.com' ), 'host' ),
			'host with port'              => array( array( 'host' => 'smtp.example.com:587' ), 'host' ),
			'host too long'               => array( array( 'host' => str_repeat( 'a', 300 ) . '.com' ), 'host' ),
			'host huge'                   => array( array( 'host' => str_repeat( 'a', 100000 ) ), 'host' ),
			'host not a string'           => array( array( 'host' => 42 ), 'host' ),
			'host with a path'            => array( array( 'host' => 'smtp.example.com/submit' ), 'host' ),
			'host with a space'           => array( array( 'host' => 'smtp example.com' ), 'host' ),
			'host object'                 => array( array( 'host' => array( 'name' => 'x' ) ), 'host' ),
			'good host, bad port'         => array(
				array(
					'host' => 'smtp.example.com',
					'port' => 'x',
				),
				'port',
			),
			'enabled string'              => array( array( 'enabled' => 'yes' ), 'enabled' ),
			'auth number'                 => array( array( 'auth' => 2 ), 'auth' ),
			'encryption unknown'          => array( array( 'encryption' => 'ssl' ), 'encryption' ),
			'encryption empty'            => array( array( 'encryption' => '' ), 'encryption' ),
			'username CRLF'               => array( array( 'username' => "test\r\nMAIL FROM:<x@evil.test>" ), 'username' ),
			'username NUL'                => array( array( 'username' => "test\0" ), 'username' ),
			'username huge'               => array( array( 'username' => str_repeat( 'u', 5000 ) ), 'username' ),
			'username array'              => array( array( 'username' => array( 'test' ) ), 'username' ),
			'password CRLF'               => array( array( 'password' => "secret\r\nQUIT" ), 'password' ),
			'password number'             => array( array( 'password' => 12345 ), 'password' ),
			'password huge'               => array( array( 'password' => str_repeat( 'p', 2000 ) ), 'password' ),
			'clear_password string'       => array( array( 'clear_password' => 'please' ), 'clear_password' ),
			'from_email invalid'          => array( array( 'from_email' => 'not-an-address' ), 'from_email' ),
			'from_email injection'        => array( array( 'from_email' => "a@example.com\r\nBcc: victim@example.net" ), 'from_email' ),
			'from_email unicode'          => array( array( 'from_email' => 'jürgen@exämple.com' ), 'from_email' ),
			'from_name CRLF injection'    => array( array( 'from_name' => "Site\r\nBcc: victim@example.net" ), 'from_name' ),
			'from_name LF'                => array( array( 'from_name' => "Site\nX-Evil: 1" ), 'from_name' ),
			'from_name too long'          => array( array( 'from_name' => str_repeat( 'n', 101 ) ), 'from_name' ),
			'from_name number'            => array( array( 'from_name' => 7 ), 'from_name' ),
			'force_from_email string'     => array( array( 'force_from_email' => 'on' ), 'force_from_email' ),
			'force_from_name array'       => array( array( 'force_from_name' => array() ), 'force_from_name' ),
			'return_path null'            => array( array( 'return_path' => null ), 'return_path' ),
			'timeout zero'                => array( array( 'timeout' => 0 ), 'timeout' ),
			'timeout too long'            => array( array( 'timeout' => 61 ), 'timeout' ),
			'timeout negative'            => array( array( 'timeout' => -1 ), 'timeout' ),
			'timeout text'                => array( array( 'timeout' => 'ten' ), 'timeout' ),
			'fallback string'             => array( array( 'fallback' => 'true-ish' ), 'fallback' ),
			'fallback_ports too many'     => array( array( 'fallback_ports' => array( 2525, 465, 25, 2587 ) ), 'fallback_ports' ),
			'fallback_ports duplicate'    => array( array( 'fallback_ports' => array( 2525, 2525 ) ), 'fallback_ports' ),
			'fallback_ports out of range' => array( array( 'fallback_ports' => array( 70000 ) ), 'fallback_ports' ),
			'fallback_ports negative'     => array( array( 'fallback_ports' => array( -1 ) ), 'fallback_ports' ),
			'fallback_ports = port'       => array( array( 'fallback_ports' => array( 465 ) ), 'fallback_ports' ),
			'port = a fallback port'      => array( array( 'port' => 2525 ), 'port' ),
			'auth without username'       => array(
				array(
					'auth'     => true,
					'username' => '',
				),
				'username',
			),
			'unknown field'               => array( array( 'hots' => 'smtp.example.com' ), 'hots' ),
			'unknown field with good one' => array(
				array(
					'host'  => 'smtp.example.com',
					'admin' => true,
				),
				'admin',
			),
			'read-only verify_tls'        => array( array( 'verify_tls' => false ), 'verify_tls' ),
			'read-only password_set'      => array( array( 'password_set' => true ), 'password_set' ),
			'locked ca_file'              => array( array( 'ca_file' => '/etc/ssl/certs/ca-certificates.crt' ), 'ca_file' ),
		);
	}

	/**
	 * @dataProvider bad_inputs
	 * @param array<string, mixed> $body
	 */
	public function test_bad_input_is_refused_naming_the_field_and_changes_nothing( array $body, string $field ): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp(
			'smtp.before.test',
			465,
			array(
				'fallback'       => true,
				'fallback_ports' => array( 2525 ),
				'from_name'      => 'Before',
			)
		);
		$before = $this->raw_option( Settings_Store::OPTION );
		$this->assertNotNull( $before );

		$response = $this->rest( 'POST', self::ROUTE, $body );

		$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertSame( 'rest_invalid_param', $data['code'] );
		$this->assertArrayHasKey( $field, $data['data']['params'], (string) wp_json_encode( $data ) );
		$this->assertNotSame( '', trim( $data['data']['params'][ $field ] ) );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ), 'the stored option must stay byte-for-byte the same' );
	}

	public function test_every_bad_field_is_named_in_one_answer(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'      => '',
				'port'      => 'x',
				'from_name' => "a\r\nb",
				'timeout'   => 0,
			)
		);
		$this->assertSame( 400, $response->get_status() );
		$params = $response->get_data()['data']['params'];
		ksort( $params );
		$this->assertSame( array( 'from_name', 'host', 'port', 'timeout' ), array_keys( $params ) );
	}

	public function test_the_same_value_as_a_constant_is_accepted(): void {
		$this->log_in_as( 'administrator' );
		$locked = (array) $this->rest( 'GET', self::ROUTE )->get_data()['locked'];
		$this->assertSame( 'SMTP_PORT_HELPER_CA_FILE', $locked['ca_file'] );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'    => 'smtp.example.com',
				'ca_file' => SMTP_PORT_HELPER_CA_FILE,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
	}

	public function test_update_option_from_other_code_cannot_store_a_bad_value(): void {
		update_option(
			Settings_Store::OPTION,
			array(
				'host' => 'smtp.before.test',
				'port' => 465,
			)
		);
		$before = $this->raw_option( Settings_Store::OPTION );
		update_option(
			Settings_Store::OPTION,
			array(
				'host' => "evil\r\nhost",
				'port' => 99999,
			)
		);
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function non_admin_roles(): array {
		return array(
			'subscriber'  => array( 'subscriber' ),
			'contributor' => array( 'contributor' ),
			'author'      => array( 'author' ),
			'editor'      => array( 'editor' ),
		);
	}

	/**
	 * @dataProvider non_admin_roles
	 */
	public function test_non_admins_get_403_and_change_nothing( string $role ): void {
		$this->log_in_as( $role );
		$before = $this->raw_option( Settings_Store::OPTION );
		$this->assertSame( 403, $this->rest( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', self::ROUTE, array( 'port' => 2525 ) )->get_status() );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	public function test_logged_out_gets_401(): void {
		$this->assertSame( 401, $this->rest( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 401, $this->rest( 'POST', self::ROUTE, array( 'port' => 2525 ) )->get_status() );
	}
}
