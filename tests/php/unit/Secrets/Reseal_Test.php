<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Secrets;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Settings\Wp_Options_Shim;

require_once dirname( __DIR__ ) . '/Settings/wp-options-shim.php';
require_once __DIR__ . '/Secret_Box_Test.php';

/**
 * The one sealed-secret helper for the three kinds of secret the plugin keeps — the settings'
 * password, the OAuth tokens, the outbox's rows — each in the context its store binds it to:
 * re-sealed under a new key it opens with the new key only, and a secret of one context never
 * opens (nor is re-sealed) in another.
 */
final class Reseal_Test extends TestCase {

	private const TOKEN_RECORD = array(
		'token_url' => 'https://login.example.com/token',
		'client_id' => 'client-1',
		'host'      => 'smtp.example.com',
		'mailbox'   => 'owner@example.com',
		'account'   => 'owner@example.com',
	);

	protected function setUp(): void {
		Wp_Options_Shim::reset();
	}

	public function test_the_settings_password_is_resealed_under_the_new_key(): void {
		$old = new Secret_Box( 'old key' );
		$new = new Secret_Box( 'new key' );
		( new Settings_Store( null, $old ) )->update(
			array(
				'host'     => 'smtp.example.com',
				'auth'     => true,
				'username' => 'user',
				'password' => 'the password',
			)
		);
		$this->assertNull( ( new Settings_Store( null, $new ) )->password(), 'the new key does not open it before the rekey' );

		$this->assertSame( Resealed::RESEALED, ( new Settings_Store( null, $new ) )->rekey( $old, $new ) );
		$this->assertSame( 'the password', ( new Settings_Store( null, $new ) )->password() );
		$this->assertNull( ( new Settings_Store( null, $old ) )->password(), 'no longer under the old key' );
		$this->assertSame( Resealed::CURRENT, ( new Settings_Store( null, $new ) )->rekey( $old, $new ), 'a second run changes nothing' );
		$this->assertSame( Resealed::UNREADABLE, ( new Settings_Store( null, new Secret_Box( 'third key' ) ) )->rekey( $old, new Secret_Box( 'third key' ) ) );
	}

	public function test_the_api_key_is_resealed_under_the_new_key(): void {
		$old   = new Secret_Box( 'old key' );
		$new   = new Secret_Box( 'new key' );
		$saved = ( new Settings_Store( null, $old ) )->update(
			array(
				'enabled'   => true,
				'transport' => 'sendgrid',
				'api_key'   => 'SG.the-api-key',
			)
		);
		$this->assertInstanceOf( \SmtpPortHelper\Settings\Settings::class, $saved );
		$store = new Settings_Store( null, $new );
		$this->assertNull( $store->api_keys()->key( $store->get() ), 'the new key does not open it before the rekey' );

		$this->assertSame( Resealed::RESEALED, $store->rekey_api_key( $old, $new ) );
		$this->assertSame( 'SG.the-api-key', ( new Settings_Store( null, $new ) )->api_keys()->key( $store->get() ) );
		$this->assertNull( ( new Settings_Store( null, $old ) )->api_keys()->key( $store->get() ), 'no longer under the old key' );
		$this->assertSame( Resealed::CURRENT, ( new Settings_Store( null, $new ) )->rekey_api_key( $old, $new ), 'a second run changes nothing' );
	}

	public function test_an_oauth_token_is_resealed_under_the_new_key(): void {
		$this->assert_resealed_only_under_the_new_key( Token_Store::context( 'oauth-refresh-token', 'site:1', self::TOKEN_RECORD ) );
		$this->assert_resealed_only_under_the_new_key( Token_Store::context( 'oauth-access-token', 'site:1', self::TOKEN_RECORD ) );
	}

	public function test_an_outbox_row_is_resealed_under_the_new_key(): void {
		$this->assert_resealed_only_under_the_new_key( Outbox::context( 'summary', 1 ) );
		$this->assert_resealed_only_under_the_new_key( Outbox::context( 'payload', 1 ) );
	}

	public function test_a_secret_of_one_context_opens_in_no_other(): void {
		$box      = new Secret_Box( 'k' );
		$contexts = array(
			'password'               => Secret_Box::binding( 'site:1', 'smtp.example.com', 'user' ),
			'password, other host'   => Secret_Box::binding( 'site:1', 'evil.example', 'user' ),
			'password, other user'   => Secret_Box::binding( 'site:1', 'smtp.example.com', 'admin' ),
			'password, other site'   => Secret_Box::binding( 'site:2', 'smtp.example.com', 'user' ),
			'password, network'      => Secret_Box::binding( 'network:1', 'smtp.example.com', 'user' ),
			'refresh token'          => Token_Store::context( 'oauth-refresh-token', 'site:1', self::TOKEN_RECORD ),
			'access token'           => Token_Store::context( 'oauth-access-token', 'site:1', self::TOKEN_RECORD ),
			'token, other endpoint'  => Token_Store::context( 'oauth-refresh-token', 'site:1', array( 'token_url' => 'https://evil.example/token' ) + self::TOKEN_RECORD ),
			'token, other client'    => Token_Store::context( 'oauth-refresh-token', 'site:1', array( 'client_id' => 'client-2' ) + self::TOKEN_RECORD ),
			'token, other site'      => Token_Store::context( 'oauth-refresh-token', 'site:2', self::TOKEN_RECORD ),
			'outbox summary'         => Outbox::context( 'summary', 1 ),
			'outbox payload'         => Outbox::context( 'payload', 1 ),
			'outbox, other site'     => Outbox::context( 'payload', 2 ),
			'client secret, context' => Secret_Box::context( 'oauth-client-secret', array( 'site:1', 'https://login.example.com/token', 'client-1' ) ),
		);
		$this->assertCount( count( $contexts ), array_unique( $contexts ), 'every context is its own' );
		foreach ( $contexts as $name => $context ) {
			$sealed = $box->seal( 'secret of ' . $name, $context );
			foreach ( $contexts as $other_name => $other ) {
				$opened = $box->open( $sealed, $other );
				if ( $other_name === $name ) {
					$this->assertSame( 'secret of ' . $name, $opened );
					continue;
				}
				$this->assertNull( $opened, "sealed for $name, opened as $other_name" );
				$this->assertSame( Resealed::UNREADABLE, ( new Secret_Box( 'new' ) )->reseal( $sealed, $other, $box )->outcome, "re-sealed from $name into $other_name" );
			}
		}
	}

	public function test_a_v1_value_is_resealed_as_v2_only_when_its_context_holds(): void {
		$legacy  = Secret_Box_Test::legacy_seal( 'old key', 'old secret' );
		$context = Secret_Box::binding( 'site:1', 'smtp.example.com', 'user' );
		$new     = new Secret_Box( 'new key' );
		$this->assertSame( Resealed::UNREADABLE, $new->reseal( $legacy, $context, new Secret_Box( 'old key' ) )->outcome, 'a v1 value names no context: not opened unless vouched for' );
		$result = $new->reseal( $legacy, $context, new Secret_Box( 'old key' ), true );
		$this->assertSame( Resealed::RESEALED, $result->outcome );
		$this->assertStringStartsWith( 'v2:', (string) $result->sealed );
		$this->assertSame( 'old secret', $new->open( (string) $result->sealed, $context ) );
		$this->assertSame( Resealed::NONE, $new->reseal( null, $context, null )->outcome );
	}

	/**
	 * Seals under an old key, re-seals under a new one: the new value opens with the new key only;
	 * a second re-seal changes nothing; without the old key nothing opens.
	 *
	 * @param string $context The context of the kind of secret.
	 */
	private function assert_resealed_only_under_the_new_key( string $context ): void {
		$old    = new Secret_Box( 'old key' );
		$new    = new Secret_Box( 'new key' );
		$sealed = $old->seal( 'the secret', $context );
		$this->assertNull( $new->open( $sealed, $context ) );

		$result = $new->reseal( $sealed, $context, $old );
		$this->assertSame( Resealed::RESEALED, $result->outcome );
		$this->assertTrue( $result->changed() );
		$this->assertSame( 'the secret', $new->open( (string) $result->sealed, $context ) );
		$this->assertNull( $old->open( (string) $result->sealed, $context ), 'no longer under the old key' );

		$again = $new->reseal( $result->sealed, $context, $old );
		$this->assertSame( Resealed::CURRENT, $again->outcome );
		$this->assertNull( $again->sealed );
		$this->assertSame( Resealed::UNREADABLE, $new->reseal( $sealed, $context, null )->outcome, 'no former key: not opened' );
		$this->assertSame( Resealed::UNREADABLE, $new->reseal( $sealed, $context, new Secret_Box( 'other key' ) )->outcome );
	}
}
