<?php
/**
 * Which address policy applies: to the person asking, to the command line, to the saved settings.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Probe\Submission_Ports;

defined( 'ABSPATH' ) || exit;

/**
 * A single site's administrators, super admins and the command line may reach internal addresses
 * and any port (a local Postfix or a LAN relay is a common setup). A sub-site administrator of a
 * network may not — an administrator of one site must not scan the network's machines — unless the
 * network option ALLOW_INTERNAL_OPTION or the filter `smtp_port_helper_sites_may_use_internal_addresses`
 * says so, and only reaches the ports of Submission_Ports::for_site_administrators() (filter
 * `smtp_port_helper_site_administrator_ports`). The constant ALLOW_ANY opens everything.
 */
final class Address_Policy_Source {

	/** The wp-config constant that allows every address and port. */
	public const ALLOW_ANY = 'SMTP_PORT_HELPER_ALLOW_ANY_ADDRESS';

	/** The network option that lets sub-site administrators use internal addresses. */
	public const ALLOW_INTERNAL_OPTION = \SmtpPortHelper\Stored_Names::SITES_MAY_USE_INTERNAL;

	/** Settings fields that say where a message goes. */
	private const DESTINATION_FIELDS = array( 'host', 'port', 'fallback_ports' );

	/**
	 * The policy of the person making this request.
	 */
	public function for_current_user(): Address_Policy {
		if ( self::is_open() ) {
			return Address_Policy::open();
		}
		if ( ! is_multisite() || is_super_admin() ) {
			return Address_Policy::administrator();
		}
		return self::site_administrator();
	}

	/**
	 * The policy of the command line: whoever runs WP-CLI has the server's shell.
	 */
	public function for_command_line(): Address_Policy {
		return self::is_open() ? Address_Policy::open() : Address_Policy::administrator();
	}

	/**
	 * The policy of whoever set where the saved settings send mail. Sending happens as whoever
	 * triggers wp_mail(), so the settings' owner counts: on a network, a destination a site set
	 * follows a sub-site administrator's rules; one from the network defaults or wp-config follows
	 * the network administrator's.
	 *
	 * @param Settings_Store $settings The settings that are used.
	 */
	public function for_settings( Settings_Store $settings ): Address_Policy {
		if ( self::is_open() ) {
			return Address_Policy::open();
		}
		if ( ! is_multisite() || $settings->is_network() ) {
			return Address_Policy::administrator();
		}
		$from_network = array_merge( $settings->inherited(), array_keys( $settings->locked() ) );
		$effective    = $settings->get();
		$defaults     = Settings_Schema::defaults();
		foreach ( self::DESTINATION_FIELDS as $field ) {
			// A field the site set itself: not from the network or wp-config, not the default.
			if ( ! in_array( $field, $from_network, true ) && $defaults[ $field ] !== $effective->$field ) {
				return self::site_administrator();
			}
		}
		return Address_Policy::administrator();
	}

	/**
	 * The policy of whoever set the OAuth token endpoint the saved settings use. The token request
	 * carries the client secret and the refresh token and its answer shows in the page, so the
	 * endpoint follows its author's rules whoever triggers it — a visitor's wp_mail(), the outbox
	 * or a super admin's click: on a network, a site whose settings lead to another token endpoint
	 * than the network defaults (and wp-config) do gets a sub-site administrator's policy, even
	 * when it inherits the SMTP host and port.
	 *
	 * @param Settings_Store $settings The settings that are used.
	 */
	public function for_token_endpoint( Settings_Store $settings ): Address_Policy {
		if ( self::is_open() ) {
			return Address_Policy::open();
		}
		if ( ! is_multisite() || $settings->is_network() ) {
			return Address_Policy::administrator();
		}
		$own     = Provider_Profile::of( $settings->get() )->token_url;
		$network = Provider_Profile::of( Settings_Store::for_network()->get() )->token_url;
		return $own === $network ? Address_Policy::administrator() : self::site_administrator();
	}

	/**
	 * Whether the constant opens everything.
	 */
	private static function is_open(): bool {
		return defined( self::ALLOW_ANY ) && true === (bool) constant( self::ALLOW_ANY );
	}

	/**
	 * The policy of a sub-site administrator.
	 */
	private static function site_administrator(): Address_Policy {
		/**
		 * Whether administrators of single sites of a network may connect to internal addresses
		 * (loopback, private networks). Default: the network option.
		 *
		 * @param bool $allowed Allowed.
		 */
		$internal = (bool) apply_filters( 'smtp_port_helper_sites_may_use_internal_addresses', (bool) get_site_option( self::ALLOW_INTERNAL_OPTION, false ) );
		/**
		 * The ports administrators of single sites of a network may connect to.
		 *
		 * @param int[] $ports Ports: the submission ports and the presets' alternates.
		 */
		$ports = apply_filters( 'smtp_port_helper_site_administrator_ports', Submission_Ports::for_site_administrators() );
		return new Address_Policy( $internal, is_array( $ports ) ? array_map( 'intval', $ports ) : Submission_Ports::for_site_administrators() );
	}
}
