<?php
/**
 * A token the SMTP server refuses before its computed expiry, on the real stack: the local
 * authorization server (oidc-provider) makes the access tokens inactive early, Postfix + Dovecot
 * refuse them by introspection, and the plugin refreshes once and sends.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * Refused token → one refresh → the login again at once; many senders refresh once; only a
 * refused refresh holds mail.
 *
 * It changes the authorization server's test settings, counts its refreshes and reads the mail
 * Postfix captured, for this suite's account only (Uses_OAuth_Stack): it runs beside the other suites.
 *
 * @group database
 */
final class OAuth_Refused_Token_Test extends Integration_Test_Case {

	use Uses_OAuth_Stack;

	protected function setUp(): void {
		parent::setUp();
		$this->use_oauth_stack();
	}

	public function test_a_token_refused_early_is_refreshed_once_and_the_mail_arrives(): void {
		$this->connect();
		$refused = $this->cached_access_token();
		$this->assertGreaterThanOrEqual( 1, $this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) )['revoked'] ?? 0, 'the server made the live token inactive an hour early' );
		$refreshes = $this->refreshes();
		$before    = self::mail_files();

		$subject = 'Password reset ' . wp_generate_password( 8, false );
		$this->assertTrue( wp_mail( 'someone@oauth.test', $subject, 'Body' ) );

		$this->assertSame( $refreshes + 1, $this->refreshes(), 'one refresh at the token endpoint' );
		$mails = $this->captured( $before, 1 );
		$this->assertCount( 1, $mails, 'the message arrived, once' );
		$this->assertStringContainsString( $subject, $mails[0] );
		$this->assertStringContainsString( 'Authenticated sender: ' . self::ACCOUNT, $mails[0] );
		$counts = ( new Outbox() )->counts();
		$this->assertSame( 0, $counts[ Outbox::HELD ] + $counts[ Outbox::QUEUED ], 'nothing held or waiting: ' . wp_json_encode( $counts ) );
		$this->assertNotSame( $refused, $this->cached_access_token(), 'the new token is cached' );
		$this->assertSame( 'connected', ( new OAuth_Connection( new Settings_Store() ) )->tokens()->connection( ( new Settings_Store() )->get() )['state'] );

		// The next message uses the refreshed token: no other refresh.
		$this->assertTrue( wp_mail( 'someone@oauth.test', $subject . ' again', 'Body' ) );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'the refreshed token is used while it lives' );
	}

	public function test_the_outbox_run_refreshes_a_refused_token_once_and_delivers(): void {
		global $wpdb;
		$this->connect();
		$queue = new Mail_Queue( new Outbox() );
		// A message kept while no port answered, due now.
		$id = ( new Outbox() )->add(
			self::ACCOUNT,
			array( 'someone@oauth.test' ),
			"Subject: Kept while down\r\nFrom: " . self::ACCOUNT . "\r\n\r\nBody\r\n",
			array(
				'stage' => 'connect',
				'code'  => 0,
				'error' => 'no port answered',
			)
		);
		$this->assertIsInt( $id );
		$wpdb->update( \SmtpPortHelper\Outbox\Outbox_Table::name(), array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
		$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
		$refreshes = $this->refreshes();
		$before    = self::mail_files();

		$stats = ( new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue ) )->run();

		$this->assertSame( array( 1, 0 ), array( $stats['delivered'], $stats['held'] ), (string) wp_json_encode( $stats ) );
		$this->assertSame( $refreshes + 1, $this->refreshes() );
		$this->assertCount( 1, $this->captured( $before, 1 ) );
	}

	public function test_a_refused_refresh_holds_the_mail_with_the_providers_words(): void {
		$this->connect();
		// Consent withdrawn: the live access token is inactive and the refresh token gives invalid_grant.
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
		$refreshes = $this->refreshes();

		$this->assertTrue( wp_mail( 'someone@oauth.test', 'Held', 'Body' ), 'kept in the outbox' );

		$this->assertSame( $refreshes, $this->refreshes(), 'the refresh was refused' );
		$this->assertSame( 1, ( new Outbox() )->counts()[ Outbox::HELD ] );
		$connection = ( new OAuth_Connection( new Settings_Store() ) )->tokens()->connection( ( new Settings_Store() )->get() );
		$this->assertSame( Token_Store::STATE_FAILED, $connection['state'] );
		$this->assertStringContainsString( 'invalid_grant', $connection['message'] );
	}

	public function test_many_senders_with_a_refused_token_refresh_once(): void {
		global $wpdb;
		$this->connect();
		$wpdb->query( 'COMMIT' ); // The WP-CLI processes below see the connection.
		try {
			$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
			$refreshes = $this->refreshes();
			$before    = self::mail_files();
			$wp_load   = ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: dirname( __DIR__, 3 ) . '/.run/wp' ) . '/wp-load.php';
			$processes = array();
			$outputs   = array();
			for ( $i = 0; $i < 4; $i++ ) {
				// Four requests of the site at once, each sending with the refused token it finds cached.
				$code        = sprintf( 'require %s; echo wp_mail( "someone@oauth.test", "Burst %d", "Body" ) ? "sent" : "failed";', var_export( $wp_load, true ), $i ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export
				$processes[] = proc_open(
					array( PHP_BINARY, '-d', 'error_reporting=' . ( E_ALL & ~E_DEPRECATED ), '-r', $code ),
					array(
						1 => array( 'pipe', 'w' ),
						2 => array( 'pipe', 'w' ),
					),
					$pipes,
					null,
					array( 'SMTP_PORT_HELPER_TABLE_PREFIX' => 'wptests_' ) + getenv()
				);
				$outputs[]   = $pipes;
			}
			foreach ( $processes as $i => $process ) {
				$out = stream_get_contents( $outputs[ $i ][1] );
				$err = stream_get_contents( $outputs[ $i ][2] );
				proc_close( $process );
				$this->assertSame( 'sent', trim( (string) $out ), (string) $err );
			}
			$this->assertSame( $refreshes + 1, $this->refreshes(), 'four senders, one refresh' );
			$this->assertCount( 4, $this->captured( $before, 4 ), 'every message arrived' );
			$this->assertSame( 0, (int) $wpdb->get_var( $wpdb->prepare( 'SELECT COUNT(*) FROM ' . \SmtpPortHelper\Outbox\Outbox_Table::name() . ' WHERE status = %s', Outbox::HELD ) ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
		} finally {
			delete_option( Token_Store::OPTION );
			delete_option( Token_Store::ACCESS_OPTION );
			delete_option( \SmtpPortHelper\Plugin::SETTINGS_OPTION );
			$wpdb->query( 'DELETE FROM ' . \SmtpPortHelper\Outbox\Outbox_Table::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$wpdb->query( 'DELETE FROM ' . $wpdb->prefix . \SmtpPortHelper\Stored_Names::OUTBOX_RECIPIENTS_TABLE ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
