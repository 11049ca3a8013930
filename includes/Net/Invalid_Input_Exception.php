<?php
/**
 * Exception for invalid input: a host, a port list, a setting.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Thrown when a host, port list, EHLO name or credential is refused. The message is
 * translated and safe to show to the user; field() names the option that was refused, so that
 * a front door can show the message next to its own field.
 */
class Invalid_Input_Exception extends \InvalidArgumentException {

	/**
	 * Key of the refused option (a key of Probe_Options::from_array() or a settings field), or '' when not known.
	 *
	 * @var string
	 */
	private string $field;

	/**
	 * Takes the user-facing message and the refused option.
	 *
	 * @param string $message Translated message.
	 * @param string $field   Key of the refused option, or ''.
	 */
	public function __construct( string $message, string $field = '' ) {
		parent::__construct( $message );
		$this->field = $field;
	}

	/**
	 * Key of the refused option, or ''.
	 */
	public function field(): string {
		return $this->field;
	}

	/**
	 * This exception, naming the option when it does not name one yet.
	 *
	 * @param string $field Key of the refused option.
	 */
	public function in_field( string $field ): self {
		return '' === $this->field ? new self( $this->getMessage(), $field ) : $this;
	}
}
