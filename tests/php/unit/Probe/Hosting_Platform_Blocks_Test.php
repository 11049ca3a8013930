<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Hosting_Platform_Blocks;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

final class Hosting_Platform_Blocks_Test extends TestCase {

	/**
	 * A DMI directory as Linux exposes it, with the given files.
	 *
	 * @param array<string, string> $files File name => content.
	 */
	private function dmi( array $files ): string {
		$dir = sys_get_temp_dir() . '/sph-dmi-' . bin2hex( random_bytes( 4 ) );
		mkdir( $dir );
		foreach ( $files as $name => $content ) {
			file_put_contents( "$dir/$name", $content . "\n" );
		}
		return $dir;
	}

	public function test_the_platform_is_read_from_the_machines_dmi_data(): void {
		$this->assertSame( 'google_cloud', Hosting_Platform_Blocks::detect( $this->dmi( array( 'sys_vendor' => 'Google', 'product_name' => 'Google Compute Engine' ) ) ) );
		$this->assertSame( 'aws_ec2', Hosting_Platform_Blocks::detect( $this->dmi( array( 'sys_vendor' => 'Xen', 'bios_version' => '4.11.amazon' ) ) ) );
		$this->assertSame( 'azure', Hosting_Platform_Blocks::detect( $this->dmi( array( 'sys_vendor' => 'Microsoft Corporation', 'product_name' => 'Virtual Machine' ) ) ) );
		$this->assertSame( 'hetzner', Hosting_Platform_Blocks::detect( $this->dmi( array( 'sys_vendor' => 'Hetzner', 'product_name' => 'vServer' ) ) ) );
		$this->assertNull( Hosting_Platform_Blocks::detect( $this->dmi( array( 'sys_vendor' => 'QEMU', 'product_name' => 'Standard PC (Q35 + ICH9, 2009)' ) ) ) );
		$this->assertNull( Hosting_Platform_Blocks::detect( '/nonexistent' ) );
	}

	public function test_a_blocked_port_names_the_platform_rule(): void {
		$this->assertStringContainsString( 'runs on Hetzner, which blocks outgoing port 465 until you ask', Hosting_Platform_Blocks::port_note( 465, 'hetzner' ) );
		$this->assertStringContainsString( 'runs on Google Cloud, which blocks outgoing port 25 for good', Hosting_Platform_Blocks::port_note( 25, 'google_cloud' ) );
		$this->assertSame( '', Hosting_Platform_Blocks::port_note( 587, 'hetzner' ), 'Hetzner does not block 587' );
		$this->assertStringContainsString( 'Linode blocks 25, 465 and 587', Hosting_Platform_Blocks::port_note( 25, 'unknown-platform' ) );
		$this->assertSame( '', Hosting_Platform_Blocks::port_note( 587, 'unknown-platform' ) );
	}

	public function test_every_rule_names_its_source_and_the_day_it_was_checked(): void {
		foreach ( Hosting_Platform_Blocks::facts() as $fact ) {
			$this->assertStringStartsWith( 'https://', $fact['source'], $fact['id'] );
			$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}$/', $fact['checked'], $fact['id'] );
			$this->assertNotEmpty( $fact['ports'], $fact['id'] );
		}
	}
}
