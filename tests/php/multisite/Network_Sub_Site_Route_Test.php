<?php
/**
 * Mail that is not a sub-site's own never goes through a server the sub-site chose: a sub-site
 * administrator points their site at their own SMTP server (a recording server, Credential_Recorder),
 * then uses the site's lost-password flow, a test email and an outbox retry for the super admin
 * and for another site's user. That mail goes through the network's server (the stack's, read back
 * with Smtp_Mailbox) and the recording server receives nothing; the site's own people still go
 * through the site's server. The network can lock the destination for its sites altogether.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Credential_Recorder;
use SmtpPortHelper\Tests\Integration\Smtp_Mailbox;

require_once dirname( __DIR__ ) . '/integration/Credential_Recorder.php';
require_once dirname( __DIR__ ) . '/integration/Smtp_Mailbox.php';

final class Network_Sub_Site_Route_Test extends Multisite_Test_Case {

	/** self::LOCK_OPTION, spelled out so that this test runs (and fails) without it. */
	private const LOCK_OPTION = 'smtp_port_helper_lock_site_destination';

	private Credential_Recorder $attacker;

	private Smtp_Mailbox $network_mailbox;

	protected function setUp(): void {
		parent::setUp();
		switch_to_blog( $this->second_site );
		Outbox_Table::install(); // Commits (DDL): before this test writes anything.
		restore_current_blog();
		$this->attacker        = new Credential_Recorder();
		$this->network_mailbox = new Smtp_Mailbox();
		delete_site_option( self::LOCK_OPTION );
		$this->save_network_defaults( Smtp_Mailbox::port( 2 ) );
		// The attacker's server stands on loopback here; on a real network it is a public address,
		// which sub-site administrators may use: open loopback and its port for sites in this test.
		$port = $this->attacker->port();
		add_filter( 'smtp_port_helper_sites_may_use_internal_addresses', '__return_true' );
		add_filter(
			'smtp_port_helper_site_administrator_ports',
			static function ( array $ports ) use ( $port ): array {
				return array_merge( $ports, array( $port ) );
			}
		);
	}

	protected function tearDown(): void {
		$this->attacker->stop();
		delete_site_option( self::LOCK_OPTION );
		remove_all_filters( self::LOCK_OPTION );
		parent::tearDown();
	}

	/**
	 * The network's defaults, as a super admin sets them: the stack's submission server.
	 */
	private function save_network_defaults( int $port ): void {
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled'    => true,
				'host'       => '127.0.0.1',
				'port'       => $port,
				'encryption' => 'starttls',
				'auth'       => true,
				'username'   => getenv( 'SMTP_USER' ) ?: 'test',
				'password'   => getenv( 'SMTP_PASS' ) ?: 'secret',
				'timeout'    => 3,
			)
		);
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
	}

	/**
	 * A new administrator of the second site (not a super admin) points the site at their own
	 * server through the settings route, and stays logged in on that site.
	 */
	private function sub_site_admin_takes_the_site_to_their_server(): int {
		switch_to_blog( $this->second_site );
		$user_id = $this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin( $user_id ) );
		$saved = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'enabled'    => true,
				'host'       => 'localhost',
				'port'       => $this->attacker->port(),
				'encryption' => 'starttls',
				'auth'       => true,
				'username'   => 'attacker',
				'password'   => 'attacker password',
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		return $user_id;
	}

	/**
	 * A user of a site, created there (switches back to the current site).
	 *
	 * @return array{id: int, login: string, email: string}
	 */
	private function user_of_site( int $site_id, string $role ): array {
		switch_to_blog( $site_id );
		$login   = 'route_' . strtolower( wp_generate_password( 10, false ) );
		$user_id = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.com',
				'role'       => $role,
			)
		);
		restore_current_blog();
		$this->assertIsInt( $user_id );
		return array(
			'id'    => $user_id,
			'login' => $login,
			'email' => $login . '@example.com',
		);
	}

	/**
	 * A super admin of the network (a member of the main site).
	 *
	 * @return array{id: int, login: string, email: string}
	 */
	private function super_admin(): array {
		$user = $this->user_of_site( get_main_site_id(), 'administrator' );
		grant_super_admin( $user['id'] );
		$this->assertTrue( is_super_admin( $user['id'] ) );
		return $user;
	}

	/**
	 * Whether the attacker's server received anything naming the text.
	 */
	private function attacker_received( string $needle ): bool {
		foreach ( $this->attacker->messages() as $message ) {
			if ( false !== stripos( $message['data'] . ' ' . implode( ' ', $message['to'] ), $needle ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The lost-password form of the sub-site, as a visitor (WordPress's own retrieve_password()).
	 */
	private function lost_password_on_the_sub_site( string $login ): void {
		wp_set_current_user( 0 );
		$_SERVER['REMOTE_ADDR'] = '127.0.0.1'; // The reset mail names the visitor's address.
		$this->assertSame( $this->second_site, get_current_blog_id() );
		$this->assertTrue( retrieve_password( $login ) );
	}

	/**
	 * @return array<string, array{string}>
	 */
	public function foreign_users(): array {
		return array(
			'the super admin'       => array( 'super admin' ),
			'another site\'s user'  => array( 'other site' ),
			'a member of two sites' => array( 'two sites' ),
		);
	}

	/**
	 * @dataProvider foreign_users
	 */
	public function test_the_lost_password_mail_of_someone_else_never_reaches_the_sub_sites_server( string $who ): void {
		if ( 'super admin' === $who ) {
			$victim = $this->super_admin();
			$reason = 'super admin';
		} elseif ( 'other site' === $who ) {
			$victim = $this->user_of_site( get_main_site_id(), 'administrator' );
			$reason = 'not a member of this site';
		} else {
			$victim = $this->user_of_site( get_main_site_id(), 'administrator' );
			add_user_to_blog( $this->second_site, $victim['id'], 'subscriber' );
			$reason = 'also a member of another site';
		}
		$this->sub_site_admin_takes_the_site_to_their_server();

		$this->lost_password_on_the_sub_site( $victim['login'] );

		$this->assertFalse( $this->attacker_received( $victim['login'] ), 'the reset link did not reach the sub-site administrator\'s server' );
		$this->assertSame( array(), $this->attacker->messages() );
		$this->assertSame( array(), $this->attacker->logins(), 'not even a login there' );
		$arrived = $this->network_mailbox->find( 'login=' . rawurlencode( $victim['login'] ) );
		$this->assertCount( 1, $arrived, 'the reset mail went through the network\'s server' );
		$this->assertSame( array( $victim['email'] ), $arrived[0]['envelope']['rcptTo'] ?? null );

		$record = get_option( Send_Path_Recorder::OPTION );
		$this->assertSame( 'network', $record['route']['via'] );
		$this->assertStringContainsString( $reason, $record['route']['reason'] );
		$this->assertStringNotContainsString( $victim['email'], (string) wp_json_encode( $record ), 'the record names no address' );
	}

	public function test_someone_elses_mail_leaves_with_the_networks_envelope_sender_never_the_sites(): void {
		$super = $this->super_admin();
		// The site keeps the network's server but sends as a domain of its administrator: a domain
		// whose SPF and DMARC refuse every server makes the reset bounce, and the bounce (with the
		// link in it) goes to the envelope sender.
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		$saved = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'from_email'       => 'bounce-catcher@attacker.example',
				'from_name'        => 'Attacker',
				'force_from_email' => true,
				'return_path'      => true,
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );

		$this->lost_password_on_the_sub_site( $super['login'] );

		$arrived = $this->network_mailbox->find( 'login=' . rawurlencode( $super['login'] ) );
		$this->assertCount( 1, $arrived );
		$this->assertStringNotContainsString( 'attacker.example', (string) wp_json_encode( $arrived[0]['envelope'] ), 'the envelope sender is the network\'s' );
		$this->assertStringNotContainsString( 'attacker.example', (string) strstr( $arrived[0]['raw'], "\r\n\r\n", true ), 'nor the From header' );

		// The site's own member still gets the site's sender.
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		$this->lost_password_on_the_sub_site( $member['login'] );
		$own = $this->network_mailbox->find( 'login=' . rawurlencode( $member['login'] ) );
		$this->assertCount( 1, $own );
		$this->assertSame( 'bounce-catcher@attacker.example', $own[0]['envelope']['mailFrom'] ?? null );
	}

	public function test_with_the_network_sending_off_someone_elses_mail_still_gets_the_networks_sender(): void {
		$super = $this->super_admin();
		// The network names its server but sends nothing itself; the site switches sending on.
		$off = Settings_Store::for_network()->update( array( 'enabled' => false ) );
		$this->assertFalse( is_wp_error( $off ) );
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		$saved = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'enabled'          => true,
				'from_email'       => 'bounce-catcher@attacker.example',
				'force_from_email' => true,
				'return_path'      => true,
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );

		$this->lost_password_on_the_sub_site( $super['login'] );

		$arrived = $this->network_mailbox->find( 'login=' . rawurlencode( $super['login'] ) );
		$this->assertCount( 1, $arrived, 'through the network\'s server, the one the site uses' );
		$this->assertStringNotContainsString( 'attacker.example', (string) wp_json_encode( $arrived[0]['envelope'] ) );
		$this->assertStringNotContainsString( 'attacker.example', (string) strstr( $arrived[0]['raw'], "\r\n\r\n", true ) );
	}

	public function test_the_sub_sites_own_member_and_outsiders_still_go_through_the_sub_sites_server(): void {
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		$this->sub_site_admin_takes_the_site_to_their_server();

		$this->lost_password_on_the_sub_site( $member['login'] );
		$this->assertTrue( wp_mail( 'outsider@example.net', 'For an outsider ' . $member['login'], 'x' ) );

		$this->assertTrue( $this->attacker_received( 'login=' . rawurlencode( $member['login'] ) ), 'the site\'s own member: the site\'s server' );
		$this->assertTrue( $this->attacker_received( 'For an outsider ' . $member['login'] ), 'no account of the network: the site\'s server' );
		$this->assertSame( array(), $this->network_mailbox->find( $member['login'] ) );
		$this->assertSame( 'site', get_option( Send_Path_Recorder::OPTION )['route']['via'] );
	}

	public function test_one_foreign_recipient_among_own_ones_sends_the_whole_message_the_networks_way(): void {
		$super  = $this->super_admin();
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		$this->sub_site_admin_takes_the_site_to_their_server();
		$subject = 'Mixed ' . $member['login'];

		$this->assertTrue( wp_mail( $member['email'], $subject, 'x', array( 'Bcc: ' . strtoupper( $super['email'] ) ) ) );

		$this->assertFalse( $this->attacker_received( $subject ) );
		$this->assertCount( 1, $this->network_mailbox->find( $subject ) );
	}

	public function test_a_recipient_added_by_later_code_is_checked_too(): void {
		$super  = $this->super_admin();
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		$this->sub_site_admin_takes_the_site_to_their_server();
		$subject = 'Copied later ' . $member['login'];
		// A plugin that copies every message to the network's super admin, after this plugin's turn.
		$copy = static function ( $phpmailer ) use ( $super ): void {
			$phpmailer->addBcc( $super['email'] );
		};
		add_action( 'phpmailer_init', $copy, 20 );
		try {
			$this->assertTrue( wp_mail( $member['email'], $subject, 'x' ) );
		} finally {
			remove_action( 'phpmailer_init', $copy, 20 );
		}

		$this->assertFalse( $this->attacker_received( $subject ) );
		$this->assertCount( 1, $this->network_mailbox->find( $subject ) );
		$this->assertSame( 'network', get_option( Send_Path_Recorder::OPTION )['route']['via'] );
	}

	public function test_without_network_defaults_foreign_mail_uses_wordpress_own_mail(): void {
		$super = $this->super_admin();
		delete_site_option( Settings_Store::OPTION );
		$this->sub_site_admin_takes_the_site_to_their_server();

		$this->lost_password_on_the_sub_site( $super['login'] );

		$this->assertSame( array(), $this->attacker->messages() );
		$record = get_option( Send_Path_Recorder::OPTION );
		$this->assertSame( 'core', $record['route']['via'] );
		$this->assertSame( 'mail', $record['final']['mailer'], 'PHPMailer was left to WordPress' );
	}

	public function test_a_test_email_to_the_super_admin_does_not_reach_the_sub_sites_server(): void {
		$super = $this->super_admin();
		$this->sub_site_admin_takes_the_site_to_their_server();

		$response = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => $super['email'] ) );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( array(), $this->attacker->messages() );
		$this->assertSame( array(), $this->attacker->logins() );
		$this->assertCount( 1, array_filter( $this->network_mailbox->find( 'Test message from' ), static fn( array $m ): bool => array( $super['email'] ) === ( $m['envelope']['rcptTo'] ?? null ) ) );
	}

	public function test_an_outbox_retry_sends_a_message_written_for_the_network_through_the_network(): void {
		$super = $this->super_admin();
		// The network's server is down when the reset is asked for: the message waits.
		$closed = stream_socket_server( 'tcp://127.0.0.1:0' );
		$this->assertIsResource( $closed );
		$name        = (string) stream_socket_get_name( $closed, false );
		$closed_port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
		fclose( $closed );
		$this->save_network_defaults( $closed_port );
		$admin = $this->sub_site_admin_takes_the_site_to_their_server();

		$this->lost_password_on_the_sub_site( $super['login'] );
		$waiting = ( new Outbox() )->entries();
		$this->assertCount( 1, $waiting, 'the reset mail waits in the sub-site\'s outbox' );
		$this->assertSame( array( $super['email'] ), $waiting[0]['to'] );
		$this->assertSame( array(), $this->attacker->messages(), 'never tried at the sub-site\'s server' );

		// The network is back; the sub-site administrator presses "Retry now".
		restore_current_blog();
		$this->save_network_defaults( Smtp_Mailbox::port( 2 ) );
		switch_to_blog( $this->second_site );
		wp_set_current_user( $admin );
		$retry = $this->rest( 'POST', '/smtp-port-helper/v1/outbox/' . $waiting[0]['id'] . '/retry' );

		$this->assertSame( 200, $retry->get_status(), (string) wp_json_encode( $retry->get_data() ) );
		$this->assertTrue( $retry->get_data()['delivered'], (string) wp_json_encode( $retry->get_data() ) );
		$this->assertSame( array(), $this->attacker->messages(), 'the retry did not move it to the sub-site\'s server' );
		$this->assertNotContains( getenv( 'SMTP_USER' ) ?: 'test', array_column( $this->attacker->logins(), 'user' ), 'nor the network\'s login' );
		$this->assertCount( 1, $this->network_mailbox->find( 'login=' . rawurlencode( $super['login'] ) ) );
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
	}

	public function test_the_outbox_recovery_notice_to_a_super_admins_address_goes_the_networks_way(): void {
		$super  = $this->super_admin();
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		$this->sub_site_admin_takes_the_site_to_their_server();
		// The site's admin address is the super admin's (as when a super admin created the site).
		update_option( 'admin_email', $super['email'] );
		// A message for the site's member waited while the site's server was down.
		$subject = 'Waited for the site ' . $member['login'];
		$id      = ( new Outbox() )->add(
			'wordpress@127.0.0.1',
			array( $member['email'] ),
			"To: {$member['email']}\r\nSubject: {$subject}\r\n\r\nx\r\n",
			array(
				'stage' => 'connect',
				'code'  => 0,
				'error' => 'Connection refused',
			),
			Send_Route::SITE_PREFIX . ( new Settings_Store() )->server_fingerprint()
		);
		$this->assertNotNull( $id );
		\SmtpPortHelper\Outbox\Recovery_Notice::begin( time() - 300 );

		$retry = $this->rest( 'POST', '/smtp-port-helper/v1/outbox/' . $id . '/retry' );

		$this->assertTrue( $retry->get_data()['delivered'], (string) wp_json_encode( $retry->get_data() ) );
		$this->assertTrue( $this->attacker_received( $subject ), 'the site\'s own mail: the site\'s server' );
		$this->assertFalse( $this->attacker_received( 'delivered again' ), 'the notice to the super admin\'s address did not go there' );
		$notices = array_filter(
			$this->network_mailbox->find( 'delivered again' ),
			static fn( array $mail ): bool => array( $super['email'] ) === ( $mail['envelope']['rcptTo'] ?? null )
		);
		$this->assertNotEmpty( $notices, 'it went the network\'s way' );
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
	}

	public function test_a_message_written_for_the_sites_server_is_held_when_the_site_moves_to_another_server(): void {
		$member = $this->user_of_site( $this->second_site, 'subscriber' );
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		// The site's own server, down at first: a message to the site's member waits for it.
		$down = ( new Settings_Store() )->update(
			array(
				'enabled'  => true,
				'host'     => 'localhost',
				'port'     => 1,
				'auth'     => true,
				'username' => 'first-owner',
				'password' => 'first password',
				'timeout'  => 2,
			)
		);
		$this->assertFalse( is_wp_error( $down ), (string) wp_json_encode( $down ) );
		add_filter(
			'smtp_port_helper_site_administrator_ports',
			static function ( array $ports ): array {
				return array_merge( $ports, array( 1 ) );
			}
		);
		$subject = 'Written for the first server ' . $member['login'];
		$this->assertTrue( wp_mail( $member['email'], $subject, 'x' ) );
		$waiting = ( new Outbox() )->entries();
		$this->assertCount( 1, $waiting );

		// The site is then pointed at another server (another host and login), and retried.
		$moved = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'host'     => '127.0.0.1',
				'port'     => $this->attacker->port(),
				'username' => 'attacker',
				'password' => 'attacker password',
			)
		);
		$this->assertSame( 200, $moved->get_status(), (string) wp_json_encode( $moved->get_data() ) );
		$retry = $this->rest( 'POST', '/smtp-port-helper/v1/outbox/' . $waiting[0]['id'] . '/retry' );

		$this->assertSame( 200, $retry->get_status(), (string) wp_json_encode( $retry->get_data() ) );
		$this->assertFalse( $retry->get_data()['delivered'] );
		$entry = $retry->get_data()['message'];
		$this->assertSame( Outbox::HELD, $entry['status'] );
		$this->assertSame( Send_Route::HELD_STAGE, $entry['stage'] );
		$this->assertStringContainsString( 'another SMTP server', $entry['explanation'] );
		$this->assertSame( array(), $this->attacker->messages(), 'not sent to the new server' );
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );

		// Site Health names the cause: no login was refused, the message waits for its server.
		$health = ( new Outbox_Health( new Outbox_Manager( new Outbox(), static fn() => null ) ) )->test();
		$this->assertStringNotContainsString( 'refused the login', $health['label'] );
		$this->assertStringNotContainsString( 'user name or password', $health['description'] );
		$this->assertStringContainsString( 'no longer uses', $health['label'] );
		$this->assertStringContainsString( 'another SMTP server', $health['description'] );
	}

	public function test_the_network_can_lock_the_destination_of_its_sites(): void {
		$super = $this->super_admin();
		$admin = $this->sub_site_admin_takes_the_site_to_their_server();
		$this->assertSame( 403, $this->rest( 'POST', self::NETWORK_ROUTE, array( 'lock_site_destination' => true ) )->get_status(), 'only super admins set the lock' );
		$not_a_site_field = $this->rest( 'POST', self::SITE_ROUTE, array( 'lock_site_destination' => false ) );
		$this->assertSame( 400, $not_a_site_field->get_status() );
		$this->assertSame( array( 'lock_site_destination' ), array_keys( $not_a_site_field->get_data()['data']['params'] ) );
		$this->assertFalse( (bool) get_site_option( self::LOCK_OPTION, false ) );

		// The network administrator locks it on the network screen (its route).
		$this->log_in_as_super_admin();
		$set = $this->rest( 'POST', self::NETWORK_ROUTE, array( 'lock_site_destination' => true ) );
		$this->assertSame( 200, $set->get_status(), (string) wp_json_encode( $set->get_data() ) );
		$this->assertTrue( $set->get_data()['lock_site_destination'] );
		$this->assertTrue( $this->rest( 'GET', self::NETWORK_ROUTE )->get_data()['lock_site_destination'] );
		wp_set_current_user( $admin );

		$locked = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		foreach ( array( 'host', 'port', 'encryption', 'auth', 'username', 'password' ) as $field ) {
			$this->assertSame( Settings_Store::LOCKED_BY_NETWORK, $locked['locked']->$field ?? null, $field );
		}
		$this->assertSame( '127.0.0.1', $locked['host'], 'the site now uses the network\'s server' );
		$this->assertFalse( ( new Settings_Store() )->has_own_destination() );

		foreach ( array(
			'host'     => 'localhost',
			'port'     => $this->attacker->port(),
			'username' => 'attacker',
			'password' => 'another password',
		) as $field => $value ) {
			$refused = $this->rest( 'POST', self::SITE_ROUTE, array( $field => $value ) );
			$this->assertSame( 400, $refused->get_status(), $field );
			$this->assertSame( array( $field ), array_keys( $refused->get_data()['data']['params'] ), $field );
			$this->assertStringContainsString( 'network administrator', $refused->get_data()['data']['params'][ $field ] );
		}
		$this->assertSame( 200, $this->rest( 'POST', self::SITE_ROUTE, array( 'from_name' => 'Second' ) )->get_status(), 'other fields stay the site\'s' );

		$this->assertTrue( wp_mail( 'outsider@example.net', 'Locked ' . $super['login'], 'x' ) );
		$this->assertSame( array(), $this->attacker->messages(), 'even the site\'s own mail goes the network\'s way' );
		$this->assertCount( 1, $this->network_mailbox->find( 'Locked ' . $super['login'] ) );
	}
}
