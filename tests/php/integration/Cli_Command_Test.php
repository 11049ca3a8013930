<?php
/**
 * `wp smtp-port-helper test|send-test`: through the command's PHP API, and through the real
 * WP-CLI (installed by `bash env/setup.sh wpcli` into .cache/wp-cli) against the stack's WordPress.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Deliverability\Dkim_Key_Store;
use SmtpPortHelper\CLI\Command;
use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

require_once __DIR__ . '/Credential_Recorder.php';

final class Cli_Command_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;

	private function command(): Command_Runner {
		$settings = new Settings_Store();
		return new Command_Runner( new Port_Prober(), new Probe_Options_Factory( $settings ), new Test_Email( $settings, $this->mailer_hook() ), $settings, new Send_Path_Report( $settings ) );
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

	public function test_the_real_wp_cli_writes_a_markdown_report_without_the_login(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$password   = getenv( 'SMTP_PASS' ) ?: 'secret';
		list( $status, $output ) = $this->wp( "smtp-port-helper test 127.0.0.1 --ports=$submission,1 --timeout=5 --username=test --password-stdin --format=markdown", $password . "\n" );
		$this->assertSame( 0, $status, $output );
		$this->assertStringContainsString( '## SMTP port test of 127.0.0.1', $output );
		$this->assertMatchesRegularExpression( "/^\\| $submission \\| `ok` \\| \\d+ ms \\| 127\\.0\\.0\\.1 \\| .*auth ✓/m", $output );
		$this->assertMatchesRegularExpression( '/^\\| 1 \\| `refused` \\|/m', $output );
		$this->assertStringContainsString( 'Login tested as `te…`', $output );
		$this->assertStringNotContainsString( $password, $output );
		$this->assertStringNotContainsString( base64_encode( "\0test\0$password" ), $output );
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
		// The advice the page shows, from the same PHP (Cause_Advice).
		$this->assertStringContainsString( "Port $submission refused the login: check the user name and password in step 2.", $output );
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
				$this->assertStringContainsString( 'Error: Enter the password for this server: the saved password is only sent to 127.0.0.1 as ', $output );
				// Without the checkout's path: a worktree named e.g. "oauth-core" contains "auth".
				$this->assertStringNotContainsString( 'auth', str_replace( dirname( __DIR__, 3 ), '', $output ), 'nothing was probed' );
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

		// Only the real commands: public helper methods of a command class would be listed too, and
		// end in a fatal error when run.
		list( $status, $output ) = $wp( 'help smtp-port-helper' );
		$this->assertSame( 0, $status, $output );
		$this->assertMatchesRegularExpression( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output );
		preg_match( '/SUBCOMMANDS\n(.*?)\nGLOBAL PARAMETERS/s', $output, $block );
		preg_match_all( '/^ {2}([a-z_-]+) {2,}/m', $block[1], $listed );
		$this->assertSame( array( 'check', 'check-domain', 'dkim', 'outbox', 'rekey', 'send-test', 'status', 'test' ), $listed[1], $output );
		$this->assertStringNotContainsString( 'run_test', $output );
		$this->assertStringNotContainsString( 'register', $output );
	}

	public function test_rekey_without_a_usable_key_changes_nothing(): void {
		$this->save_smtp( '127.0.0.1', 587 );
		$before = $this->raw_option( Settings_Store::OPTION );
		$run    = $this->command()->run_rekey( new Key_Material( array( 'AUTH_KEY' => 'put your unique phrase here', 'SECURE_AUTH_KEY' => 'put your unique phrase here' ) ) );
		$this->assertSame( 2, $run['exit'] );
		$this->assertStringContainsString( 'SMTP_PORT_HELPER_KEY', $run['message'] );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	public function test_rekey_seals_waiting_mail_again_so_none_is_lost(): void {
		$old_box = new Secret_Box( 'constant|rekey-outbox-old-phrase' );
		$id      = ( new Outbox( $old_box ) )->add(
			'site@example.com',
			array( 'waiting@example.com' ),
			"Subject: waiting\r\n\r\nA password reset link.\r\n",
			array(
				'stage' => 'connect',
				'code'  => 0,
				'error' => 'refused',
			)
		);
		$this->assertIsInt( $id );
		$run = $this->command()->run_rekey(
			new Key_Material(
				array(
					'SMTP_PORT_HELPER_KEY'     => 'rekey-outbox-new-phrase',
					'SMTP_PORT_HELPER_OLD_KEY' => 'rekey-outbox-old-phrase',
				)
			)
		);
		$this->assertSame( 0, $run['exit'], $run['message'] );
		$this->assertContains( '1 resealed, 0 unreadable', array_column( $run['rows'], 'result' ) );
		$new_outbox = new Outbox( new Secret_Box( 'constant|rekey-outbox-new-phrase' ) );
		$this->assertSame( array( 'waiting@example.com' ), $new_outbox->find( $id )['to'] ?? null, 'the summary opens under the new key' );
		$this->assertTrue( $new_outbox->retry( $id ) );
		$this->assertTrue( $new_outbox->claim( $id, 'rekey-test' ) );
		$this->assertStringContainsString( 'A password reset link.', (string) ( $new_outbox->open_claimed( $id, 'rekey-test' )['data'] ?? '' ), 'the message opens under the new key' );
		$this->assertNull( ( new Outbox( $old_box ) )->find( $id )['to'][0] ?? null, 'and no longer under the old one' );
	}

	public function test_rekey_seals_the_dkim_key_again_and_says_what_to_do_when_neither_key_opens_it(): void {
		$scope = 'site:' . get_current_blog_id();
		$keys  = new Key_Material(
			array(
				'SMTP_PORT_HELPER_KEY'     => 'rekey-dkim-new-phrase',
				'SMTP_PORT_HELPER_OLD_KEY' => 'rekey-dkim-old-phrase',
			)
		);
		( new Dkim_Key_Store( new Secret_Box( 'constant|rekey-dkim-old-phrase' ), $scope ) )->generate( 'rekey.test', time() );
		$run = $this->command()->run_rekey( $keys );
		$this->assertSame( 0, $run['exit'], $run['message'] );
		$this->assertContains(
			array(
				'scope'  => 'DKIM key of site ' . get_current_blog_id(),
				'result' => Resealed::RESEALED,
			),
			$run['rows']
		);
		$this->assertStringContainsString( 'PRIVATE KEY', (string) ( new Dkim_Key_Store( new Secret_Box( 'constant|rekey-dkim-new-phrase' ), $scope ) )->private_key(), 'it opens under the new key' );
		$this->assertNull( ( new Dkim_Key_Store( new Secret_Box( 'constant|rekey-dkim-old-phrase' ), $scope ) )->private_key(), 'and no longer under the old one' );

		( new Dkim_Key_Store( new Secret_Box( 'constant|a-third-phrase' ), $scope ) )->generate( 'rekey.test', time() );
		$lost = $this->command()->run_rekey( $keys );
		$this->assertStringContainsString( 'wp smtp-port-helper dkim rotate', $lost['message'] );
		$this->assertStringNotContainsString( 'enter them again', $lost['message'], 'no password was lost' );
	}

	public function test_rekey_revives_an_oauth_sign_in_a_key_change_failed_and_reports_one_neither_key_opens(): void {
		$this->save_smtp(
			'127.0.0.1',
			587,
			array(
				'auth_method'         => 'oauth2',
				'username'            => 'owner@oauth.test',
				'password'            => '',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'https://login.example.com/token',
				'oauth_client_id'     => 'rekey-client',
			)
		);
		$scope    = 'site:' . get_current_blog_id();
		$settings = ( new Settings_Store() )->get();
		$old      = new Token_Store( new Secret_Box( 'constant|rekey-oauth-old-phrase' ), $scope );
		$this->assertTrue( $old->connect( $settings, 'owner@oauth.test', 'refresh-under-old-key', 'access-under-old-key', time() + 3600 ) );
		// A send between the key change and the rekey could not open the token: the connection was marked failed.
		$old->fail( Verdict::OAUTH_REFRESH_FAILED, 'The saved sign-in cannot be decrypted any more.' );

		$run = $this->command()->run_rekey(
			new Key_Material(
				array(
					'SMTP_PORT_HELPER_KEY'     => 'rekey-oauth-new-phrase',
					'SMTP_PORT_HELPER_OLD_KEY' => 'rekey-oauth-old-phrase',
				)
			)
		);
		$this->assertSame( 0, $run['exit'], $run['message'] );
		$this->assertContains(
			array(
				'scope'  => 'OAuth sign-in of site ' . get_current_blog_id(),
				'result' => Resealed::RESEALED,
			),
			$run['rows']
		);
		$new    = new Token_Store( new Secret_Box( 'constant|rekey-oauth-new-phrase' ), $scope );
		$record = $new->record_for( $settings );
		$this->assertNotNull( $record );
		$this->assertSame( Token_Store::STATE_CONNECTED, $record['state'], 'tried again at the next use' );
		$this->assertSame( 'refresh-under-old-key', $new->refresh_token( $record ) );
		$this->assertNull( $new->access_token( $record, 0 ), 'the failure dropped the access token: the next use refreshes' );

		// Neither the current key nor the former one opens it: reported, exit 1, nothing changed.
		$before = $this->raw_option( Token_Store::OPTION );
		$run    = $this->command()->run_rekey(
			new Key_Material(
				array(
					'SMTP_PORT_HELPER_KEY'     => 'rekey-oauth-other-phrase',
					'SMTP_PORT_HELPER_OLD_KEY' => 'rekey-oauth-old-phrase',
				)
			)
		);
		$this->assertSame( 1, $run['exit'], $run['message'] );
		$this->assertStringContainsString( 'OAuth', $run['message'] );
		$this->assertStringNotContainsString( 'opens those passwords', $run['message'], 'the password itself was fine' );
		$this->assertSame( $before, $this->raw_option( Token_Store::OPTION ) );
	}

	public function test_the_real_wp_cli_rekey_seals_the_password_under_a_new_key(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$new_key    = "--exec='define( \"SMTP_PORT_HELPER_KEY\", \"rekey-test-new-phrase\" );'";
		$newer_key  = "--exec='define( \"SMTP_PORT_HELPER_KEY\", \"rekey-test-newer-phrase\" ); define( \"SMTP_PORT_HELPER_OLD_KEY\", \"rekey-test-new-phrase\" );'";
		$this->with_saved_settings(
			'127.0.0.1',
			$submission,
			array(),
			function () use ( $new_key, $newer_key ): void {
				global $wpdb;
				$sealed_by_salts = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'];

				list( $status, $output ) = $this->wp( "$new_key smtp-port-helper send-test before@example.com", null, true );
				$this->assertSame( 1, $status, 'the new key does not open what the salts sealed: ' . $output );

				list( $status, $output ) = $this->wp( "$new_key smtp-port-helper rekey", null, true );
				$this->assertSame( 0, $status, $output );
				$this->assertStringContainsString( 'Success: Sealed again: 1. Already under the current key: 0. Could not be opened: 0.', $output );
				$wpdb->query( 'COMMIT' );
				wp_cache_flush();
				$sealed = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'];
				$this->assertStringStartsWith( 'v2:', $sealed );
				$this->assertNotSame( $sealed_by_salts, $sealed );
				$this->assertTrue( ( new Settings_Store() )->password_unreadable(), 'the salts no longer open it' );

				$to = 'rekeyed-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
				list( $status, $output ) = $this->wp( "$new_key smtp-port-helper send-test $to", null, true );
				$this->assertSame( 0, $status, $output );
				$this->assertSame( getenv( 'SMTP_USER' ) ?: 'test', ( new Smtp_Mailbox() )->find( $to )[0]['envelope']['user'] ?? null );

				list( $status, $output ) = $this->wp( "$new_key smtp-port-helper rekey", null, true );
				$this->assertStringContainsString( 'Already under the current key: 1.', $output );

				// Another rotation: the former constant is given as SMTP_PORT_HELPER_OLD_KEY.
				list( $status, $output ) = $this->wp( "$newer_key smtp-port-helper rekey", null, true );
				$this->assertSame( 0, $status, $output );
				$this->assertStringContainsString( 'Sealed again: 1.', $output );
				list( $status, $output ) = $this->wp( "$newer_key smtp-port-helper send-test again@example.com", null, true );
				$this->assertSame( 0, $status, $output );

				// Without the former key the password cannot be opened: reported, exit 1, kept.
				list( $status, $output ) = $this->wp( "$new_key smtp-port-helper rekey", null, true );
				$this->assertSame( 1, $status, $output );
				$this->assertStringContainsString( 'Could not be opened: 1.', $output );
				$this->assertStringNotContainsString( getenv( 'SMTP_PASS' ) ?: 'secret', $output );
			}
		);
	}

	public function test_a_host_constant_added_later_gets_no_saved_password(): void {
		$attacker = new Credential_Recorder();
		try {
			$this->with_saved_settings(
				'localhost',
				$attacker->port(),
				array( 'password' => 'saved-secret' ),
				function () use ( $attacker ): void {
					list( $status, $output ) = $this->wp( 'smtp-port-helper send-test someone@example.com', null, true );
					$this->assertSame( 'saved-secret', $attacker->logins()[0]['password'] ?? null, 'the saved host gets the password: ' . $output );

					// wp-config.php now points the same login at another host name.
					$constant                = "--exec='define( \"SMTP_PORT_HELPER_HOST\", \"127.0.0.1\" );'";
					list( $status, $output ) = $this->wp( "$constant smtp-port-helper send-test someone@example.com", null, true );
					$this->assertSame( 1, $status, $output );
					$this->assertCount( 1, $attacker->logins(), 'no login reached the constant\'s host: ' . (string) wp_json_encode( $attacker->logins() ) );
				}
			);
		} finally {
			$attacker->stop();
		}
	}
}
