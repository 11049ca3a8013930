<?php
/**
 * Deactivation takes the plugin's recurring WP-Cron events away (the daily self-check, the weekly
 * keep-alive); activation brings the keep-alive of a connected sign-in back. WordPress's own
 * deactivate_plugins() and activate_plugin(), each in a process of its own.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Lifecycle;
use SmtpPortHelper\OAuth\Keep_Alive;
use SmtpPortHelper\Plugin;

final class Lifecycle_Test extends Integration_Test_Case {

	/**
	 * The recurring events go with the plugin.
	 */
	public function test_deactivation_clears_the_self_check_and_keep_alive_events(): void {
		global $wpdb;
		Self_Check::schedule();
		Keep_Alive::schedule();
		add_option( Plugin::OAUTH_TOKENS_OPTION, array( 'state' => 'connected' ), '', false );
		$wpdb->query( 'COMMIT' );
		try {
			$this->assertNotFalse( wp_next_scheduled( Plugin::SELF_CHECK_CRON_HOOK ) );
			$this->assertNotFalse( wp_next_scheduled( Plugin::OAUTH_KEEPALIVE_CRON_HOOK ) );

			$this->plugin_lifecycle( 'deactivate-with-hooks' );
			wp_cache_flush();

			$this->assertFalse( wp_next_scheduled( Plugin::SELF_CHECK_CRON_HOOK ), 'the daily self-check is not left behind' );
			$this->assertFalse( wp_next_scheduled( Plugin::OAUTH_KEEPALIVE_CRON_HOOK ), 'nor the keep-alive' );
		} finally {
			$this->plugin_lifecycle( 'activate' );
			wp_cache_flush();
			delete_option( Plugin::OAUTH_TOKENS_OPTION );
			wp_clear_scheduled_hook( Plugin::OAUTH_KEEPALIVE_CRON_HOOK );
			wp_clear_scheduled_hook( Plugin::SELF_CHECK_CRON_HOOK );
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}

	/**
	 * Activation brings back the keep-alive of a connected sign-in, and only of one. (In process:
	 * the stack links the plugin's folder, and WordPress finds the activation hook of a linked
	 * plugin only once it is loaded.)
	 */
	public function test_activation_schedules_the_keep_alive_of_a_connected_sign_in_only(): void {
		wp_clear_scheduled_hook( Plugin::OAUTH_KEEPALIVE_CRON_HOOK );
		Lifecycle::activate();
		$this->assertFalse( wp_next_scheduled( Plugin::OAUTH_KEEPALIVE_CRON_HOOK ), 'no sign-in, no keep-alive' );

		add_option( Plugin::OAUTH_TOKENS_OPTION, array( 'state' => 'connected' ), '', false );
		wp_clear_scheduled_hook( Plugin::OAUTH_KEEPALIVE_CRON_HOOK );
		Lifecycle::activate();

		$this->assertNotFalse( wp_next_scheduled( Plugin::OAUTH_KEEPALIVE_CRON_HOOK ) );
	}

	/**
	 * Runs support/plugin-lifecycle.php: WordPress's own deactivation or activation.
	 *
	 * @param string $action deactivate-with-hooks or activate.
	 */
	private function plugin_lifecycle( string $action ): void {
		$command = implode( ' ', array_map( 'escapeshellarg', array( PHP_BINARY, '-d', 'error_reporting=' . ( E_ALL & ~E_DEPRECATED ), __DIR__ . '/support/plugin-lifecycle.php', $action ) ) ) . ' 2>&1';
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec -- WordPress in a process of its own.
		$this->assertSame( array( 0, 'done' ), array( $status, (string) end( $output ) ), "$action: " . implode( "\n", $output ) );
	}
}
