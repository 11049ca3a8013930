<?php
/**
 * Where one probe session stands now.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The session's current State constant, shared by Smtp_Probe_Session and Failure_Follow_Up
 * (both move it on).
 */
final class Session_State {

	/**
	 * Current state (State constants).
	 *
	 * @var string
	 */
	private string $current = State::NEW;

	/**
	 * The current state.
	 *
	 * @return string
	 */
	public function get(): string {
		return $this->current;
	}

	/**
	 * Whether the session stands in this state.
	 *
	 * @param string $state State constant.
	 * @return bool
	 */
	public function is( string $state ): bool {
		return $state === $this->current;
	}

	/**
	 * Moves the session to a state.
	 *
	 * @param string $state State constant.
	 * @return void
	 */
	public function set( string $state ): void {
		$this->current = $state;
	}
}
