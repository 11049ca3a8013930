<?php
/**
 * The boot data the settings screen prints for its script.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Submission_Ports;

final class Settings_Page_Test extends Integration_Test_Case {

	public function test_the_boot_data_carries_the_php_vocabulary_in_the_declared_shape(): void {
		$boot = ( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->boot_data();
		$this->assertTrue( rest_validate_value_from_schema( $boot, Settings_Page::boot_data_schema(), 'boot' ) );
		$this->assertSame( Plugin::REST_NAMESPACE, $boot['restNamespace'] );
		$this->assertSame( 'site', $boot['scope'] );
		$this->assertSame( Submission_Ports::for_page(), $boot['ports'] );
		$this->assertSame( Encryption::labels(), $boot['encryptionLabels'] );
	}

	public function test_the_boot_data_carries_the_current_admin_s_address_for_the_test_email(): void {
		$user_id = $this->log_in_as( 'administrator' );
		$boot    = ( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->boot_data();
		$user    = get_userdata( $user_id );
		$this->assertNotFalse( $user );
		$this->assertSame( $user->user_email, $boot['adminEmail'] );
		$this->assertNotSame( '', $boot['adminEmail'] );
	}
}
