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
		$this->assertStringStartsWith( 'auth_failed', $run['message'] );
		$this->assertStringNotContainsString( 'wrong', implode( "\n", $run['transcript'] ) );

		$this->assertSame( 2, $this->command()->run_send_test( 'nobody' )['exit'] );
	}

	public function test_the_real_wp_cli_runs_the_command(): void {
		$root = dirname( __DIR__, 3 );
		$boot = $root . '/.cache/wp-cli/vendor/wp-cli/wp-cli/php/boot-fs.php';
		if ( ! is_file( $boot ) ) {
			$this->markTestSkipped( 'WP-CLI is not installed: bash env/setup.sh wpcli' );
		}
		$submission = Smtp_Mailbox::port( 2 );
		$wp         = static function ( string $args ) use ( $root, $boot ): array {
			$command = sprintf(
				'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_ %s -d error_reporting=%d %s --allow-root --path=%s %s 2>/dev/null',
				escapeshellarg( PHP_BINARY ),
				E_ALL & ~E_DEPRECATED,
				escapeshellarg( $boot ),
				escapeshellarg( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp' ),
				$args
			);
			exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec
			return array( $status, implode( "\n", $output ) );
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

		// Only the two commands: public helper methods of a command class would be listed too, and
		// end in a fatal error when run.
		list( $status, $output ) = $wp( 'help smtp-port-helper' );
		$this->assertSame( 0, $status, $output );
		$this->assertMatchesRegularExpression( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output );
		preg_match( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output, $block );
		preg_match_all( '/^ {2}([a-z_-]+) {2,}/m', $block[1], $listed );
		$this->assertSame( array( 'send-test', 'test' ), $listed[1], $output );
		$this->assertStringNotContainsString( 'run_test', $output );
		$this->assertStringNotContainsString( 'register', $output );
	}
}
