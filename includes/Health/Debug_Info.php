<?php
/**
 * Site Health → Info: the plugin's settings, never a secret.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * The plugin's section of the Info tab: the settings (never the password: only whether it is
 * set and readable), each marked when a wp-config constant fixes it.
 */
final class Debug_Info {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings model.
	 *
	 * @param Settings_Store $settings The settings model.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks the Info tab.
	 */
	public function register(): void {
		add_filter( 'debug_information', array( $this, 'debug_information' ) );
	}
	/**
	 * The plugin's section of Site Health → Info. Secrets are never shown.
	 *
	 * @param mixed $info Sections: an array, unless another plugin's filter broke it.
	 * @return array<mixed>
	 */
	public function debug_information( $info ): array {
		$info     = is_array( $info ) ? $info : array();
		$settings = $this->settings->get();
		$locked   = $this->settings->locked();
		$yes      = __( 'Yes', 'smtp-port-helper' );
		$no       = __( 'No', 'smtp-port-helper' );
		$fields   = array(
			'enabled'          => array( __( 'Enabled', 'smtp-port-helper' ), $settings->enabled ? $yes : $no ),
			'host'             => array( __( 'Host', 'smtp-port-helper' ), '' !== $settings->host ? $settings->host : __( 'Not set', 'smtp-port-helper' ) ),
			'port'             => array( __( 'Port', 'smtp-port-helper' ), (string) $settings->port ),
			'encryption'       => array( __( 'Encryption', 'smtp-port-helper' ), Encryption::label( $settings->encryption ), $settings->encryption ),
			'auth'             => array( __( 'Authentication', 'smtp-port-helper' ), $settings->auth ? $yes : $no ),
			'username'         => array( __( 'User name', 'smtp-port-helper' ), '' !== $settings->username ? __( 'Set', 'smtp-port-helper' ) : __( 'Not set', 'smtp-port-helper' ) ),
			'password'         => array( __( 'Password', 'smtp-port-helper' ), $this->password_state() ),
			'from_email'       => array( __( 'From address', 'smtp-port-helper' ), $settings->from_email ),
			'from_name'        => array( __( 'From name', 'smtp-port-helper' ), $settings->from_name ),
			'force_from_email' => array( __( 'Force the From address', 'smtp-port-helper' ), $settings->force_from_email ? $yes : $no ),
			'force_from_name'  => array( __( 'Force the From name', 'smtp-port-helper' ), $settings->force_from_name ? $yes : $no ),
			'return_path'      => array( __( 'Return-Path = From', 'smtp-port-helper' ), $settings->return_path ? $yes : $no ),
			'ca_file'          => array( __( 'CA file', 'smtp-port-helper' ), '' !== $settings->ca_file ? $settings->ca_file : __( 'System certificates', 'smtp-port-helper' ) ),
			'verify_tls'       => array( __( 'Certificate verification', 'smtp-port-helper' ), $this->settings->verify_tls() ? $yes : $no ),
			'timeout'          => array( __( 'Timeout (seconds)', 'smtp-port-helper' ), (string) $settings->timeout ),
			'send_time_limit'  => array( __( 'Time limit per message (seconds)', 'smtp-port-helper' ), (string) $settings->send_time_limit ),
			'fallback'         => array( __( 'Fallback ports', 'smtp-port-helper' ), $settings->fallback ? implode( ', ', $settings->fallback_ports ) : $no ),
		);
		$out      = array();
		foreach ( $fields as $key => $field ) {
			$value = $field[1];
			if ( isset( $locked[ $key ] ) ) {
				/* translators: 1: value, 2: name of a PHP constant */
				$value = sprintf( __( '%1$s (from %2$s)', 'smtp-port-helper' ), $value, $locked[ $key ] );
			}
			$out[ $key ] = array(
				'label' => $field[0],
				'value' => $value,
				'debug' => $field[2] ?? $field[1],
			);
		}
		$out['from_email']['private'] = true;
		$info['smtp-port-helper']     = array(
			'label'  => __( 'SMTP Port Helper', 'smtp-port-helper' ),
			'fields' => $out,
		);
		return $info;
	}
	/**
	 * "Set", "Not set" or "Set, but cannot be decrypted".
	 */
	private function password_state(): string {
		if ( $this->settings->password_unreadable() ) {
			return __( 'Set, but cannot be decrypted', 'smtp-port-helper' );
		}
		return $this->settings->password_set() ? __( 'Set', 'smtp-port-helper' ) : __( 'Not set', 'smtp-port-helper' );
	}
}
