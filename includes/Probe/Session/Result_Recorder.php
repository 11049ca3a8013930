<?php
/**
 * Writes timed stages and the verdict of one probe session into its Port_Result.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Text;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Each stage is timed from the previous mark. The first verdict decided wins. While quiet (on
 * the certificate-reading connection) stages are not recorded, only the clock mark moves.
 */
final class Result_Recorder {

	/**
	 * Verdicts that say nothing about the port's mode.
	 */
	const VERDICTS_WITHOUT_MODE = array( Verdict::DNS_FAILED, Verdict::REFUSED, Verdict::TIMEOUT, Verdict::UNREACHABLE, Verdict::NO_BANNER, Verdict::NOT_SMTP );

	/**
	 * Result being filled.
	 *
	 * @var Port_Result
	 */
	private Port_Result $result;

	/**
	 * Start time of the session.
	 *
	 * @var float
	 */
	private float $started_at = 0.0;

	/**
	 * Start time of the current stage.
	 *
	 * @var float
	 */
	private float $stage_at = 0.0;

	/**
	 * Whether stages are left out.
	 *
	 * @var bool
	 */
	private bool $quiet = false;

	/**
	 * Constructor.
	 *
	 * @param Port_Result $result Result to fill.
	 */
	public function __construct( Port_Result $result ) {
		$this->result = $result;
	}

	/**
	 * Starts the session clock.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function start( float $now ): void {
		$this->started_at = $now;
	}

	/**
	 * Starts timing a new stage.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function mark( float $now ): void {
		$this->stage_at = $now;
	}

	/**
	 * Leaves out stages from now on.
	 *
	 * @return void
	 */
	public function go_quiet(): void {
		$this->quiet = true;
	}

	/**
	 * Records a stage timed from the last mark, and marks now.
	 *
	 * @param string $name   Stage.
	 * @param bool   $ok     Success.
	 * @param float  $now    Current time.
	 * @param string $detail Detail.
	 * @return void
	 */
	public function stage( string $name, bool $ok, float $now, string $detail ): void {
		if ( ! $this->quiet ) {
			$this->result->add_stage( $name, $ok, ( $now - $this->stage_at ) * 1000, $detail );
		}
		$this->stage_at = $now;
	}

	/**
	 * Records a stage even while quiet (the certificate-reading connection's one stage).
	 *
	 * @param string $name   Stage.
	 * @param bool   $ok     Success.
	 * @param float  $now    Current time.
	 * @param string $detail Detail.
	 * @return void
	 */
	public function stage_always( string $name, bool $ok, float $now, string $detail ): void {
		$this->result->add_stage( $name, $ok, ( $now - $this->stage_at ) * 1000, $detail );
	}

	/**
	 * Sets the verdict unless one is set.
	 *
	 * @param string $verdict Verdict code.
	 * @param string $detail  Detail.
	 * @return void
	 */
	public function decide( string $verdict, string $detail ): void {
		if ( '' === $this->result->verdict ) {
			$this->result->verdict        = $verdict;
			$this->result->verdict_detail = Text::sanitize( $detail );
		}
	}

	/**
	 * Whether a verdict is set.
	 *
	 * @return bool
	 */
	public function has_verdict(): bool {
		return '' !== $this->result->verdict;
	}

	/**
	 * Closes the result: elapsed time, a verdict in any case, and no mode claimed from a
	 * verdict that shows none.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function finish( float $now ): void {
		$this->result->elapsed_ms = ( $now - $this->started_at ) * 1000;
		if ( '' === $this->result->verdict ) {
			$this->result->verdict = Verdict::NOT_SMTP;
		}
		if ( in_array( $this->result->verdict, self::VERDICTS_WITHOUT_MODE, true )
			&& Port_Result::MODE_STARTTLS !== $this->result->mode && Port_Result::MODE_IMPLICIT_TLS !== $this->result->mode ) {
			$this->result->mode = Port_Result::MODE_UNKNOWN;
		}
	}
}
