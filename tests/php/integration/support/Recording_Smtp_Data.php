<?php
/**
 * PHPMailer's own SMTP::data() with the socket replaced by a string: the reference for the wire
 * text of DATA.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use PHPMailer\PHPMailer\SMTP;

/**
 * Every command is answered as expected; what PHPMailer writes during DATA is kept in `$wire`.
 */
final class Recording_Smtp_Data extends SMTP {

	/**
	 * What data() wrote between `354` and the terminating dot.
	 *
	 * @var string
	 */
	public string $wire = '';

	/**
	 * Answers every command as the caller expects, writes nothing.
	 *
	 * @param string    $command       The command's name.
	 * @param string    $commandstring What would be sent.
	 * @param int|int[] $expect        The expected code(s).
	 * @return bool
	 */
	protected function sendCommand( $command, $commandstring, $expect ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundInExtendedClassAfterLastUsed
		return true;
	}

	/**
	 * Keeps the data instead of writing it.
	 *
	 * @param string $data    Wire text.
	 * @param string $command The command it belongs to.
	 * @return int
	 */
	public function client_send( $data, $command = '' ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$this->wire .= $data;
		return strlen( $data );
	}
}
