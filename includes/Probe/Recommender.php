<?php
/**
 * Chooses the port to recommend.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Among ports whose verdict is ok (TLS verified, login possible), prefers 587, then the
 * provider's alternate ports in the given order (2525 by default, 2587 for Amazon SES...),
 * then 465, then any other working port. Port 25 is never recommended for submission, and a
 * port that works only in plain text is never ok, so it is never recommended either.
 */
class Recommender {

	/**
	 * Recommends a port.
	 *
	 * @param Port_Result[] $results              Results.
	 * @param int[]         $preferred_alternates Alternate ports in order of preference.
	 * @return array{port: int, encryption: string, reason: string, family: string}|null
	 */
	public static function recommend( array $results, array $preferred_alternates = array( Submission_Ports::DEFAULT_ALTERNATE ) ): ?array {
		$best      = null;
		$best_rank = PHP_INT_MAX;
		foreach ( $results as $result ) {
			if ( ! $result->is_ok() || Submission_Ports::RELAY === $result->port ) {
				continue;
			}
			if ( Port_Result::MODE_STARTTLS !== $result->mode && Port_Result::MODE_IMPLICIT_TLS !== $result->mode ) {
				continue;
			}
			$rank = self::rank( $result->port, $preferred_alternates );
			if ( $rank < $best_rank ) {
				$best      = $result;
				$best_rank = $rank;
			}
		}
		if ( null === $best ) {
			return null;
		}
		$family = Address_Family::only_working( $best );
		$reason = self::reason( $best, $preferred_alternates, $results );
		if ( '' !== $family ) {
			$reason .= ' ' . sprintf(
				/* translators: 1: the address family that works (IPv4 or IPv6), 2: the one that does not */
				__( 'Only %1$s reaches the mail server on this port (%2$s does not), so mail is sent over %1$s.', 'smtp-port-helper' ),
				Address_Family::label( $family ),
				Address_Family::label( Address_Family::IPV4 === $family ? Address_Family::IPV6 : Address_Family::IPV4 )
			);
		}
		return array(
			'port'       => $best->port,
			'encryption' => $best->mode,
			'reason'     => $reason,
			'family'     => $family,
		);
	}

	/**
	 * Rank of a port (lower is better).
	 *
	 * @param int   $port       Port.
	 * @param int[] $alternates Preferred alternates.
	 * @return int
	 */
	public static function rank( int $port, array $alternates ): int {
		if ( Submission_Ports::SUBMISSION === $port ) {
			return 0;
		}
		$index = array_search( $port, array_values( $alternates ), true );
		if ( false !== $index ) {
			return 1 + (int) $index;
		}
		if ( Submission_Ports::IMPLICIT_TLS === $port ) {
			return 1000;
		}
		return 2000 + $port;
	}

	/**
	 * Marks every port that refused the login while the recommended port accepted the same
	 * login, so that its message says the login works elsewhere instead of "check your password".
	 *
	 * @param Port_Result[]                                                             $results        Results of one test.
	 * @param array{port: int, encryption: string, reason: string, family: string}|null $recommendation Its recommendation.
	 * @return void
	 */
	public static function note_login_accepted_elsewhere( array $results, ?array $recommendation ): void {
		if ( null === $recommendation ) {
			return;
		}
		$accepted = false;
		foreach ( $results as $result ) {
			if ( $result->port === $recommendation['port'] ) {
				$accepted = true === $result->auth_ok;
			}
		}
		foreach ( $results as $result ) {
			$result->login_accepted_on = $accepted && Verdict::AUTH_FAILED === $result->verdict ? $recommendation['port'] : null;
		}
	}

	/**
	 * The failed ports that would have been preferred to the chosen one, best first (never 25).
	 *
	 * @param Port_Result   $best       Chosen result.
	 * @param int[]         $alternates Preferred alternates.
	 * @param Port_Result[] $results    All results.
	 * @return Port_Result[]
	 */
	private static function better_ranked_failures( Port_Result $best, array $alternates, array $results ): array {
		$best_rank = self::rank( $best->port, $alternates );
		$failures  = array();
		foreach ( $results as $result ) {
			if ( ! $result->is_ok() && Submission_Ports::RELAY !== $result->port && self::rank( $result->port, $alternates ) < $best_rank ) {
				$failures[ self::rank( $result->port, $alternates ) ] = $result;
			}
		}
		ksort( $failures );
		return array_values( $failures );
	}

	/**
	 * Why a preferred port is not the one recommended, in the words of its cause: only a port
	 * that could not be reached "did not work from this web server".
	 *
	 * @param Port_Result $failed A failed port that ranks before the chosen one.
	 * @param Port_Result $best   Chosen result.
	 * @return string
	 */
	private static function why_not( Port_Result $failed, Port_Result $best ): string {
		switch ( Verdict::cause( $failed->verdict ) ) {
			case Verdict::CAUSE_LOGIN:
				if ( true === $best->auth_ok ) {
					return sprintf(
						/* translators: 1: port number that refused the login, 2: port number that accepted it */
						__( 'Port %1$d refused the login that port %2$d accepted: your mail provider allows login only on some ports.', 'smtp-port-helper' ),
						$failed->port,
						$best->port
					);
				}
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d refused the login.', 'smtp-port-helper' ),
					$failed->port
				);
			case Verdict::CAUSE_CERTIFICATE:
				return sprintf(
					/* translators: %d: port number */
					__( 'On port %d, the mail server\'s certificate cannot be trusted.', 'smtp-port-helper' ),
					$failed->port
				);
			case Verdict::CAUSE_MAIL_SERVER:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d answered, but not in a way WordPress can use to send mail.', 'smtp-port-helper' ),
					$failed->port
				);
			default:
				return sprintf(
					/* translators: %d: port number */
					__( 'Port %d did not work from this web server.', 'smtp-port-helper' ),
					$failed->port
				);
		}
	}

	/**
	 * Plain-language reason.
	 *
	 * @param Port_Result   $best       Chosen result.
	 * @param int[]         $alternates Preferred alternates.
	 * @param Port_Result[] $results    All results.
	 * @return string
	 */
	private static function reason( Port_Result $best, array $alternates, array $results ): string {
		$port = $best->port;
		if ( Submission_Ports::SUBMISSION === $port ) {
			$text = __( 'Port 587 is the standard port for sending mail from an application, and the most widely offered. It works here with encryption.', 'smtp-port-helper' );
		} elseif ( in_array( $port, $alternates, true ) ) {
			$text = sprintf(
				/* translators: %d: port number */
				__( 'Port %d works here with encryption. It is an alternate port offered by providers when the standard ports are blocked.', 'smtp-port-helper' ),
				$port
			);
			if ( Submission_Ports::DEFAULT_ALTERNATE === $port ) {
				$text .= ' ' . __( 'Port 2525 is not an official standard, but it is widely used for this.', 'smtp-port-helper' );
			}
		} elseif ( Submission_Ports::IMPLICIT_TLS === $port ) {
			$text = __( 'Port 465 works here, encrypted from the first byte. It is a current standard for sending mail (RFC 8314), not an outdated one; 587 is only listed first because more providers offer it.', 'smtp-port-helper' );
		} else {
			$text = sprintf(
				/* translators: %d: port number */
				__( 'Port %d works here with encryption.', 'smtp-port-helper' ),
				$port
			);
		}
		foreach ( self::better_ranked_failures( $best, $alternates, $results ) as $failed ) {
			$text .= ' ' . self::why_not( $failed, $best );
		}
		$text .= ' ' . sprintf(
			/* translators: 1: port number, 2: encryption setting name (STARTTLS or SSL/TLS) */
			__( 'Use port %1$d with encryption set to %2$s.', 'smtp-port-helper' ),
			$port,
			Encryption::label( $best->mode )
		);
		return $text;
	}
}
