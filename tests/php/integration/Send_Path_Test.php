<?php
/**
 * The configuration that really sends: another plugin that changes PHPMailer after this one, or a
 * replaced wp_mail(), is found and named — by the real WP-CLI, Site Health and the recorder.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\Health\Send_Path_Check;
use SmtpPortHelper\Mail\Send_Path;
use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Settings\Settings_Store;

final class Send_Path_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;

	public function test_reads_the_first_server_of_a_host_list(): void {
		require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
		require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
		$mailer             = new PHPMailer();
		$mailer->Host       = 'tls://smtp.example.com:587;ssl://smtp.example.com:465'; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$mailer->Port       = 25; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$mailer->SMTPSecure = ''; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$mailer->isSMTP();
		$path = Send_Path::of( $mailer );
		$this->assertSame( array( 'smtp', 'smtp.example.com', 587, 'starttls' ), array( $path->mailer, $path->host, $path->port, $path->encryption ) );

		$mailer->Host = 'mail.example.com'; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$mailer->Port = 2525; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$other        = Send_Path::of( $mailer );
		$this->assertSame( array( 'host', 'port' ), $path->differences( $other ) );
		$this->assertSame( array(), $path->differences( $path ) );
	}

	public function test_another_plugin_that_changes_the_port_is_named_by_the_cli_and_site_health(): void {
		$saved   = Smtp_Mailbox::port( 2 );
		$theirs  = Smtp_Mailbox::port( 3 );
		$folder  = WP_PLUGIN_DIR . '/sph-other-mailer';
		$to      = 'path-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
		$to_back = 'back-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
		putenv( "SPH_OTHER_MAILER_PORT=$theirs" );
		wp_mkdir_p( $folder );
		copy( dirname( __DIR__ ) . '/fixtures/sph-other-mailer.php', $folder . '/sph-other-mailer.php' );
		$this->with_saved_settings(
			'127.0.0.1',
			$saved,
			array(),
			function () use ( $saved, $theirs, $to, $to_back ): void {
				delete_option( Send_Path_Recorder::OPTION );
				// WP-CLI here is the framework without its bundled commands: activated as wp-admin does.
				require_once ABSPATH . 'wp-admin/includes/plugin.php';
				$this->assertNull( activate_plugin( 'sph-other-mailer/sph-other-mailer.php' ) );
				remove_action( 'phpmailer_init', 'sph_test_other_mailer_configure', 20 ); // Only the WP-CLI process sends through it.
				$this->commit();
				try {
					list( $status, $output ) = $this->wp( 'smtp-port-helper send-test ' . $to, null, true );
					$this->assertSame( 0, $status, $output );
					$received = ( new Smtp_Mailbox() )->find( $to );
					$this->assertCount( 1, $received );
					$this->assertSame( $theirs, $received[0]['envelope']['port'], 'the other plugin really decided the port' );

					list( $status, $output ) = $this->wp( 'smtp-port-helper status', null, true );
					$this->assertSame( 1, $status, $output );
					$this->assertStringContainsString( "Saved: 127.0.0.1:$saved with STARTTLS, with login", $output );
					$this->assertStringContainsString( "the last message went to 127.0.0.1:$theirs with STARTTLS, with login instead of 127.0.0.1:$saved", $output );
					$this->assertStringContainsString( '(changed: port)', $output );
					$this->assertStringContainsString( 'the plugin “SPH Test Other Mailer” (sph-other-mailer/sph-other-mailer.php) (sph_test_other_mailer_configure)', $output );

					wp_cache_flush();
					$health = ( new Send_Path_Check( new Send_Path_Report( new Settings_Store() ) ) )->test();
					$this->assertSame( 'critical', $health['status'] );
					$this->assertStringContainsString( 'SPH Test Other Mailer', $health['description'] );
					$boot = ( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->boot_data()['sendPath'];
					$this->assertSame( 'overridden', $boot['status'], 'the settings page says so too' );
					$this->assertStringContainsString( 'SPH Test Other Mailer', implode( ' ', $boot['messages'] ) );
				} finally {
					deactivate_plugins( 'sph-other-mailer/sph-other-mailer.php' );
					$this->commit();
				}

				list( $status, $output ) = $this->wp( 'smtp-port-helper send-test ' . $to_back, null, true );
				$this->assertSame( 0, $status, $output );
				list( $status, $output ) = $this->wp( 'smtp-port-helper status --format=json' );
				$this->assertSame( 0, $status, $output );
				$report = json_decode( $output, true );
				$this->assertSame( 'good', $report['status'] ?? null, $output );
				$this->assertSame( $saved, $report['last_send']['port'] ?? null, $output );
				wp_cache_flush();
				$this->assertSame( 'good', ( new Send_Path_Check( new Send_Path_Report( new Settings_Store() ) ) )->test()['status'] );
			}
		);
		putenv( 'SPH_OTHER_MAILER_PORT' );
		unlink( $folder . '/sph-other-mailer.php' );
		rmdir( $folder );
	}

	/**
	 * Makes this process's writes visible to the WP-CLI process (the test case turns autocommit off).
	 */
	private function commit(): void {
		$GLOBALS['wpdb']->query( 'COMMIT' );
	}

	public function test_a_replaced_wp_mail_is_named(): void {
		$fixture = dirname( __DIR__ ) . '/fixtures/replaces-wp-mail.php';
		list( $status, $output ) = $this->wp( 'smtp-port-helper status --require=' . escapeshellarg( $fixture ), null, true );
		$this->assertSame( 1, $status, $output );
		$this->assertStringContainsString( 'wp_mail() is replaced by replaces-wp-mail.php', $output );

		list( $status, $output ) = $this->wp( 'smtp-port-helper status', null, true );
		$this->assertStringNotContainsString( 'wp_mail() is replaced', $output );
	}
}
