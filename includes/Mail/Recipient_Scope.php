<?php
/**
 * Whose mail a message is on a network: the site's own people, or someone the site must not read.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || exit;

/**
 * A network's users belong to the network: a password reset link for one of them works on every
 * site they belong to. So a sub-site may read — through an SMTP server its administrator chose —
 * only mail to its own people and to addresses that are no account of the network at all.
 *
 * Not the site's own (the message then goes the network's way, see Send_Route):
 * - a super admin, even one who is also a member of the site;
 * - the network's admin address (`admin_email` of the network);
 * - a user of the network who is not a member of this site;
 * - a member of this site who is also a member of another site of the network (any site, also an
 *   archived or deleted one): their reset link would open the other site too, and a sub-site
 *   administrator can invite existing users to their own site.
 *
 * Addresses are compared as WordPress stores them (case-insensitively).
 */
final class Recipient_Scope {

	/** A recipient is a super admin of the network. */
	public const SUPER_ADMIN = 'super_admin';

	/** A recipient is the network's admin address. */
	public const NETWORK_ADDRESS = 'network_address';

	/** A recipient is a user of the network who is not a member of this site. */
	public const OTHER_SITE_USER = 'other_site_user';

	/** A recipient is a member of this site and of another site of the network. */
	public const SHARED_USER = 'shared_user';

	/**
	 * Why the first recipient that is not the current site's own is not, or null when every
	 * recipient is the site's own or no account of the network. Always null on a single site.
	 *
	 * @param string[] $addresses Every recipient of the message (To, Cc, Bcc).
	 * @return string|null One of the constants, or null.
	 */
	public function foreign( array $addresses ): ?string {
		if ( ! is_multisite() ) {
			return null;
		}
		$network_address = strtolower( trim( (string) get_site_option( 'admin_email', '' ) ) );
		$site_id         = get_current_blog_id();
		foreach ( $addresses as $address ) {
			$address = strtolower( trim( (string) $address ) );
			if ( '' === $address ) {
				continue;
			}
			if ( '' !== $network_address && $network_address === $address ) {
				return self::NETWORK_ADDRESS;
			}
			$user = get_user_by( 'email', $address );
			if ( ! $user instanceof \WP_User ) {
				continue; // No account of the network.
			}
			if ( is_super_admin( $user->ID ) ) {
				return self::SUPER_ADMIN;
			}
			$sites = array_map( 'intval', array_keys( get_blogs_of_user( $user->ID, true ) ) );
			if ( ! in_array( $site_id, $sites, true ) ) {
				return self::OTHER_SITE_USER;
			}
			if ( count( $sites ) > 1 ) {
				return self::SHARED_USER;
			}
		}
		return null;
	}

	/**
	 * The reason in plain words, for the send path record (never an address).
	 *
	 * @param string $reason One of the constants.
	 */
	public static function describe( string $reason ): string {
		switch ( $reason ) {
			case self::SUPER_ADMIN:
				return __( 'a recipient is a super admin of the network', 'smtp-port-helper' );
			case self::NETWORK_ADDRESS:
				return __( 'a recipient is the network\'s admin address', 'smtp-port-helper' );
			case self::SHARED_USER:
				return __( 'a recipient is also a member of another site of the network', 'smtp-port-helper' );
			default:
				return __( 'a recipient is a user of the network who is not a member of this site', 'smtp-port-helper' );
		}
	}
}
