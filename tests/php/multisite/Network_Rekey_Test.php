<?php
/**
 * Rekey on a network: every site's password and the network's own are sealed again under the new
 * key, each in its own context, and a run under the same key changes nothing.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Rekey;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * @group database
 */
final class Network_Rekey_Test extends Multisite_Test_Case {

	private const OLD = 'network-rekey-old-phrase';
	private const NEW = 'network-rekey-new-phrase';

	public function test_the_network_and_each_site_are_resealed_under_the_new_key(): void {
		$old = new Secret_Box( 'constant|' . self::OLD );
		$new = new Secret_Box( 'constant|' . self::NEW );
		$this->assertNotInstanceOf(
			\WP_Error::class,
			( new Settings_Store( null, $old, Settings_Store::SCOPE_NETWORK ) )->update(
				array(
					'host'     => 'smtp.network.example',
					'auth'     => true,
					'username' => 'network-user',
					'password' => 'network secret',
				)
			)
		);
		switch_to_blog( $this->second_site );
		$this->assertNotInstanceOf(
			\WP_Error::class,
			( new Settings_Store( null, $old ) )->update(
				array(
					'host'     => 'smtp.site.example',
					'auth'     => true,
					'username' => 'site-user',
					'password' => 'site secret',
				)
			)
		);
		restore_current_blog();

		$keys = new Key_Material(
			array(
				'SMTP_PORT_HELPER_KEY'     => self::NEW,
				'SMTP_PORT_HELPER_OLD_KEY' => self::OLD,
			)
		);
		$rows = ( new Rekey( $keys ) )->run();
		$this->assertIsArray( $rows );
		$passwords = array();
		foreach ( $rows as $row ) {
			if ( Rekey::KIND_PASSWORD === $row['kind'] ) {
				$passwords[ null === $row['site'] ? 'network' : 'site ' . $row['site'] ] = $row['result'];
			}
		}
		$this->assertSame( Resealed::RESEALED, $passwords['network'] ?? null );
		$this->assertSame( Resealed::RESEALED, $passwords[ 'site ' . $this->second_site ] ?? null );
		$this->assertSame( Resealed::NONE, $passwords[ 'site ' . get_main_site_id() ] ?? null, 'the main site stores no password of its own' );

		$this->assertSame( 'network secret', ( new Settings_Store( null, $new, Settings_Store::SCOPE_NETWORK ) )->password() );
		$this->assertNull( ( new Settings_Store( null, $old, Settings_Store::SCOPE_NETWORK ) )->password(), 'no longer under the old key' );
		switch_to_blog( $this->second_site );
		$this->assertSame( 'site secret', ( new Settings_Store( null, $new ) )->password() );
		restore_current_blog();

		$again = ( new Rekey( $keys ) )->run();
		$this->assertIsArray( $again );
		$this->assertNotContains( Resealed::RESEALED, array_column( $again, 'result' ), 'a second run finds everything under the current key' );
	}
}
