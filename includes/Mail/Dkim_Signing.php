<?php
/**
 * DKIM signing with the site's own key, applied to PHPMailer at send time.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Deliverability\Dkim_Key;
use SmtpPortHelper\Deliverability\Dkim_Key_Store;
use SmtpPortHelper\Deliverability\Send_Path;
use SmtpPortHelper\Settings\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Sets PHPMailer's DKIM fields (rsa-sha256, relaxed/simple: PHPMailer signs with RSA only) when
 * signing is on, the site has a key whose private half opens, and the From domain is the key's
 * domain or under it. wp_mail() reuses one PHPMailer, so a message that must not be signed gets
 * the fields this class set for an earlier one cleared (another plugin's DKIM set-up is left alone).
 */
final class Dkim_Signing {

	/**
	 * The site's key; null: the current site's at the time of sending.
	 *
	 * @var Dkim_Key_Store|null
	 */
	private ?Dkim_Key_Store $keys;

	/**
	 * Takes the key store.
	 *
	 * @param Dkim_Key_Store|null $keys Key store (null: the current site's).
	 */
	public function __construct( ?Dkim_Key_Store $keys = null ) {
		$this->keys = $keys;
	}

	/**
	 * Signs, or not.
	 *
	 * @param PHPMailer     $phpmailer The mailer, its From set.
	 * @param Settings|null $settings  The settings the message goes out with; null when the site's
	 *                                 choices do not apply to it (someone else's mail on a network).
	 * @return bool Whether the message will be signed.
	 */
	public function apply( PHPMailer $phpmailer, ?Settings $settings ): bool {
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		if ( 0 === strpos( $phpmailer->DKIM_selector, Dkim_Key::SELECTOR_PREFIX ) && '' !== $phpmailer->DKIM_private_string ) {
			$phpmailer->DKIM_domain         = '';
			$phpmailer->DKIM_selector       = '';
			$phpmailer->DKIM_private_string = '';
		}
		if ( null === $settings || ! $settings->dkim_signing ) {
			return false;
		}
		$keys    = $this->keys ?? Dkim_Key_Store::for_current_site();
		$key     = $keys->current();
		$private = null === $key || ! $key->signs_for( Send_Path::domain_of( $phpmailer->From ) ) ? null : $keys->private_key();
		if ( null === $key || null === $private ) {
			return false;
		}
		$phpmailer->DKIM_domain           = $key->domain;
		$phpmailer->DKIM_selector         = $key->selector;
		$phpmailer->DKIM_private          = '';
		$phpmailer->DKIM_private_string   = $private;
		$phpmailer->DKIM_passphrase       = '';
		$phpmailer->DKIM_identity         = '';
		$phpmailer->DKIM_copyHeaderFields = false;
		// phpcs:enable
		return true;
	}
}
