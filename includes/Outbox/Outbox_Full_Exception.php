<?php
/**
 * A message the outbox does not keep: over its budget, or the budget could not be counted.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Thrown by Outbox::add(); the message (translated, names no address) says which limit and
 * what it means, and Mail_Queue::keep() makes it the reason wp_mail() fails with.
 */
final class Outbox_Full_Exception extends \RuntimeException {

	/** The site's outbox holds as many messages as it may. */
	public const ROWS = 'rows';

	/** The site's outbox holds as many bytes as it may. */
	public const BYTES = 'bytes';

	/** A recipient has as many messages waiting from the last hour as one may. */
	public const RECIPIENT = 'recipient';

	/** The counts could not be taken (the database did not answer): refused, not let through. */
	public const UNCOUNTED = 'uncounted';

	/**
	 * Which limit: one of the constants.
	 *
	 * @var string
	 */
	private string $limit;

	/**
	 * Takes the limit and the plain-language reason.
	 *
	 * @param string $limit  Which limit (ROWS, BYTES, RECIPIENT, UNCOUNTED).
	 * @param string $reason What happened, for the log and the notice.
	 */
	public function __construct( string $limit, string $reason ) {
		parent::__construct( $reason );
		$this->limit = $limit;
	}

	/**
	 * Which limit refused the message.
	 */
	public function limit(): string {
		return $this->limit;
	}
}
