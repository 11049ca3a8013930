<?php
/**
 * The sealed fields of the settings option: the SMTP password and the OAuth client secret.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Seals, opens and re-seals the secrets stored in `smtp_port_helper_settings` with Secret_Box,
 * each in its context: the password for its scope (a site or the network), host and user name;
 * the client secret for its scope, token endpoint and client ID. Another host, user, endpoint or
 * client never receives them. `v1` passwords (no context) open only while the host and user name
 * saved beside them in the same option give the same context, and are sealed again as `v2` at once.
 *
 * A new sealed field of the option adds its name to FIELDS (the option's sanitizer then keeps it
 * only as a sealed value) and its context here.
 */
final class Settings_Secrets {

	/** The option's fields that hold sealed values. */
	public const FIELDS = array( 'password', 'oauth_client_secret' );

	/**
	 * The stored options.
	 *
	 * @var Settings_Layers
	 */
	private Settings_Layers $layers;

	/**
	 * The wp-config.php constants.
	 *
	 * @var Settings_Constants
	 */
	private Settings_Constants $constants;

	/**
	 * The sealed-secret helper; built on first use when not given.
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * Takes the layers, the constants and the box.
	 *
	 * @param Settings_Layers    $layers    The stored options of the store's scope.
	 * @param Settings_Constants $constants The wp-config.php constants.
	 * @param Secret_Box|null    $box       Default: Secret_Box::for_site().
	 */
	public function __construct( Settings_Layers $layers, Settings_Constants $constants, ?Secret_Box $box ) {
		$this->layers    = $layers;
		$this->constants = $constants;
		$this->box       = $box;
	}

	/**
	 * The sealed-secret helper, created on first use; null when there is no key material fit for
	 * a key (Key_Material::from_wp_config()).
	 */
	public function box(): ?Secret_Box {
		if ( null === $this->box ) {
			$this->box = Secret_Box::for_site();
		}
		return $this->box;
	}

	/**
	 * The stored password that applies, opened with the context of its layer and the effective
	 * host and user name; null when there is none or it does not open. A `v1` value opens only
	 * while the host and user name saved beside it give the same context, and is sealed again as
	 * `v2` for them at once: for any other host it stays shut.
	 *
	 * @param Settings $settings The effective settings.
	 */
	public function password( Settings $settings ): ?string {
		$source = $this->layers->password_source();
		$box    = $this->box();
		if ( null === $source || null === $box ) {
			return null;
		}
		$binding = $this->password_binding( $source['layer'], $settings->host, $settings->username );
		if ( ! Secret_Box::is_legacy( $source['sealed'] ) ) {
			return $box->open( $source['sealed'], $binding );
		}
		if ( ! $this->layers->is_network() && Settings_Layers::SCOPE_NETWORK === $source['layer'] ) {
			// The network's value: the network's settings check and seal it in their own option.
			$network = Settings_Store::for_network();
			return ( new self( new Settings_Layers( new Settings_Validator(), Settings_Layers::SCOPE_NETWORK ), $this->constants, $box ) )->password( $network->get() );
		}
		$sealed = $box->reseal( $source['sealed'], $binding, null, $this->legacy_binding_holds( $binding ) )->sealed;
		if ( null === $sealed ) {
			return null;
		}
		$this->write_sealed( 'password', $sealed );
		return $box->open( $sealed, $binding );
	}

	/**
	 * The stored OAuth client secret, only for the token endpoint and client ID it was saved for;
	 * null when there is none or it does not open.
	 *
	 * @param Settings $settings The effective settings.
	 */
	public function client_secret( Settings $settings ): ?string {
		$sealed = $this->layers->stored_sealed_client_secret();
		$box    = $this->box();
		return null === $sealed || null === $box ? null : $box->open( $sealed, $this->client_secret_binding( $settings ) );
	}

	/**
	 * Whether a password is stored or defined in wp-config.php.
	 */
	public function password_set(): bool {
		return null !== $this->constants->password() || null !== $this->layers->sealed_password();
	}

	/**
	 * Whether a stored password cannot be opened any more (the key or the salts changed).
	 *
	 * @param Settings $settings The effective settings.
	 */
	public function password_unreadable( Settings $settings ): bool {
		if ( null !== $this->constants->password() ) {
			return false;
		}
		return null !== $this->layers->sealed_password() && null === $this->password( $settings );
	}

	/**
	 * The option about to be written with its sealed fields: a new password sealed for the new
	 * host and user name, the stored one kept (a `v1` one sealed as `v2`) while both stay the same,
	 * else forgotten; the same for the client secret and its token endpoint and client ID.
	 *
	 * @param array<string, mixed> $option   The option about to be written, without sealed fields.
	 * @param Settings             $before   The effective settings before the save.
	 * @param array<string, mixed> $values   Validated changes (locked fields removed).
	 * @param array<string, mixed> $new      The new secrets: `password`, `oauth_client_secret` ('' for none).
	 * @param array<string, bool>  $clear    Which stored secrets to remove: `password`, `oauth_client_secret`.
	 * @return array<string, mixed>
	 */
	public function sealed_for_save( array $option, Settings $before, array $values, array $new, array $clear ): array {
		$after    = new Settings( array_merge( $before->to_array(), $values ) );
		$box      = $this->box();
		$binding  = $this->password_binding( $this->scope(), $after->host, $after->username );
		$password = is_string( $new['password'] ?? null ) ? $new['password'] : '';
		$sealed   = $this->layers->stored_sealed_password();
		if ( '' !== $password && null !== $box ) {
			$option['password'] = $box->seal( $password, $binding );
		} elseif ( empty( $clear['password'] ) && null !== $sealed && Saved_Login::of( $before )->allows( $after->host, $after->username ) ) {
			$option['password'] = $this->resealed( $sealed, $binding );
		}
		$secret = is_string( $new['oauth_client_secret'] ?? null ) ? $new['oauth_client_secret'] : '';
		$sealed = $this->layers->stored_sealed_client_secret();
		if ( '' !== $secret && null !== $box ) {
			$option['oauth_client_secret'] = $box->seal( $secret, $this->client_secret_binding( $after ) );
		} elseif ( empty( $clear['oauth_client_secret'] ) && null !== $sealed && $this->client_secret_binding( $before ) === $this->client_secret_binding( $after ) ) {
			$option['oauth_client_secret'] = $sealed;
		}
		return $option;
	}

	/**
	 * Seals the stored password again under another key (Rekey), for the same scope, host and
	 * user name.
	 *
	 * @param Settings        $settings The effective settings.
	 * @param Secret_Box|null $old      The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new      The box of the key material from now on.
	 * @return string Resealed::*
	 */
	public function rekey_password( Settings $settings, ?Secret_Box $old, Secret_Box $new ): string {
		$binding = $this->password_binding( $this->scope(), $settings->host, $settings->username );
		return $this->reseal( 'password', $this->layers->stored_sealed_password(), $binding, $old, $new, $this->legacy_binding_holds( $binding ) );
	}

	/**
	 * Seals the stored OAuth client secret again under another key (Rekey), for the same scope,
	 * token endpoint and client ID.
	 *
	 * @param Settings        $settings The effective settings.
	 * @param Secret_Box|null $old      The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new      The box of the key material from now on.
	 * @return string Resealed::*
	 */
	public function rekey_client_secret( Settings $settings, ?Secret_Box $old, Secret_Box $new ): string {
		return $this->reseal( 'oauth_client_secret', $this->layers->stored_sealed_client_secret(), $this->client_secret_binding( $settings ), $old, $new, false );
	}

	/**
	 * The context of a sealed password of a layer: the scope, the host and the user name.
	 *
	 * @param string $layer    Settings_Layers::SCOPE_SITE or SCOPE_NETWORK.
	 * @param string $host     Effective host.
	 * @param string $username Effective user name.
	 */
	private function password_binding( string $layer, string $host, string $username ): string {
		return Secret_Box::binding( $this->layers->binding_scope( $layer ), Saved_Login::host_key( $host ), $username );
	}

	/**
	 * The context of the client secret: the scope, the token endpoint it is sent to and the client
	 * ID. Another endpoint (a changed profile, tenant or URL) never receives it.
	 *
	 * @param Settings $settings Effective settings.
	 */
	private function client_secret_binding( Settings $settings ): string {
		return Secret_Box::context( 'oauth-client-secret', array( $this->layers->binding_scope(), Provider_Profile::of( $settings )->token_url, $settings->oauth_client_id ) );
	}

	/**
	 * The layer this store writes: the site's or the network's.
	 */
	private function scope(): string {
		return $this->layers->is_network() ? Settings_Layers::SCOPE_NETWORK : Settings_Layers::SCOPE_SITE;
	}

	/**
	 * Seals one stored secret again under the new key and writes it, keeping the other sealed
	 * fields of the option as they are stored.
	 *
	 * @param string          $field    One of FIELDS.
	 * @param string|null     $sealed   The stored sealed value (null: none).
	 * @param string          $binding  Its context.
	 * @param Secret_Box|null $old      The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new      The box of the key material from now on.
	 * @param bool            $v1_holds Whether a `v1` value may open for this context.
	 * @return string Resealed::*
	 */
	private function reseal( string $field, ?string $sealed, string $binding, ?Secret_Box $old, Secret_Box $new, bool $v1_holds ): string {
		$result = $new->reseal( $sealed, $binding, $old, $v1_holds );
		if ( null !== $result->sealed ) {
			$this->write_sealed( $field, $result->sealed );
		}
		return $result->outcome;
	}

	/**
	 * Whether a `v1` password of this scope's option may open for a context: the host and user
	 * name saved beside it in the option give that context.
	 *
	 * @param string $binding The context it is about to be used for.
	 */
	private function legacy_binding_holds( string $binding ): bool {
		$raw = $this->layers->is_network() ? $this->layers->raw_network() : $this->layers->raw_site();
		return isset( $raw['host'], $raw['username'] ) && is_string( $raw['host'] ) && is_string( $raw['username'] )
			&& $this->password_binding( $this->scope(), $raw['host'], $raw['username'] ) === $binding;
	}

	/**
	 * A kept password in the current format: a `v1` value (no context) is sealed again as `v2` for
	 * its scope, host and user name; anything else is kept as it is.
	 *
	 * @param string $sealed  The stored sealed password.
	 * @param string $binding Where it is kept for.
	 */
	private function resealed( string $sealed, string $binding ): string {
		$box = $this->box();
		if ( null === $box || ! Secret_Box::is_legacy( $sealed ) ) {
			return $sealed;
		}
		return $box->reseal( $sealed, $binding, null, $this->legacy_binding_holds( $binding ) )->sealed ?? $sealed;
	}

	/**
	 * Writes one sealed secret into this scope's option, keeping the other sealed fields as they
	 * are stored.
	 *
	 * @param string $field  One of FIELDS.
	 * @param string $sealed The new sealed value.
	 */
	private function write_sealed( string $field, string $sealed ): void {
		// valid_stored() leaves the sealed fields out: they go back as stored, then this one changes.
		$option           = $this->layers->valid_stored() + $this->stored_sealed();
		$option[ $field ] = $sealed;
		Settings_Sanitizer::write( $this->layers, $option );
	}

	/**
	 * The sealed fields as this scope's option stores them.
	 *
	 * @return array<string, string>
	 */
	public function stored_sealed(): array {
		$sealed = array();
		foreach ( self::FIELDS as $field ) {
			$value = $this->layers->stored_sealed( $field );
			if ( null !== $value ) {
				$sealed[ $field ] = $value;
			}
		}
		return $sealed;
	}
}
