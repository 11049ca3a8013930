<?php
/**
 * Seals every secret of the site (or of every site of the network) again under a new key.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

use SmtpPortHelper\Deliverability\Dkim_Key_Store;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The work of `wp smtp-port-helper rekey`: every stored SMTP password, OAuth client secret, OAuth
 * sign-in (refresh and access token) and waiting message — each site's, the network's — is sealed
 * again under the current key material, opened with the former one (Key_Material::previous():
 * SMTP_PORT_HELPER_OLD_KEY, else the salts). Secrets already under the current key are left as
 * they are; `v1` passwords are sealed as `v2`. Sites are read 100 at a time, so a large network
 * does not load at once. It sits beside Plugin, above the rooms: it reaches every store that
 * keeps a secret (a new kind of secret adds its line to site() or network()).
 */
final class Rekey {

	/** A stored SMTP password. */
	public const KIND_PASSWORD = 'password';

	/** A stored OAuth client secret. */
	public const KIND_CLIENT_SECRET = 'oauth_client_secret';

	/** A stored HTTPS API key. */
	public const KIND_API_KEY = 'api_key';

	/** An OAuth sign-in: the refresh token and the cached access token. */
	public const KIND_SIGN_IN = 'oauth_sign_in';

	/** A site's DKIM signing key. */
	public const KIND_DKIM = 'dkim_key';

	/** The waiting messages of a site's outbox. */
	public const KIND_OUTBOX = 'outbox';

	/**
	 * The key material of this installation.
	 *
	 * @var Key_Material
	 */
	private Key_Material $keys;

	/**
	 * Takes the key material.
	 *
	 * @param Key_Material|null $keys Default: wp-config.php's.
	 */
	public function __construct( ?Key_Material $keys = null ) {
		$this->keys = $keys ?? Key_Material::from_wp_config();
	}

	/**
	 * Seals everything again. Null (nothing changed) when there is no current key to seal with.
	 * Each row names a kind of secret and where it is: `site` (a blog id, with its `url`) or
	 * `network` (a network id). `result` is a Resealed outcome; an outbox row also counts its
	 * messages (`resealed`, `unreadable`) and appears only when it held any it changed or could
	 * not open.
	 *
	 * @return list<array{kind: string, site: int|null, network: int|null, url: string, result: string, resealed: int, unreadable: int}>|null
	 */
	public function run(): ?array {
		$current = $this->keys->current();
		if ( null === $current ) {
			return null;
		}
		$previous = $this->keys->previous();
		$old      = null === $previous ? null : new Secret_Box( $previous );
		$new      = new Secret_Box( $current );
		$rows     = array();
		foreach ( Network_Sites::each( fn( int $site_id ): array => $this->site( $site_id, $old, $new ) ) as $site_rows ) {
			$rows = array_merge( $rows, $site_rows );
		}
		if ( is_multisite() ) {
			$rows = array_merge( $rows, $this->network( get_current_network_id(), $old, $new ) );
		}
		return $rows;
	}

	/**
	 * The secrets of the current site.
	 *
	 * @param int             $site_id The site (switched to).
	 * @param Secret_Box|null $old     The former key's box.
	 * @param Secret_Box      $new     The current key's box.
	 * @return list<array{kind: string, site: int|null, network: int|null, url: string, result: string, resealed: int, unreadable: int}>
	 */
	private function site( int $site_id, ?Secret_Box $old, Secret_Box $new ): array {
		$store   = new Settings_Store( null, $new );
		$rows    = array(
			self::row( self::KIND_PASSWORD, $site_id, null, $store->rekey( $old, $new ) ),
			self::row( self::KIND_CLIENT_SECRET, $site_id, null, $store->rekey_client_secret( $old, $new ) ),
			self::row( self::KIND_API_KEY, $site_id, null, $store->rekey_api_key( $old, $new ) ),
			self::row( self::KIND_SIGN_IN, $site_id, null, ( new Token_Store( $new, 'site:' . $site_id ) )->rekey( $old ) ),
			self::row( self::KIND_DKIM, $site_id, null, ( new Dkim_Key_Store( $new, 'site:' . $site_id ) )->rekey( $old ) ),
		);
		$waiting = ( new Outbox( $new ) )->rekey( $old );
		if ( $waiting['resealed'] + $waiting['unreadable'] > 0 ) {
			$outbox               = self::row( self::KIND_OUTBOX, $site_id, null, 0 < $waiting['unreadable'] ? Resealed::UNREADABLE : Resealed::RESEALED );
			$outbox['resealed']   = $waiting['resealed'];
			$outbox['unreadable'] = $waiting['unreadable'];
			$rows[]               = $outbox;
		}
		return $rows;
	}

	/**
	 * The secrets of the network's defaults.
	 *
	 * @param int             $network_id The network.
	 * @param Secret_Box|null $old        The former key's box.
	 * @param Secret_Box      $new        The current key's box.
	 * @return list<array{kind: string, site: int|null, network: int|null, url: string, result: string, resealed: int, unreadable: int}>
	 */
	private function network( int $network_id, ?Secret_Box $old, Secret_Box $new ): array {
		$store = new Settings_Store( null, $new, Settings_Store::SCOPE_NETWORK );
		return array(
			self::row( self::KIND_PASSWORD, null, $network_id, $store->rekey( $old, $new ) ),
			self::row( self::KIND_CLIENT_SECRET, null, $network_id, $store->rekey_client_secret( $old, $new ) ),
			self::row( self::KIND_API_KEY, null, $network_id, $store->rekey_api_key( $old, $new ) ),
		);
	}

	/**
	 * One row of run().
	 *
	 * @param string   $kind    KIND_*.
	 * @param int|null $site    The site, or null for the network.
	 * @param int|null $network The network, or null for a site.
	 * @param string   $result  Resealed outcome.
	 * @return array{kind: string, site: int|null, network: int|null, url: string, result: string, resealed: int, unreadable: int}
	 */
	private static function row( string $kind, ?int $site, ?int $network, string $result ): array {
		return array(
			'kind'       => $kind,
			'site'       => $site,
			'network'    => $network,
			'url'        => null === $site ? '' : home_url(),
			'result'     => $result,
			'resealed'   => 0,
			'unreadable' => 0,
		);
	}
}
