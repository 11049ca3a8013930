<?php
/**
 * What Secret_Box::reseal() did to one stored secret.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Secrets;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The outcome (one of the constants, also what `wp smtp-port-helper rekey` prints) and, when the
 * secret was sealed again, the new sealed value the caller stores in place of the old one.
 */
final class Resealed {

	/** No secret is stored there. */
	public const NONE = 'none';

	/** The secret was sealed again under the current key: store `$sealed`. */
	public const RESEALED = 'resealed';

	/** Nothing to do: the secret already opens with the current key. */
	public const CURRENT = 'current';

	/** Neither key opens it (or a `v1` value's context does not hold): it must be entered again. */
	public const UNREADABLE = 'unreadable';

	/**
	 * One of the constants.
	 *
	 * @var string
	 */
	public string $outcome;

	/**
	 * The new sealed value (RESEALED only), else null.
	 *
	 * @var string|null
	 */
	public ?string $sealed;

	/**
	 * Takes the outcome and the new sealed value.
	 *
	 * @param string      $outcome One of the constants.
	 * @param string|null $sealed  The new sealed value (RESEALED only).
	 */
	public function __construct( string $outcome, ?string $sealed = null ) {
		$this->outcome = $outcome;
		$this->sealed  = $sealed;
	}

	/**
	 * Whether the caller must store the new sealed value.
	 */
	public function changed(): bool {
		return null !== $this->sealed;
	}
}
