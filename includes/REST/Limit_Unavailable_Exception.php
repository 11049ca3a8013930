<?php
/**
 * A limit could not be counted (a database error): the request is refused, never let through.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown by Rate_Limiter and Concurrency_Limit when the database does not answer: a limit that
 * cannot count fails closed (Rate_Limiter::unavailable(), a 503).
 */
final class Limit_Unavailable_Exception extends \RuntimeException {
}
