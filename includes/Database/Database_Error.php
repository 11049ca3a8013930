<?php
/**
 * The database did not answer an atomic write.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Database;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown by Atomic_Option when a statement fails: the caller decides whether that refuses the
 * request (a limit fails closed) or skips the work (a re-test turn).
 */
final class Database_Error extends \RuntimeException {
}
