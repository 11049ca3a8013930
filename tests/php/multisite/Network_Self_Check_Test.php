<?php
/**
 * The daily self-check on a network: each site at its own time of day, and inside the network's
 * port-test budget that every site's administrators share.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Route_Guard;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * @group database
 */
final class Network_Self_Check_Test extends Multisite_Test_Case {

	private function self_check(): Self_Check {
		$settings = new Settings_Store();
		return new Self_Check( $settings, new Port_Prober(), new Probe_Options_Factory( $settings ), new Mailer_Hook( $settings ) );
	}

	public function test_each_site_is_scheduled_at_its_own_time_of_day(): void {
		$times = array();
		foreach ( array( get_main_site_id(), $this->second_site ) as $site_id ) {
			switch_to_blog( $site_id );
			wp_clear_scheduled_hook( Self_Check::CRON_HOOK );
			Self_Check::schedule();
			$next = wp_next_scheduled( Self_Check::CRON_HOOK );
			$this->assertIsInt( $next );
			$this->assertSame( 'daily', wp_get_schedule( Self_Check::CRON_HOOK ) );
			$times[ $site_id ] = $next % DAY_IN_SECONDS;
			restore_current_blog();
		}
		$this->assertSame( Self_Check::offset( $this->second_site ), $times[ $this->second_site ] );
		$this->assertNotSame( $times[ get_main_site_id() ], $times[ $this->second_site ], 'not every site at once' );
	}

	public function test_a_used_up_network_budget_gives_the_turn_back_and_retries_later(): void {
		add_filter( 'smtp_port_helper_sites_may_use_internal_addresses', '__return_true' );
		switch_to_blog( $this->second_site );
		$this->save_smtp( 'localhost', 587 );
		delete_option( Self_Check::TURN );
		wp_clear_scheduled_hook( Self_Check::CRON_HOOK );
		if ( time() % MINUTE_IN_SECONDS > 55 ) {
			sleep( 5 ); // The budget's window must not turn over between filling it and the run.
		}
		$network = Rate_Limiter::on_main_site( 'port_tests', Route_Guard::NETWORK_PROBES_PER_MINUTE, MINUTE_IN_SECONDS );
		for ( $i = 0; $i < Route_Guard::NETWORK_PROBES_PER_MINUTE; $i++ ) {
			$this->assertNull( $network->hit( 0 ) );
		}

		$outcome = $this->self_check()->run();

		$this->assertSame( Self_Check::BUSY, $outcome['outcome'], $outcome['detail'] );
		$this->assertStringContainsString( 'budget', $outcome['detail'] );
		$this->assertFalse( get_option( Self_Check::TURN ), 'the day\'s turn was given back' );
		$this->assertIsInt( wp_next_scheduled( Self_Check::CRON_HOOK ), 'the run comes again after the wait' );
		$this->assertSame( 0, Self_Check::state()['time'], 'nothing was tested' );
	}
}
