<?php
/**
 * The outbox seen and handled by a person: REST routes, Site Health, the admin notice, WP-CLI.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\REST\Outbox_Schema;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * @group database
 */
final class Outbox_Rest_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/outbox';

	/** @var list<int> */
	private array $queued = array();

	protected function setUp(): void {
		parent::setUp();
		$this->queued = array();
		add_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
	}

	protected function tearDown(): void {
		remove_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
		parent::tearDown();
	}

	public function record_queued( int $id ): void {
		$this->queued[] = $id;
	}

	/**
	 * A message queued because the saved port is closed.
	 */
	private function queue_one( string $subject, string $body = 'x' ): int {
		$this->save_smtp( '127.0.0.1', 1 );
		$errors = array();
		$spy    = static function ( $e ) use ( &$errors ): void {
			$errors[] = $e->get_error_message();
		};
		add_action( 'wp_mail_failed', $spy );
		$sent = wp_mail( array( 'reader@example.com' ), $subject, $body );
		remove_action( 'wp_mail_failed', $spy );
		$this->assertTrue( $sent, implode( ' ', $errors ) . $GLOBALS['wpdb']->last_error );
		return (int) end( $this->queued );
	}

	public function test_the_admin_lists_the_outbox_without_any_body(): void {
		$subject = 'listed ' . wp_generate_password( 10, false );
		$id      = $this->queue_one( $subject, 'the reset token 4711-secret' );
		$this->log_in_as( 'administrator' );

		$response = $this->rest( 'GET', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$json = (string) wp_json_encode( $data );
		$this->assertStringNotContainsString( '4711-secret', $json, 'the body never reaches the browser' );
		$this->assertStringNotContainsString( 'v2:', $json, 'nor anything sealed' );
		$entry = array_values( array_filter( $data['messages'], static fn( array $m ): bool => $m['id'] === $id ) )[0];
		$this->assertSame( array( 'reader@example.com' ), $entry['to'] );
		$this->assertSame( $subject, $entry['subject'] );
		$this->assertSame( Outbox::QUEUED, $entry['status'] );
		$this->assertSame( 1, $entry['attempts'] );
		$this->assertSame( 'connect', $entry['stage'] );
		$this->assertStringContainsString( 'retried automatically', $entry['explanation'] );
		$this->assertGreaterThan( time(), $entry['next_attempt_at'] );
		$this->assertEqualsCanonicalizing( Outbox_Schema::entry()['required'], array_keys( $entry ), 'exactly the schema\'s fields' );
		$this->assertSame( 1, $data['counts'][ Outbox::QUEUED ] );
	}

	public function test_only_administrators_reach_the_outbox(): void {
		$id = $this->queue_one( 'private ' . wp_generate_password( 8, false ) );
		$this->assertSame( 401, $this->rest( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 401, $this->rest( 'DELETE', self::ROUTE . '/' . $id )->get_status() );
		foreach ( array( 'editor', 'subscriber' ) as $role ) {
			$this->log_in_as( $role );
			$this->assertSame( 403, $this->rest( 'GET', self::ROUTE )->get_status(), $role );
			$this->assertSame( 403, $this->rest( 'POST', self::ROUTE . '/' . $id . '/retry' )->get_status(), $role );
			$this->assertSame( 403, $this->rest( 'DELETE', self::ROUTE . '/' . $id )->get_status(), $role );
		}
		$this->assertNotNull( ( new Outbox() )->find( $id ), 'nothing changed' );
	}

	public function test_retry_now_delivers_once_the_settings_are_fixed(): void {
		$subject = 'retry now ' . wp_generate_password( 10, false );
		$id      = $this->queue_one( $subject );
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );

		$response = $this->rest( 'POST', self::ROUTE . '/' . $id . '/retry' );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame(
			array(
				'delivered' => true,
				'message'   => null,
			),
			$response->get_data()
		);
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $subject ), 'delivered exactly once' );
		$this->assertSame( 404, $this->rest( 'POST', self::ROUTE . '/' . $id . '/retry' )->get_status(), 'gone once delivered' );
	}

	public function test_delete_removes_a_message_and_bad_ids_are_refused(): void {
		$id = $this->queue_one( 'delete me ' . wp_generate_password( 8, false ) );
		$this->log_in_as( 'administrator' );

		$response = $this->rest( 'DELETE', self::ROUTE . '/' . $id );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame(
			array(
				'deleted' => true,
				'id'      => $id,
			),
			$response->get_data()
		);
		$this->assertNull( ( new Outbox() )->find( $id ) );
		$this->assertSame( 'smtp_port_helper_outbox_not_found', $this->rest( 'DELETE', self::ROUTE . '/' . $id )->get_data()['code'] );
		$this->assertSame( 404, $this->rest( 'DELETE', self::ROUTE . '/' . $id )->get_status() );
		$this->assertSame( 400, $this->rest( 'DELETE', self::ROUTE . '/0' )->get_status(), 'id 0 is not an id' );
		$this->assertSame( 404, $this->rest( 'DELETE', self::ROUTE . '/abc' )->get_status(), 'no such route' );
		$request = new \WP_REST_Request( 'GET', self::ROUTE );
		$request->set_query_params( array( 'per_page' => 0 ) );
		$this->assertSame( 400, rest_get_server()->dispatch( $request )->get_status(), 'per_page is checked' );
	}

	public function test_site_health_and_the_notice_say_when_mail_waits_is_held_or_failed_and_when_it_drained(): void {
		$health = $this->health();
		$this->log_in_as( 'administrator' );
		delete_option( Outbox_Health::LATE_OPTION );
		$this->assertSame( 'good', $health->test()['status'] );
		$this->assertSame( '', $this->notice( $health ) );

		$id = $this->queue_one( 'health ' . wp_generate_password( 8, false ) );
		$this->assertSame( 'recommended', $health->test()['status'] );
		$this->assertStringContainsString( '1 message could not be handed', $this->notice( $health ) );

		global $wpdb;
		$wpdb->update( Outbox_Table::name(), array( 'status' => Outbox::HELD ), array( 'id' => $id ) );
		$this->assertSame( 'critical', $health->test()['status'] );
		$this->assertStringContainsString( 'refused the login', $health->test()['label'] );

		$wpdb->update( Outbox_Table::name(), array( 'status' => Outbox::FAILED ), array( 'id' => $id ) );
		$this->assertSame( 'critical', $health->test()['status'] );
		$this->assertStringContainsString( 'could not be delivered', $health->test()['label'] );

		// Delivered late after all: the queue drained, the notice says so once.
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		$this->assertTrue( $this->manager()->retry( $id )['delivered'] );
		$this->assertSame( 'good', $health->test()['status'] );
		$this->assertStringContainsString( '1 message was delivered late', $this->notice( $health ) );
		$this->assertSame( '', $this->notice( $health ), 'said once' );
	}

	public function test_the_notice_links_administrators_to_the_outbox_view_whose_counts_the_page_gets(): void {
		$health = $this->health();
		$page   = new Settings_Page( SMTP_PORT_HELPER_FILE );
		$this->log_in_as( 'administrator' );
		$this->assertSame( 0, array_sum( $page->boot_data()['outboxCounts'] ), 'an empty outbox: the page loads no Outbox view' );

		$id = $this->queue_one( 'notice link ' . wp_generate_password( 8, false ) );

		$notice = $this->notice( $health );
		$this->assertStringContainsString( sprintf( '<a href="%s">Open the outbox</a>', esc_url( admin_url( 'options-general.php?page=smtp-port-helper#outbox' ) ) ), $notice );
		$this->assertStringContainsString( 'outbox', $health->test()['actions'] );
		$boot = $page->boot_data();
		$this->assertSame( 1, $boot['outboxCounts'][ Outbox::QUEUED ], 'the page knows a message waits' );
		$this->assertTrue( rest_validate_value_from_schema( $boot, Settings_Page::boot_data_schema(), 'boot' ) );

		global $wpdb;
		$wpdb->update( Outbox_Table::name(), array( 'status' => Outbox::FAILED ), array( 'id' => $id ) );
		$this->assertStringContainsString( 'page=smtp-port-helper#outbox', $this->notice( $health ), 'failed mail links there too' );
		$this->assertSame( 1, $page->boot_data()['outboxCounts'][ Outbox::FAILED ] );

		$this->log_in_as( 'editor' );
		$this->assertSame( '', $this->notice( $health ), 'only for those who manage the site' );
	}

	public function test_the_privacy_tools_export_and_erase_the_mail_of_an_address(): void {
		$mine   = $this->queue_one( 'privacy ' . wp_generate_password( 8, false ) );
		$this->save_smtp( '127.0.0.1', 1 );
		$this->assertTrue( wp_mail( 'someone-else@example.com', 'not mine', 'x' ) );
		$theirs = (int) end( $this->queued );

		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$export    = call_user_func( $exporters['smtp-port-helper-outbox']['callback'], 'Reader@Example.com', 1 );
		$this->assertTrue( $export['done'] );
		$this->assertSame( array( 'smtp-port-helper-outbox-' . $mine ), array_column( $export['data'], 'item_id' ) );
		$this->assertSame( 'reader@example.com', $export['data'][0]['data'][0]['value'] );

		$erasers = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		$erased  = call_user_func( $erasers['smtp-port-helper-outbox']['callback'], 'reader@example.com', 1 );
		$this->assertTrue( $erased['items_removed'] );
		$this->assertFalse( $erased['items_retained'] );
		$this->assertNull( ( new Outbox() )->find( $mine ) );
		$this->assertNotNull( ( new Outbox() )->find( $theirs ), 'another person\'s mail stays' );
	}

	public function test_german_explanations(): void {
		unload_textdomain( 'smtp-port-helper' );
		$this->assertTrue( load_textdomain( 'smtp-port-helper', dirname( __DIR__, 3 ) . '/languages/smtp-port-helper-de_DE.mo' ) );
		try {
			$this->assertStringContainsString( 'automatisch', Outbox_Manager::explain( Outbox::QUEUED, 'connect', 0 ) );
			$this->assertStringContainsString( 'Anmeldung', Outbox_Manager::explain( Outbox::HELD, 'auth', 535 ) );
			$this->assertStringContainsString( 'HTTPS-API des Anbieters hat diese Nachricht endgültig abgelehnt', Outbox_Manager::explain( Outbox::FAILED, 'api', 413 ) );
		} finally {
			unload_textdomain( 'smtp-port-helper' );
		}
	}

	public function test_the_real_wp_cli_lists_runs_retries_and_deletes(): void {
		global $wpdb;
		$root = dirname( __DIR__, 3 );
		$boot = $root . '/.cache/wp-cli/vendor/wp-cli/wp-cli/php/boot-fs.php';
		if ( ! is_file( $boot ) ) {
			$this->markTestSkipped( 'WP-CLI is not installed: bash env/setup.sh wpcli' );
		}
		$previous = $this->raw_option( Settings_Store::OPTION );
		$subject  = 'cli ' . wp_generate_password( 10, false );
		$id       = $this->queue_one( $subject );
		$other    = $this->queue_one( 'cli other ' . wp_generate_password( 10, false ) );
		$wpdb->query( 'COMMIT' );
		try {
			$wp = static function ( string $args ) use ( $boot, $root ): array {
				exec( sprintf( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_ %s -d error_reporting=%d -d display_errors=stderr %s --allow-root --path=%s %s 2>&1', escapeshellarg( PHP_BINARY ), E_ALL & ~E_DEPRECATED, escapeshellarg( $boot ), escapeshellarg( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp' ), $args ), $output, $status ); // phpcs:ignore
				return array( $status, implode( "\n", $output ) );
			};
			list( $status, $output ) = $wp( 'smtp-port-helper outbox list --format=json' );
			$this->assertSame( 0, $status, $output );
			$listed = array_column( (array) json_decode( (string) strrchr( "\n" . $output, '[' ), true ), 'subject', 'id' );
			$this->assertSame( $subject, $listed[ $id ] ?? null, $output );

			list( $status, $output ) = $wp( 'smtp-port-helper outbox list --format=csv' );
			$this->assertMatchesRegularExpression( '/^id,status,to,subject,queued_at,attempts,next_attempt,error$/m', $output );

			list( $status, $output ) = $wp( 'smtp-port-helper outbox delete ' . $other );
			$this->assertSame( 0, $status, $output );
			list( $status, $output ) = $wp( 'smtp-port-helper outbox delete ' . $other );
			$this->assertSame( 1, $status, $output );
			$this->assertStringContainsString( "There is no message $other", $output );
			list( $status, $output ) = $wp( 'smtp-port-helper outbox retry abc' );
			$this->assertSame( 1, $status, $output );

			list( $status, $output ) = $wp( 'smtp-port-helper outbox retry ' . $id );
			$this->assertSame( 1, $status, 'still no server on port 1: ' . $output );
			$this->assertStringContainsString( 'retried automatically', $output );

			$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
			$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
			$wpdb->query( 'COMMIT' );
			list( $status, $output ) = $wp( 'smtp-port-helper outbox run' );
			$this->assertSame( 0, $status, $output );
			$this->assertStringContainsString( 'Delivered: 1', $output );
			$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $subject ) );
		} finally {
			$wpdb->query( $wpdb->prepare( 'DELETE FROM ' . Outbox_Table::name() . ' WHERE id IN ( %d, %d )', $id, $other ) ); // phpcs:ignore
			if ( null === $previous ) {
				delete_option( Settings_Store::OPTION );
			} else {
				update_option( Settings_Store::OPTION, maybe_unserialize( $previous ) );
			}
			delete_option( Outbox_Health::LATE_OPTION );
			wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
			$wpdb->query( 'COMMIT' );
		}
	}

	private function manager(): Outbox_Manager {
		$queue = new Mail_Queue( new Outbox() );
		return new Outbox_Manager(
			new Outbox(),
			static fn(): Outbox_Runner => new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue )
		);
	}

	private function health(): Outbox_Health {
		return new Outbox_Health( $this->manager() );
	}

	private function notice( Outbox_Health $health ): string {
		ob_start();
		$health->notice();
		return (string) ob_get_clean();
	}
}
