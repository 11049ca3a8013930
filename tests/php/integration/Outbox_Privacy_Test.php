<?php
/**
 * The privacy tools and the outbox: an export or erasure for an address finds the messages
 * addressed to that whole address (any letter case), never a message that merely contains it —
 * `hn@example.com` is not `john@example.com` — page by page, without the address readable in
 * the database.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Budget;
use SmtpPortHelper\Outbox\Outbox_Privacy;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Secrets\Secret_Box;

/**
 * @group database
 */
final class Outbox_Privacy_Test extends Integration_Test_Case {

	/** @var list<int> */
	private array $queued = array();

	protected function setUp(): void {
		parent::setUp();
		$this->queued = array();
		add_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
		$this->save_smtp( '127.0.0.1', 1 ); // A closed port: every message waits in the outbox.
	}

	protected function tearDown(): void {
		remove_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
		parent::tearDown();
	}

	public function record_queued( int $id ): void {
		$this->queued[] = $id;
	}

	/**
	 * Sends through wp_mail() while the server is down; the message waits.
	 *
	 * @param string|list<string> $to
	 */
	private function queue( $to, string $subject, string $body = 'x', array $headers = array() ): int {
		$this->assertTrue( wp_mail( $to, $subject, $body, $headers ) );
		return (int) end( $this->queued );
	}

	/**
	 * @return array{data: list<array<string, mixed>>, done: bool}
	 */
	private static function export( string $email, int $page = 1 ): array {
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		return call_user_func( $exporters[ Outbox_Privacy::KEY ]['callback'], $email, $page );
	}

	/**
	 * @return array{items_removed: bool, items_retained: bool, messages: list<string>, done: bool}
	 */
	private static function erase( string $email, int $page = 1 ): array {
		$erasers = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		return call_user_func( $erasers[ Outbox_Privacy::KEY ]['callback'], $email, $page );
	}

	/**
	 * @param array{data: list<array<string, mixed>>} $export
	 * @return list<int>
	 */
	private static function exported_ids( array $export ): array {
		return array_map(
			static function ( array $item ): int {
				return (int) substr( $item['item_id'], strlen( Outbox_Privacy::KEY . '-' ) );
			},
			$export['data']
		);
	}

	public function test_an_export_for_hn_never_contains_johns_mail(): void {
		$john    = $this->queue( 'john@example.com', 'for john ' . wp_generate_password( 8, false ), "Hello John, write to hn@example.com's friend" );
		$mention = $this->queue( 'someone@example.com', 'mentions hn@example.com in the subject', 'and hn@example.com in the body' );
		$hn      = $this->queue( 'hn@example.com', 'for hn ' . wp_generate_password( 8, false ) );

		$export = self::export( 'hn@example.com' );

		$this->assertTrue( $export['done'] );
		$this->assertSame( array( $hn ), self::exported_ids( $export ), 'only the message addressed to hn@example.com' );
		$json = (string) wp_json_encode( $export );
		$this->assertStringNotContainsString( 'john@example.com', $json );
		$this->assertStringNotContainsString( 'for john', $json );
		$this->assertSame( array( $john ), self::exported_ids( self::export( 'john@example.com' ) ) );
		$this->assertNotContains( $mention, self::exported_ids( self::export( 'hn@example.com' ) ), 'an address in the text is not a recipient' );
	}

	public function test_erasing_hn_keeps_johns_mail(): void {
		$john = $this->queue( 'john@example.com', 'for john' );
		$hn   = $this->queue( 'hn@example.com', 'for hn' );
		$both = $this->queue( array( 'john@example.com', 'hn@example.com' ), 'for both' );

		$erased = self::erase( 'hn@example.com' );

		$this->assertTrue( $erased['items_removed'] );
		$this->assertFalse( $erased['items_retained'] );
		$this->assertTrue( $erased['done'] );
		$this->assertNotNull( ( new Outbox() )->find( $john ), 'John\'s waiting mail is kept' );
		$this->assertNull( ( new Outbox() )->find( $hn ) );
		$this->assertNull( ( new Outbox() )->find( $both ), 'a message addressed to hn too is erased' );
		$this->assertSame( array( $john ), self::exported_ids( self::export( 'john@example.com' ) ) );
	}

	public function test_the_whole_address_matches_in_any_letter_case_and_only_the_requesters_address_is_exported(): void {
		$upper = $this->queue( 'HN@Example.COM', 'stored in capitals' );
		$bcc   = $this->queue( 'hn@example.com', 'with a blind copy', 'x', array( 'Bcc: secret-watcher@example.com' ) );

		$export = self::export( ' Hn@EXAMPLE.com ' );

		$this->assertSame( array( $upper, $bcc ), self::exported_ids( $export ) );
		$this->assertSame( 'Recipient', $export['data'][0]['data'][0]['name'] );
		$this->assertSame( 'HN@Example.COM', $export['data'][0]['data'][0]['value'], 'the address as it was sent' );
		$this->assertStringNotContainsString( 'secret-watcher', (string) wp_json_encode( $export ), 'another recipient, a Bcc among them, is not the requester\'s data' );
		$this->assertSame( array( $bcc ), self::exported_ids( self::export( 'Secret-Watcher@example.com' ) ), 'a Bcc recipient finds the message too' );
		$this->assertSame( array(), self::exported_ids( self::export( 'n@example.com' ) ) );
		$this->assertSame( array(), self::exported_ids( self::export( 'example.com' ) ) );
		$this->assertSame( array(), self::exported_ids( self::export( '' ) ) );
	}

	public function test_the_address_is_not_readable_in_the_database(): void {
		global $wpdb;
		$this->queue( 'hn@example.com', 'sealed' );
		$rows = (string) wp_json_encode( $wpdb->get_results( 'SELECT * FROM ' . Outbox_Table::recipients_name(), ARRAY_A ) ); // phpcs:ignore
		$this->assertStringNotContainsString( 'hn@example.com', $rows );
		$this->assertStringNotContainsString( hash( 'sha256', 'hn@example.com' ), $rows, 'not a plain hash a guess could be checked against' );
		$this->assertStringNotContainsString( md5( 'hn@example.com' ), $rows );
		$this->assertStringNotContainsString( 'hn@example.com', (string) wp_json_encode( $wpdb->get_results( 'SELECT * FROM ' . Outbox_Table::name(), ARRAY_A ) ) ); // phpcs:ignore
	}

	public function test_a_large_outbox_is_exported_and_erased_page_by_page(): void {
		$outbox  = new Outbox();
		$budget  = new Outbox_Budget( 1000, Outbox_Budget::BYTES, 1000 );
		$failure = array(
			'stage' => 'connect',
			'code'  => 0,
			'error' => 'down',
		);
		$mine    = array();
		$johns   = array();
		for ( $i = 0; $i < 230; $i++ ) {
			$mine[] = (int) $outbox->add( 'wordpress@example.com', array( 0 === $i % 2 ? 'hn@example.com' : 'HN@example.com' ), "Subject: page test $i\r\n\r\nx", $failure, '', $budget );
			if ( 0 === $i % 10 ) {
				$johns[] = (int) $outbox->add( 'wordpress@example.com', array( 'john@example.com' ), "Subject: john $i\r\n\r\nx", $failure, '', $budget );
			}
		}
		$this->assertNotContains( 0, $mine );

		$pages    = array();
		$exported = array();
		for ( $page = 1; $page <= 10; $page++ ) {
			$export   = self::export( 'hn@example.com', $page );
			$pages[]  = count( $export['data'] );
			$exported = array_merge( $exported, self::exported_ids( $export ) );
			if ( $export['done'] ) {
				break;
			}
		}
		$this->assertSame( array( 100, 100, 30 ), $pages, 'pages of 100, done on the last' );
		$this->assertSame( $mine, $exported, 'every message once, in order' );

		$calls = 0;
		do {
			$erased = self::erase( 'hn@example.com', ++$calls );
			$this->assertLessThan( 10, $calls );
		} while ( ! $erased['done'] );
		$this->assertSame( 3, $calls );
		$this->assertSame( array(), self::exported_ids( self::export( 'hn@example.com' ) ) );
		$this->assertSame( $johns, self::exported_ids( self::export( 'john@example.com' ) ), 'John\'s 23 messages are all kept' );
	}

	public function test_a_message_being_sent_is_retained_and_reported(): void {
		global $wpdb;
		$hn = $this->queue( 'hn@example.com', 'being sent' );
		$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => 0 ), array( 'id' => $hn ) );
		$this->assertTrue( ( new Outbox() )->claim( $hn, 'runner-token' ) );

		$erased = self::erase( 'hn@example.com' );

		$this->assertFalse( $erased['items_removed'] );
		$this->assertTrue( $erased['items_retained'] );
		$this->assertTrue( $erased['done'] );
		$this->assertNotNull( ( new Outbox() )->find( $hn ) );
	}

	public function test_messages_stored_before_the_recipient_index_are_indexed_by_the_upgrade(): void {
		global $wpdb;
		$hn = $this->queue( 'hn@example.com', 'stored by version 1' );
		// What a version 1 outbox has: the message, no recipient rows.
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::recipients_name() ); // phpcs:ignore
		update_option( Plugin::OUTBOX_DB_OPTION, 1 );
		$this->assertSame( array(), self::exported_ids( self::export( 'hn@example.com' ) ) );

		Plugin::install_outbox();

		$this->assertSame( Plugin::OUTBOX_DB_VERSION, (int) get_option( Plugin::OUTBOX_DB_OPTION ) );
		$this->assertSame( array( $hn ), self::exported_ids( self::export( 'hn@example.com' ) ) );
		Plugin::install_outbox();
		$this->assertSame( 1, (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . Outbox_Table::recipients_name() ), 'indexing twice adds nothing' ); // phpcs:ignore
	}

	public function test_after_a_rekey_the_messages_are_found_under_the_new_key(): void {
		$old     = new Secret_Box( 'constant|privacy-old-phrase' );
		$new     = new Secret_Box( 'constant|privacy-new-phrase' );
		$id      = ( new Outbox( $old ) )->add(
			'wordpress@example.com',
			array( 'hn@example.com' ),
			"Subject: rekeyed\r\n\r\nx",
			array(
				'stage' => 'connect',
				'code'  => 0,
				'error' => 'down',
			)
		);
		$this->assertNotNull( $id );
		$this->assertSame( array(), ( new Outbox( $new ) )->ids_for_recipient( 'hn@example.com', 10 ), 'the hashes are keyed' );

		( new Outbox( $new ) )->rekey( $old );

		$this->assertSame( array( $id ), ( new Outbox( $new ) )->ids_for_recipient( 'hn@example.com', 10 ) );
		$this->assertSame( array(), ( new Outbox( $old ) )->ids_for_recipient( 'hn@example.com', 10 ) );
	}
}
