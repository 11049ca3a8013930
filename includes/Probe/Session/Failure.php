<?php
/**
 * What a failure means for the report and for the session.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Immutable outcome of something that went wrong: the failed stage and its detail, the verdict
 * (or '' when the failure does not decide one), what the session does next, and the short
 * cause reported when the failure happens on the certificate-reading connection.
 */
final class Failure {

	const STOP             = 'stop';
	const NEXT_ADDRESS     = 'next_address';
	const RECONNECT_PLAIN  = 'reconnect_plain';
	const READ_CERTIFICATE = 'read_certificate';

	/**
	 * Failed stage.
	 *
	 * @var string
	 */
	private string $stage;

	/**
	 * Stage detail.
	 *
	 * @var string
	 */
	private string $detail;

	/**
	 * Verdict code, or '' when this failure decides none.
	 *
	 * @var string
	 */
	private string $verdict;

	/**
	 * Verdict detail.
	 *
	 * @var string
	 */
	private string $verdict_detail;

	/**
	 * Next step (one of the constants).
	 *
	 * @var string
	 */
	private string $next;

	/**
	 * Cause reported by the certificate-reading connection.
	 *
	 * @var string
	 */
	private string $cause;

	/**
	 * Constructor.
	 *
	 * @param string      $stage          Failed stage.
	 * @param string      $detail         Stage detail.
	 * @param string      $verdict        Verdict code or ''.
	 * @param string      $next           Next step.
	 * @param string|null $verdict_detail Verdict detail (default: the stage detail).
	 * @param string|null $cause          Cause on the certificate-reading connection (default: the stage detail).
	 */
	public function __construct( string $stage, string $detail, string $verdict, string $next = self::STOP, ?string $verdict_detail = null, ?string $cause = null ) {
		$this->stage          = $stage;
		$this->detail         = $detail;
		$this->verdict        = $verdict;
		$this->next           = $next;
		$this->verdict_detail = null !== $verdict_detail ? $verdict_detail : $detail;
		$this->cause          = null !== $cause ? $cause : $detail;
	}

	/**
	 * Failed stage.
	 *
	 * @return string
	 */
	public function stage(): string {
		return $this->stage;
	}

	/**
	 * Stage detail.
	 *
	 * @return string
	 */
	public function detail(): string {
		return $this->detail;
	}

	/**
	 * Verdict code, or ''.
	 *
	 * @return string
	 */
	public function verdict(): string {
		return $this->verdict;
	}

	/**
	 * Verdict detail.
	 *
	 * @return string
	 */
	public function verdict_detail(): string {
		return $this->verdict_detail;
	}

	/**
	 * Next step.
	 *
	 * @return string
	 */
	public function next(): string {
		return $this->next;
	}

	/**
	 * Cause reported by the certificate-reading connection.
	 *
	 * @return string
	 */
	public function cause(): string {
		return $this->cause;
	}
}
