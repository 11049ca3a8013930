<?php
/**
 * Exception for invalid probe input.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Thrown when a host, port list, EHLO name or credential is refused. The message is
 * translated and safe to show to the user.
 */
class Invalid_Input_Exception extends \InvalidArgumentException {
}
