<?php
/**
 * Which From address a message leaves with, and why.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The From rule of every message this plugin sends (wp_mail() through Mail\Mailer_Hook, the
 * self-check's notice) and of the settings answer (which From will be used, and why):
 *
 * 1. the From address setting, when set and either forced or the message has WordPress's default;
 * 2. else, when the message has WordPress's default (`wordpress@<site>`) and the login is a
 *    mailbox — the OAuth sign-in's mailbox, or a password login whose user name is an address —
 *    that mailbox: Microsoft 365 refuses any other sender for the mailbox
 *    (`554 5.2.252 SendAsDenied`) and Gmail rewrites it;
 * 3. else the message's own From (WordPress's default, or what a plugin set).
 */
final class From_Address {

	/** Why: the From address setting. */
	public const FROM_SETTING = 'from_setting';

	/** Why: the mailbox the login signs in to. */
	public const LOGIN_MAILBOX = 'login_mailbox';

	/** Why: WordPress's default (no setting, no mailbox login). */
	public const WORDPRESS_DEFAULT = 'wordpress_default';

	/** Why: the message's own From (a plugin set it). */
	public const MESSAGE = 'message';

	/** Every reason, for the REST schema. */
	public const REASONS = array( self::FROM_SETTING, self::LOGIN_MAILBOX, self::WORDPRESS_DEFAULT );

	/**
	 * The From a message leaves with.
	 *
	 * @param Settings $settings Effective settings.
	 * @param string   $current  The message's From as WordPress or a plugin set it.
	 * @param string   $login    The mailbox the login uses (OAuth: its mailbox; password: the user name); '' without login.
	 * @return array{email: string, reason: string}
	 */
	public static function choose( Settings $settings, string $current, string $login ): array {
		$default = self::is_wordpress_default( $current );
		if ( '' !== $settings->from_email && ( $settings->force_from_email || $default ) ) {
			return self::pick( $settings->from_email, self::FROM_SETTING );
		}
		if ( $default && self::is_mailbox( $login ) ) {
			return self::pick( $login, self::LOGIN_MAILBOX );
		}
		return self::pick( $current, $default ? self::WORDPRESS_DEFAULT : self::MESSAGE );
	}

	/**
	 * The From of a message that has WordPress's default (the settings answer, the plugin's own notices).
	 *
	 * @param Settings $settings Effective settings.
	 * @param string   $login    The mailbox the login uses, or ''.
	 * @return array{email: string, reason: string}
	 */
	public static function for_settings( Settings $settings, string $login ): array {
		return self::choose( $settings, self::wordpress_default(), $login );
	}

	/**
	 * The mailbox a password login uses: the user name when login is on, else ''.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public static function password_login( Settings $settings ): string {
		return $settings->auth && ! $settings->uses_oauth() ? $settings->username : '';
	}

	/**
	 * WordPress's own default From address (wordpress@ the site's domain, as wp_mail() builds it).
	 */
	public static function wordpress_default(): string {
		$domain = strtolower( (string) wp_parse_url( network_home_url(), PHP_URL_HOST ) );
		if ( 0 === strpos( $domain, 'www.' ) ) {
			$domain = substr( $domain, 4 );
		}
		return 'wordpress@' . $domain;
	}

	/**
	 * Whether a From address is WordPress's own default (wordpress@ any domain).
	 *
	 * @param string $from From address.
	 */
	public static function is_wordpress_default( string $from ): bool {
		return 0 === strpos( strtolower( $from ), 'wordpress@' );
	}

	/**
	 * Whether a login name is a mailbox address.
	 *
	 * @param string $login Login name.
	 */
	private static function is_mailbox( string $login ): bool {
		return '' !== $login && false !== filter_var( $login, FILTER_VALIDATE_EMAIL ) && ! self::is_wordpress_default( $login );
	}

	/**
	 * One answer.
	 *
	 * @param string $email  Address.
	 * @param string $reason Why.
	 * @return array{email: string, reason: string}
	 */
	private static function pick( string $email, string $reason ): array {
		return array(
			'email'  => $email,
			'reason' => $reason,
		);
	}

	/**
	 * The settings' From address and name, and the Return-Path when chosen.
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 * @param Settings  $settings  Effective settings.
	 * @param string    $login     The mailbox the login uses ('' for none).
	 */
	public static function apply( PHPMailer $phpmailer, Settings $settings, string $login ): void {
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->From = self::choose( $settings, $phpmailer->From, $login )['email'];
		if ( '' !== $settings->from_name && ( $settings->force_from_name || 'WordPress' === $phpmailer->FromName ) ) {
			$phpmailer->FromName = $settings->from_name;
		}
		if ( $settings->return_path ) {
			$phpmailer->Sender = $phpmailer->From;
		}
		// phpcs:enable
	}
}
