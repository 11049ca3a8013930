<?php
/**
 * `wp smtp-port-helper test|send-test`: through the command's PHP API, and through the real
 * WP-CLI (installed by `bash env/setup.sh wpcli` into .cache/wp-cli) against the stack's WordPress.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\CLI\Command;
use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Settings\Settings_Store;

final class Cli_Command_Test extends Integration_Test_Case {

	private function command(): Command_Runner {
		$settings = new Settings_Store();
		return new Command_Runner( new Port_Prober(), new Probe_Options_Factory( $settings ), new Test_Email( $settings, $this->mailer_hook() ), $settings );
	}

	/**
	 * The Mailer_Hook the plugin registered (the one whose connection the test message reads).
	 */
	private function mailer_hook(): Mailer_Hook {
		global $wp_filter;
		foreach ( $wp_filter['phpmailer_init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Plugin ) {
					return $callback['function'][0]->mailer();
				}
			}
		}
		$this->fail( 'the plugin hooks phpmailer_init' );
	}

	public function test_port_test_through_the_php_api(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$run        = $this->command()->run_test( '127.0.0.1', array( 'ports' => "$submission,1", 'timeout' => '5' ) );
		$this->assertSame( 0, $run['exit'] );
		$this->assertNull( $run['error'] );
		$by_port = array_column( $run['rows'], 'verdict', 'port' );
		$this->assertSame( 'ok', $by_port[ $submission ] );
		$this->assertSame( 'refused', $by_port[1] );

		$run = $this->command()->run_test( '127.0.0.1', array( 'ports' => '1' ) );
		$this->assertSame( 1, $run['exit'], 'non-zero when no port works' );

		$run = $this->command()->run_test( "bad\r\nhost", array() );
		$this->assertSame( 2, $run['exit'] );
		$this->assertNotEmpty( $run['error'] );
	}

	public function test_login_flags_must_make_a_whole_login(): void {
		$cases = array(
			'user without password'      => array( array( 'username' => 'test' ), null, '--password-stdin' ),
			'password without user'      => array( array( 'password-stdin' => true ), 'secret', '--username' ),
			'empty password'             => array( array( 'username' => 'test', 'password-stdin' => true ), '', 'No password was read' ),
			'saved and given login'      => array( array( 'saved-login' => true, 'username' => 'test' ), null, 'not both' ),
			'saved login, none is saved' => array( array( 'saved-login' => true ), null, 'No login is saved' ),
		);
		foreach ( $cases as $case => list( $flags, $password, $error ) ) {
			$run = $this->command()->run_test( '127.0.0.1', $flags + array( 'ports' => '1' ), $password );
			$this->assertSame( 2, $run['exit'], $case );
			$this->assertStringContainsString( $error, (string) $run['error'], $case );
		}
	}

	public function test_the_help_names_the_default_ports_it_tests(): void {
		$help = (string) ( new \ReflectionMethod( Command::class, 'test' ) )->getDocComment();
		$this->assertStringContainsString( 'Default: ' . implode( ',', Submission_Ports::DEFAULT_TEST_PORTS ) . '.', $help );
		$this->assertStringContainsString( 'at most ' . Submission_Ports::MAX_PER_TEST . ')', $help );
	}

	public function test_send_test_through_the_php_api(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		$to  = 'cli-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
		$run = $this->command()->run_send_test( $to );
		$this->assertSame( 0, $run['exit'], $run['message'] );
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $to ) );

		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'password' => 'wrong' ) );
		$run = $this->command()->run_send_test( 'someone@example.com' );
		$this->assertSame( 1, $run['exit'] );
		$this->assertSame( 'auth_failed', $run['result']['verdict'] );
		$this->assertStringStartsNotWith( 'auth_failed', $run['message'], 'plain words, not the code' );
		$this->assertStringContainsString( 'user name or password was refused', $run['message'] );
		$this->assertStringNotContainsString( 'wrong', implode( "\n", $run['transcript'] ) );

		$this->assertSame( 2, $this->command()->run_send_test( 'nobody' )['exit'] );
	}

	/**
	 * Runs the real WP-CLI against the stack's WordPress.
	 *
	 * @param string      $args        Command line after `wp`.
	 * @param string|null $stdin       Standard input, if any.
	 * @param bool        $with_errors Whether standard error is part of the output.
	 * @return array{0: int, 1: string} Exit status and output.
	 */
	private function wp( string $args, ?string $stdin = null, bool $with_errors = false ): array {
		$root = dirname( __DIR__, 3 );
		$boot = $root . '/.cache/wp-cli/vendor/wp-cli/wp-cli/php/boot-fs.php';
		if ( ! is_file( $boot ) ) {
			$this->markTestSkipped( 'WP-CLI is not installed: bash env/setup.sh wpcli' );
		}
		$command = sprintf(
			'%sSMTP_PORT_HELPER_TABLE_PREFIX=wptests_ %s -d error_reporting=%d %s --allow-root --path=%s %s %s',
			null === $stdin ? '' : 'printf %s ' . escapeshellarg( $stdin ) . ' | ',
			escapeshellarg( PHP_BINARY ),
			E_ALL & ~E_DEPRECATED,
			escapeshellarg( $boot ),
			escapeshellarg( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp' ),
			$args,
			$with_errors ? '2>&1' : '2>/dev/null'
		);
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec
		return array( $status, implode( "\n", $output ) );
	}

	/**
	 * Saves SMTP settings where the WP-CLI process sees them (outside the test's transaction),
	 * runs the check, and removes them again.
	 *
	 * @param string               $host    Saved host.
	 * @param int                  $port    Saved port.
	 * @param array<string, mixed> $changes Settings besides the stack's login.
	 * @param callable             $check   Runs the commands.
	 */
	private function with_saved_settings( string $host, int $port, array $changes, callable $check ): void {
		global $wpdb;
		$this->save_smtp( $host, $port, $changes );
		$wpdb->query( 'COMMIT' );
		try {
			$check();
		} finally {
			delete_option( Plugin::SETTINGS_OPTION );
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}

	public function test_the_real_wp_cli_logs_in_with_the_password_from_stdin(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$user       = getenv( 'SMTP_USER' ) ?: 'test';
		$login      = '--username=' . escapeshellarg( $user ) . ' --password-stdin';

		list( $status, $output ) = $this->wp( "smtp-port-helper test 127.0.0.1 --ports=$submission --timeout=5 --format=json $login", ( getenv( 'SMTP_PASS' ) ?: 'secret' ) . "\n" );
		$this->assertSame( 0, $status, $output );
		$report = json_decode( $output, true );
		$this->assertIsArray( $report, $output );
		$stages = array_column( $report['results'][0]['stages'], 'ok', 'name' );
		$this->assertTrue( $stages['auth'] ?? null, $output );
		$this->assertSame( $submission, $report['recommendation']['port'] ?? null, $output );

		list( $status, $output ) = $this->wp( "smtp-port-helper test 127.0.0.1 --ports=$submission --timeout=5 $login", "not-the-password\n" );
		$this->assertSame( 1, $status, 'no port accepts the login: ' . $output );
		$this->assertMatchesRegularExpression( '/^' . $submission . '\tstarttls\tauth_failed\t\d+\t.*user name or password was refused/m', $output );
		$this->assertStringNotContainsString( 'not-the-password', $output );

		list( $status, $output ) = $this->wp( "smtp-port-helper test 127.0.0.1 --ports=$submission --username=$user", null, true );
		$this->assertNotSame( 0, $status );
		$this->assertStringContainsString( '--password-stdin', $output );
	}

	public function test_the_real_wp_cli_sends_the_saved_login_only_to_the_saved_host(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$this->with_saved_settings(
			'127.0.0.1',
			$submission,
			array(),
			function () use ( $submission ): void {
				list( $status, $output ) = $this->wp( "smtp-port-helper test 127.0.0.1 --ports=$submission --timeout=5 --saved-login --format=json" );
				$this->assertSame( 0, $status, $output );
				$report = json_decode( $output, true );
				$this->assertIsArray( $report, $output );
				$this->assertTrue( array_column( $report['results'][0]['stages'], 'ok', 'name' )['auth'] ?? null, $output );

				list( $status, $output ) = $this->wp( "smtp-port-helper test localhost --ports=$submission --timeout=5 --saved-login", null, true );
				$this->assertSame( 1, $status, $output );
				$this->assertStringContainsString( 'Error: The saved login belongs to 127.0.0.1 and is never sent to another server such as localhost.', $output );
				$this->assertStringNotContainsString( 'auth', $output, 'nothing was probed' );
			}
		);
	}

	public function test_the_real_wp_cli_send_test_explains_a_failure_and_names_a_working_port(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$this->with_saved_settings(
			'127.0.0.1',
			1,
			array( 'fallback_ports' => array( $submission ) ),
			function () use ( $submission ): void {
				list( $status, $output ) = $this->wp( 'smtp-port-helper send-test someone@example.com', null, true );
				$this->assertSame( 1, $status, $output );
				$this->assertDoesNotMatchRegularExpression( '/\b(refused|timeout|send_failed|[a-z]+_[a-z_]+): /', $output, 'no raw verdict code' );
				$this->assertStringContainsString( 'Error: ', $output );
				$this->assertStringContainsString( "Port $submission works from this server", $output );
				$this->assertStringContainsString( "wp smtp-port-helper test 127.0.0.1 --ports=$submission --saved-login", $output );
			}
		);
	}

	public function test_the_real_wp_cli_runs_the_command(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$wp         = function ( string $args ): array {
			return $this->wp( $args );
		};

		list( $status, $output ) = $wp( "smtp-port-helper test 127.0.0.1 --ports=$submission,1 --timeout=5 --format=json" );
		$this->assertSame( 0, $status, $output );
		$report = json_decode( $output, true );
		$this->assertIsArray( $report, $output );
		$verdicts = array_column( $report['results'], 'verdict', 'port' );
		$this->assertSame( 'ok', $verdicts[ $submission ] );
		$this->assertSame( 'refused', $verdicts[1] );

		list( $status, $output ) = $wp( "smtp-port-helper test 127.0.0.1 --ports=$submission" );
		$this->assertSame( 0, $status, $output );
		// A table (tab-separated when the output is not a terminal).
		$this->assertMatchesRegularExpression( '/^port\tmode\tverdict\tms\tmessage$/m', $output );
		$this->assertMatchesRegularExpression( '/^' . $submission . '\tstarttls\tok\t\d+\tPort /m', $output );

		list( $status, $output ) = $wp( 'smtp-port-helper test 127.0.0.1 --ports=1 --timeout=2' );
		$this->assertSame( 1, $status, 'non-zero exit when no port works: ' . $output );

		// Only the commands: public helper methods of a command class would be listed too, and
		// end in a fatal error when run.
		list( $status, $output ) = $wp( 'help smtp-port-helper' );
		$this->assertSame( 0, $status, $output );
		$this->assertMatchesRegularExpression( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output );
		preg_match( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output, $block );
		preg_match_all( '/^ {2}([a-z_-]+) {2,}/m', $block[1], $listed );
		$this->assertSame( array( 'outbox', 'send-test', 'test' ), $listed[1], $output );
		$this->assertStringNotContainsString( 'run_test', $output );
		$this->assertStringNotContainsString( 'register', $output );
	}
}
