<?php
/**
 * The state of the OAuth sign-in in words, for `wp smtp-port-helper status`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\OAuth\Keep_Alive;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Connected as whom and since when, refused since when and why, the next keep-alive, what will
 * expire soon (OAuth_Notice::warnings()), and whether mail is held. Never a token.
 */
final class Sign_In_Status {

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The OAuth engine.
	 *
	 * @var OAuth_Connection
	 */
	private OAuth_Connection $oauth;

	/**
	 * The outbox (held mail).
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Takes the settings, the engine and the outbox.
	 *
	 * @param Settings_Store   $settings Site settings.
	 * @param OAuth_Connection $oauth    OAuth engine.
	 * @param Outbox           $outbox   The outbox.
	 */
	public function __construct( Settings_Store $settings, OAuth_Connection $oauth, Outbox $outbox ) {
		$this->settings = $settings;
		$this->oauth    = $oauth;
		$this->outbox   = $outbox;
	}

	/**
	 * How many messages are held (released only by the administrator).
	 */
	public function held(): int {
		return $this->outbox->counts()[ Outbox::HELD ];
	}

	/**
	 * The sign-in's lines; none when OAuth 2.0 is not in use.
	 *
	 * @return list<string>
	 */
	public function lines(): array {
		$settings = $this->settings->get();
		$lines    = array();
		if ( $settings->is_active() && $settings->uses_oauth() ) {
			$record = $this->oauth->tokens()->record_for( $settings );
			if ( null === $record ) {
				$lines[] = __( 'Sign-in (OAuth 2.0): not connected for this server and user name. Click "Connect" in Settings → SMTP Port Helper.', 'smtp-port-helper' );
			} elseif ( Token_Store::STATE_FAILED === $record['state'] ) {
				$lines[] = sprintf(
					/* translators: 1: account, 2: date and time (UTC), 3: what went wrong and what to do */
					__( 'Sign-in (OAuth 2.0): %1$s refused since %2$s UTC. %3$s', 'smtp-port-helper' ),
					'' !== $record['account'] ? $record['account'] : $settings->username,
					'' !== $record['failed_at'] ? gmdate( 'Y-m-d H:i', (int) $record['failed_at'] ) : '?',
					$record['message']
				);
			} else {
				$lines[] = sprintf(
					/* translators: 1: account, 2: date and time (UTC), 3: date and time (UTC) */
					__( 'Sign-in (OAuth 2.0): connected as %1$s since %2$s UTC, last renewed %3$s UTC.', 'smtp-port-helper' ),
					'' !== $record['account'] ? $record['account'] : $settings->username,
					gmdate( 'Y-m-d H:i', (int) strtotime( $record['connected_at'] ) ),
					'' !== $record['refreshed_at'] ? gmdate( 'Y-m-d H:i', (int) $record['refreshed_at'] ) : '?'
				);
				$next    = Keep_Alive::next_run();
				$lines[] = null === $next
					? __( 'Next keep-alive: not scheduled (it is scheduled at the next sign-in or renewal).', 'smtp-port-helper' )
					/* translators: %s: date and time (UTC) */
					: sprintf( __( 'Next keep-alive: %s UTC.', 'smtp-port-helper' ), gmdate( 'Y-m-d H:i', $next ) );
			}
			foreach ( ( new OAuth_Notice( $this->settings, $this->oauth ) )->warnings() as $warning ) {
				$lines[] = $warning;
			}
		}
		$held = $this->held();
		if ( $held > 0 ) {
			$lines[] = sprintf(
				/* translators: %d: number of messages */
				_n( 'Mail held: %d message waits until the login or sign-in is fixed (wp smtp-port-helper outbox list).', 'Mail held: %d messages wait until the login or sign-in is fixed (wp smtp-port-helper outbox list).', $held, 'smtp-port-helper' ),
				$held
			);
		}
		return $lines;
	}
}
