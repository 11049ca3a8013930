<?php
/**
 * Records how the last message was really sent.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Another plugin or a snippet on `phpmailer_init` that runs after this plugin wins, and the user
 * then tests one configuration while mail goes another way. This records, for the last message,
 * what PHPMailer looked like right after this plugin configured it and after every callback ran,
 * and which callbacks ran after this plugin's — the candidates for a change.
 */
final class Send_Path_Recorder {

	/** Option with the last message's record (not autoloaded). */
	const OPTION = \SmtpPortHelper\Stored_Names::LAST_SEND;

	/**
	 * PHPMailer right after this plugin configured it, for the message being sent.
	 *
	 * @var Send_Path|null
	 */
	private ?Send_Path $ours = null;

	/**
	 * Whose server the message was given on a network (`site`, `network`, or `core` for
	 * WordPress's own mail) and why not the site's; empty when the plugin was off for it.
	 *
	 * @var array{via: string, reason: string}
	 */
	private array $route = array(
		'via'    => '',
		'reason' => '',
	);

	/**
	 * Called right after this plugin configured PHPMailer (or decided not to).
	 *
	 * @param PHPMailer                                                                                      $phpmailer  The mailer.
	 * @param bool                                                                                           $configured Whether this plugin set the connection.
	 * @param array{store: \SmtpPortHelper\Settings\Settings_Store|null, route: string, reason: string}|null $route The way Send_Route chose, or null when the plugin was off.
	 */
	public function after_ours( PHPMailer $phpmailer, bool $configured, ?array $route = null ): void {
		$this->ours = $configured ? Send_Path::of( $phpmailer ) : null;
		$via        = '';
		if ( null !== $route ) {
			$via = null === $route['store'] ? 'core' : ( $route['store']->is_network() ? 'network' : 'site' );
		}
		$this->route = array(
			'via'    => $via,
			'reason' => null !== $route ? $route['reason'] : '',
		);
	}

	/**
	 * `phpmailer_init` at the last priority: every callback has run; stores the record.
	 *
	 * @param PHPMailer $phpmailer The mailer as wp_mail() will use it.
	 * @param callable  $ours      This plugin's `phpmailer_init` callback.
	 */
	public function after_all( PHPMailer $phpmailer, $ours ): void {
		update_option(
			self::OPTION,
			array(
				'time'  => time(),
				'ours'  => null !== $this->ours ? $this->ours->to_array() : null,
				'final' => Send_Path::of( $phpmailer )->to_array(),
				'later' => self::callbacks_after( $ours ),
				// Why the message did not go through the site's own server (never an address).
				'route' => $this->route,
			),
			false
		);
		$this->ours  = null;
		$this->route = array(
			'via'    => '',
			'reason' => '',
		);
	}

	/**
	 * The `phpmailer_init` callbacks that run after the given one (all others when it is not
	 * hooked), with the file each is defined in. The plugin's own callbacks are left out.
	 *
	 * @param callable $ours This plugin's callback.
	 * @return list<array{name: string, file: string}>
	 */
	public static function callbacks_after( $ours ): array {
		global $wp_filter;
		if ( ! isset( $wp_filter['phpmailer_init'] ) ) {
			return array();
		}
		$after = false === has_action( 'phpmailer_init', $ours );
		$found = array();
		foreach ( $wp_filter['phpmailer_init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				$function = $callback['function'];
				if ( $function === $ours ) {
					$after = true;
					continue;
				}
				// The other hooks of the object that registered ours are this plugin's own.
				if ( ! $after || ( is_array( $function ) && is_array( $ours ) && $function[0] === $ours[0] ) ) {
					continue;
				}
				$found[] = Code_Origin::of_callback( $function );
			}
		}
		return $found;
	}
}
