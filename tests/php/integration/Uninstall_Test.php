<?php
/**
 * uninstall.php leaves nothing behind: after an OAuth sign-in and a queued message, the whole
 * database holds none of the plugin's names, sealed values or tokens, and the sign-in is revoked;
 * every name the code in includes/ writes is in Stored_Names.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\OAuth\Token_Client;
use SmtpPortHelper\OAuth\Token_Error;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Full_Notice;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;

require_once __DIR__ . '/Stored_Name_Scanner.php';

/**
 * It runs beside the other suites (Suite_Lock): the scans read includes/, the uninstalls change only
 * this suite's own database, and the OAuth test signs in with this suite's own account at the shared
 * authorization server (Uses_OAuth_Stack), whose grant the uninstall revokes.
 */
final class Uninstall_Test extends Integration_Test_Case {

	use Uses_OAuth_Stack;

	public function test_every_name_the_code_writes_is_in_the_list_uninstall_removes(): void {
		$scanner = ( new Stored_Name_Scanner() )->scan_folder( dirname( __DIR__, 3 ) . '/includes' );
		$this->assertSame( array(), $scanner->problems, implode( "\n", $scanner->problems ) );
		// The scanner did find the writers (it is not reading nothing).
		foreach ( array( 'option smtp_port_helper_oauth', 'option smtp_port_helper_oauth_access', 'option smtp_port_helper_last_send', 'transient smtp_port_helper_down_*', 'cron smtp_port_helper_outbox_run', 'table smtp_port_helper_outbox', 'option smtp_port_helper_rl_*', 'option smtp_port_helper_slot_*', 'option smtp_port_helper_oauth_refresh_lock', 'option smtp_port_helper_outbox_retest', 'transient smtp_port_helper_oauth_state_*', 'network smtp_port_helper_settings' ) as $expected ) {
			$this->assertContains( $expected, $scanner->found, implode( "\n", $scanner->found ) );
		}
	}

	public function test_the_scan_fails_on_a_new_name_that_is_not_in_the_list(): void {
		$source  = <<<'PHP'
<?php
namespace SmtpPortHelper\Somewhere;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Stored_Names;

final class New_Feature {
	public function remember( int $id ): void {
		update_option( Stored_Names::LAST_SEND, 1, false );
		update_option( 'smtp_port_helper_new_thing', 1, false );
		$key = 'smtp_port_helper_new_prefix_' . $id;
		set_transient( $key, 1, 60 );
		wp_schedule_single_event( time(), 'smtp_port_helper_new_hook' );
		update_site_option( Stored_Names::OAUTH_ACCESS, 1 );
		add_user_meta( $id, 'smtp_port_helper_dismissed', 1 );
		update_option( $this->name(), 1 );
		Atomic_Option::take( 'wp_options', 'smtp_port_helper_new_lock', 1, 0 );
		Atomic_Option::take( 'wp_options', Stored_Names::OAUTH_REFRESH_LOCK, 1, 0 );
	}
}
PHP;
		$scanner = ( new Stored_Name_Scanner() )->scan_source( $source, 'New_Feature.php' );
		$this->assertSame( array( 'option smtp_port_helper_last_send', 'option smtp_port_helper_oauth_refresh_lock' ), $scanner->found );
		$this->assertCount( 7, $scanner->problems, implode( "\n", $scanner->problems ) );
		$report = implode( "\n", $scanner->problems );
		foreach ( array( "option 'smtp_port_helper_new_thing'", "transient prefix 'smtp_port_helper_new_prefix_'", "cron 'smtp_port_helper_new_hook'", "network 'smtp_port_helper_oauth_access'", "user meta 'smtp_port_helper_dismissed'", 'cannot tell which name `$this->name()`', "option 'smtp_port_helper_new_lock'" ) as $expected ) {
			$this->assertStringContainsString( $expected, $report );
		}
	}

	/**
	 * Runs support/plugin-lifecycle.php: WordPress's own deactivation, uninstall or activation.
	 *
	 * @param string $action  deactivate, uninstall or activate.
	 * @param string ...$defines `NAME=value` constants for that process.
	 */
	private function plugin_lifecycle( string $action, string ...$defines ): void {
		$command = implode( ' ', array_map( 'escapeshellarg', array_merge( array( PHP_BINARY, '-d', 'error_reporting=' . ( E_ALL & ~E_DEPRECATED ), __DIR__ . '/support/plugin-lifecycle.php', $action ), $defines ) ) ) . ' 2>&1';
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec -- WordPress in a process of its own.
		$this->assertSame( array( 0, 'done' ), array( $status, (string) end( $output ) ), "$action: " . implode( "\n", $output ) );
	}

	/**
	 * Every place in this site's tables (names and every column of every row) where a needle occurs.
	 *
	 * @param string[] $needles What must not be there.
	 * @return string[] "table.column: needle".
	 */
	private function whole_database_holds( array $needles ): array {
		global $wpdb;
		$found  = array();
		$tables = $wpdb->get_col( $wpdb->prepare( 'SHOW TABLES LIKE %s', $wpdb->esc_like( $wpdb->base_prefix ) . '%' ) );
		$this->assertContains( $wpdb->options, $tables );
		foreach ( $tables as $table ) {
			foreach ( $needles as $needle ) {
				if ( false !== stripos( $table, $needle ) ) {
					$found[] = "table name $table: $needle";
				}
			}
			foreach ( $wpdb->get_col( "SHOW COLUMNS FROM `$table`" ) as $column ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
				foreach ( $needles as $needle ) {
					// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- names from SHOW TABLES / SHOW COLUMNS.
					$rows = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM `$table` WHERE CAST(`$column` AS BINARY) LIKE CAST(%s AS BINARY)", '%' . $wpdb->esc_like( $needle ) . '%' ) );
					if ( $rows > 0 ) {
						$found[] = "$table.$column: $needle";
					}
				}
			}
		}
		return $found;
	}

	public function test_after_an_oauth_sign_in_and_a_queued_message_uninstall_revokes_the_sign_in_and_the_database_holds_nothing_of_the_plugin(): void {
		global $wpdb;
		if ( false === @file_get_contents( self::ISSUER . '/test/health' ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- is the stack's server up?
			$this->markTestSkipped( 'The local authorization server is not running (bash env/stack.sh start).' );
		}
		$this->token_js( 'access-token-ttl', '3600' );
		// Nothing listens on port 1: the message cannot leave and waits in the outbox.
		$this->save_smtp(
			'127.0.0.1',
			1,
			array(
				'encryption'          => 'starttls',
				'auth_method'         => 'oauth2',
				'username'            => self::ACCOUNT,
				'password'            => 'smtp password left over',
				'from_email'          => self::ACCOUNT,
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => self::ISSUER . '/authorize',
				'oauth_token_url'     => self::ISSUER . '/token',
				'oauth_scope'         => 'smtp openid email',
				'oauth_client_id'     => self::CLIENT_ID,
				'oauth_client_secret' => self::CLIENT_SECRET,
			)
		);
		$user_id = $this->log_in_as( 'administrator' );
		try {
			// The sign-in as a person does it: Connect, sign in and allow at the provider, back to the page.
			$started = $this->rest( 'POST', '/smtp-port-helper/v1/oauth/authorize' );
			$this->assertSame( 200, $started->get_status(), (string) wp_json_encode( $started->get_data() ) );
			parse_str( (string) wp_parse_url( $this->token_js( 'approve', $started->get_data()['authorize_url'] ), PHP_URL_QUERY ), $back );
			$outcome = ( new OAuth_Callback( new OAuth_Connection( new Settings_Store() ) ) )->handle(
				array(
					'code'  => (string) ( $back['code'] ?? '' ),
					'state' => (string) ( $back['state'] ?? '' ),
				)
			);
			$this->assertTrue( $outcome['ok'], $outcome['message'] );
			$store   = ( new OAuth_Connection( new Settings_Store() ) )->tokens();
			$record  = $store->record_for( ( new Settings_Store() )->get() );
			$refresh = null === $record ? null : $store->refresh_token( $record );
			$access  = null === $record ? null : $store->access_token( $record, 0 );
			$this->assertNotNull( $refresh );
			$this->assertNotNull( $access );

			$recipient = 'leftover-' . strtolower( wp_generate_password( 10, false ) ) . '@example.com';
			$subject   = 'Left behind? ' . wp_generate_password( 12, false );
			$waiting   = ( new Outbox() )->counts()[ Outbox::QUEUED ];
			$this->assertTrue( wp_mail( $recipient, $subject, 'Body' ), 'kept in the outbox' );
			$this->assertSame( $waiting + 1, ( new Outbox() )->counts()[ Outbox::QUEUED ], 'the message waits' );
			$this->assertNotFalse( wp_next_scheduled( Stored_Names::OUTBOX_CRON ) );

			// Everything the plugin stored, as stored: the names, the sealed values, the tokens, the message.
			$settings = (array) get_option( Stored_Names::SETTINGS );
			$needles  = array( Stored_Names::PREFIX, $refresh, $access, self::CLIENT_SECRET, 'smtp password left over', $recipient, $subject );
			foreach ( array( Stored_Names::OAUTH_TOKENS, Stored_Names::OAUTH_ACCESS, Stored_Names::LAST_SEND ) as $option ) {
				$this->assertNotNull( $this->raw_option( $option ), "$option is stored before the uninstall" );
			}
			$needles[] = (string) ( $store->record()['refresh'] ?? '' );
			$needles[] = (string) ( get_option( Stored_Names::OAUTH_ACCESS )['token'] ?? '' );
			$needles[] = (string) ( $settings['password'] ?? '' );
			$needles[] = (string) ( $settings['oauth_client_secret'] ?? '' );
			$this->assertNotContains( '', $needles );
			$this->assertNotSame( array(), $this->whole_database_holds( $needles ), 'the search finds what is stored' );

			// WordPress's own deactivation and uninstall (Plugins → Delete runs uninstall_plugin()),
			// each in a process of its own as on a real site. The generic profile has no revocation
			// endpoint; the constant gives it the local server's, as Google's fixed one would be.
			$wpdb->query( 'COMMIT' );
			$this->plugin_lifecycle( 'deactivate' );
			$this->plugin_lifecycle( 'uninstall', 'SMTP_PORT_HELPER_OAUTH_REVOKE_URL=' . self::ISSUER . '/token/revocation' );
			wp_cache_flush();

			$this->assertSame( array(), $this->whole_database_holds( $needles ) );
			try {
				( new Token_Client( Address_Policy::administrator() ) )->refresh( new Provider_Profile( 'generic', '', self::ISSUER . '/token', '', '' ), self::CLIENT_ID, self::CLIENT_SECRET, $refresh, '' );
				$this->fail( 'the refresh token still works after the uninstall' );
			} catch ( Token_Error $error ) {
				$this->assertSame( 'invalid_grant', $error->error(), 'revoked at the provider' );
			}
		} finally {
			delete_option( Stored_Names::SETTINGS );
			delete_option( Stored_Names::LAST_SEND );
			( new Token_Store( null, '' ) )->forget();
			$wpdb->query( 'TRUNCATE TABLE ' . Outbox_Table::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared, WordPress.DB.DirectDatabaseQuery
			wp_unschedule_hook( Stored_Names::OUTBOX_CRON );
			require_once ABSPATH . 'wp-admin/includes/user.php';
			wp_delete_user( $user_id );
			$wpdb->query( 'COMMIT' );
			wp_cache_flush();
			$this->plugin_lifecycle( 'activate' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}

	public function test_everything_the_plugin_stored_is_removed(): void {
		global $wpdb;
		// uninstall.php drops the outbox table, and DDL commits: this test commits on purpose and
		// puts back what it changed (the table, its own option) in the end.
		try {
			$this->save_smtp( '127.0.0.1', 587 );
			( new Port_Memory() )->remember_down( '127.0.0.1', 1 );
			( new Port_Memory() )->remember_working( '127.0.0.1', 2525 );
			add_option( Port_Retest::OPTION, (string) time(), '', false );
			Recovery_Notice::begin( time() );
			add_option( Outbox_Health::LATE_OPTION, 3, '', false );
			add_option( Outbox_Full_Notice::OPTION, array( 'refused' => 1 ), '', false );
			add_option( 'smtp_port_helper_rl_test_email_1_99', '3', '', false );
			add_option( 'smtp_port_helper_slot_connections_2', '99|held', '', false );
			add_option( 'unrelated_option_kept', 'x' );
			$this->assertSame( Outbox_Table::name(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ) );
			$this->assertSame( Outbox_Table::recipients_name(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::recipients_name() ) ) );

			if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
				define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
			}
			include dirname( __DIR__, 3 ) . '/uninstall.php';
			wp_cache_flush();

			$this->assertNull( $this->raw_option( Settings_Store::OPTION ) );
			$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::key( '127.0.0.1', 1 ) ) );
			$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::WORKING_PREFIX . md5( '127.0.0.1' ) ) );
			foreach ( array( Port_Retest::OPTION, Recovery_Notice::OPTION, Outbox_Health::LATE_OPTION, Outbox_Full_Notice::OPTION ) as $option ) {
				$this->assertNull( $this->raw_option( $option ), $option );
			}
			$this->assertNull( $this->raw_option( 'smtp_port_helper_rl_test_email_1_99' ) );
			$this->assertNull( $this->raw_option( 'smtp_port_helper_slot_connections_2' ), 'a slot a killed request never gave back' );
			$this->assertNull( $this->raw_option( Outbox_Table::VERSION_OPTION ) );
			$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ), 'the outbox table is dropped' );
			$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::recipients_name() ) ), 'and its recipient table' );
			$this->assertSame( 'x', $this->raw_option( 'unrelated_option_kept' ) );
		} finally {
			delete_option( 'unrelated_option_kept' );
			delete_option( Settings_Store::OPTION );
			Outbox_Table::install(); // Commits.
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
