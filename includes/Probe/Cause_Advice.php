<?php
/**
 * What to do about each cause of failure in a port test, addressed to whoever can fix it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The advice the page, Site Health and `wp smtp-port-helper test` show under a port test: one
 * piece per cause of failure (the site owner for a host name or login, the mail provider for a
 * certificate, the web host for a blocked network) instead of the same sentence on every port,
 * who blocks outgoing mail when no port could be reached, and — for Site Health's check of the
 * saved port — what the other ports offer instead. Verdict::message() says what happened on one
 * port; this class says what to do about it.
 *
 * @phpstan-type Advice array{cause: string, ports: list<int>, text: string}
 */
final class Cause_Advice {

	/** The causes in the order they are shown: the first one fixed may fix the rest. */
	public const ORDER = array(
		Verdict::CAUSE_HOST_NAME,
		Verdict::CAUSE_LOGIN,
		Verdict::CAUSE_CERTIFICATE,
		Verdict::CAUSE_NETWORK,
		Verdict::CAUSE_MAIL_SERVER,
	);

	/**
	 * One piece of advice per cause of failure in the report, in ORDER. A failed relay port (25)
	 * while another port works is left out: 25 is not for submission anyway.
	 *
	 * @param Probe_Report $report The port test.
	 * @return list<Advice>
	 */
	public static function for_report( Probe_Report $report ): array {
		$any_ok       = false;
		$login_worked = array();
		foreach ( $report->results as $result ) {
			if ( $result->is_ok() ) {
				$any_ok = true;
				if ( self::login_accepted( $result ) ) {
					$login_worked[] = $result->port;
				}
			}
		}
		$ports_by_cause = array();
		foreach ( $report->results as $result ) {
			$cause = Verdict::cause( $result->verdict );
			if ( $result->is_ok() || Verdict::CAUSE_NONE === $cause || ( $any_ok && Submission_Ports::RELAY === $result->port ) ) {
				continue;
			}
			$ports_by_cause[ $cause ][] = $result->port;
		}
		$advice = array();
		foreach ( self::ORDER as $cause ) {
			if ( empty( $ports_by_cause[ $cause ] ) ) {
				continue;
			}
			$ports    = $ports_by_cause[ $cause ];
			$advice[] = array(
				'cause' => $cause,
				'ports' => $ports,
				'text'  => self::from_the_report( $cause, $report ) ?? self::cause_text( $cause, $ports, $report->host, $login_worked ),
			);
		}
		return $advice;
	}

	/**
	 * When no port could even be connected to: who blocks it and what to ask them. Null when a
	 * port answered (the problem is elsewhere).
	 *
	 * @param string        $host    Host tested.
	 * @param Port_Result[] $results Results.
	 */
	public static function all_blocked( string $host, array $results ): ?string {
		if ( array() === $results ) {
			return null;
		}
		$ports = array();
		foreach ( $results as $result ) {
			if ( Verdict::CAUSE_NETWORK !== Verdict::cause( $result->verdict ) ) {
				return null;
			}
			if ( Submission_Ports::RELAY !== $result->port ) {
				$ports[] = $result->port;
			}
		}
		$ports  = array() !== $ports ? $ports : array( Submission_Ports::SUBMISSION );
		$advice = sprintf(
			/* translators: 1: mail server host name, 2: list of ports, e.g. "587, 465" */
			__( 'No port of %1$s could be reached: this web server cannot open outgoing mail connections, which most often means the web host or a firewall blocks them. Ask your web host: "Please allow outgoing TCP connections from this server to %1$s on ports %2$s (mail submission)."', 'smtp-port-helper' ),
			$host,
			implode( ', ', $ports )
		);
		$rule = Hosting_Platform_Blocks::rule( Hosting_Platform_Blocks::current_platform() );
		if ( null !== $rule ) {
			$advice .= ' ' . sprintf(
				/* translators: 1: platform name, 2: list of ports */
				__( 'This web server runs on %1$s, which blocks ports %2$s by its published rules.', 'smtp-port-helper' ),
				$rule['name'],
				implode( ', ', $rule['ports'] )
			);
		}
		return $advice;
	}

	/**
	 * For Site Health's check of the saved port, which failed: what the other ports of the same
	 * host offer, and the change to make in the settings.
	 *
	 * @param Probe_Report $report        The saved port's run joined with the other ports'.
	 * @param string       $host          The saved host.
	 * @param int          $saved_port    The saved port.
	 * @param string       $saved_verdict The saved port's verdict.
	 */
	public static function alternatives( Probe_Report $report, string $host, int $saved_port, string $saved_verdict ): string {
		$recommendation = $report->recommendation;
		$tested         = implode( ', ', array_map( static fn( Port_Result $r ): string => (string) $r->port, $report->results ) );
		if ( null === $recommendation && Verdict::AUTH_FAILED === $saved_verdict ) {
			return sprintf(
				/* translators: 1: host name, 2: list of port numbers */
				__( 'No other port of %1$s accepted the saved user name and password either (tested: %2$s), so the login itself is refused. Check them; some providers require an "app password" or a setting that allows SMTP login.', 'smtp-port-helper' ),
				$host,
				$tested
			);
		}
		if ( null === $recommendation ) {
			return sprintf(
				/* translators: 1: host name, 2: list of port numbers */
				__( 'No other port of %1$s works from this web server either (tested: %2$s). Open the SMTP settings and run the port test for each port\'s explanation.', 'smtp-port-helper' ),
				$host,
				$tested
			);
		}
		$change = sprintf(
			/* translators: 1: port number, 2: encryption name (STARTTLS or SSL/TLS) */
			__( 'In the SMTP settings, set the port to %1$d and the encryption to %2$s.', 'smtp-port-helper' ),
			$recommendation['port'],
			Encryption::label( $recommendation['encryption'] )
		);
		if ( $recommendation['port'] === $saved_port ) {
			return $change;
		}
		$working = $report->get_result( $recommendation['port'] );
		$works   = null !== $working && true === $working->auth_ok
			? sprintf(
				/* translators: %d: port number */
				__( 'Port %d works from this web server and accepts the saved user name and password.', 'smtp-port-helper' ),
				$recommendation['port']
			)
			: sprintf(
				/* translators: %d: port number */
				__( 'Port %d works from this web server.', 'smtp-port-helper' ),
				$recommendation['port']
			);
		return $works . ' ' . $change;
	}

	/**
	 * Where the report knows more than the cause: the address policy's refusal (the name resolved,
	 * but to addresses this site may not use), and who blocks outgoing mail when no port could be
	 * reached (with the platform's rule and the sentence to send the web host).
	 *
	 * @param string       $cause  A CAUSE_ constant.
	 * @param Probe_Report $report The port test.
	 */
	private static function from_the_report( string $cause, Probe_Report $report ): ?string {
		if ( Verdict::CAUSE_NETWORK === $cause ) {
			return self::all_blocked( $report->host, $report->results );
		}
		if ( Verdict::CAUSE_HOST_NAME === $cause ) {
			foreach ( $report->results as $result ) {
				if ( Verdict::ADDRESS_REFUSED === $result->verdict ) {
					return Verdict::message( $result );
				}
			}
		}
		return null;
	}

	/**
	 * The advice for a cause on the given ports.
	 *
	 * @param string $cause        A CAUSE_ constant other than CAUSE_NONE.
	 * @param int[]  $ports        The ports that failed for it.
	 * @param string $host         The host tested.
	 * @param int[]  $login_worked The ports where the same login was accepted.
	 */
	private static function cause_text( string $cause, array $ports, string $host, array $login_worked ): string {
		$list  = implode( ', ', $ports );
		$count = count( $ports );
		switch ( $cause ) {
			case Verdict::CAUSE_HOST_NAME:
				/* translators: %s: host name. */
				return sprintf( __( 'The host name %s was not found. Check its spelling in step 1; the port test cannot reach a server it cannot find.', 'smtp-port-helper' ), $host );
			case Verdict::CAUSE_LOGIN:
				if ( array() !== $login_worked ) {
					return sprintf(
						/* translators: 1: port numbers that refused the login, 2: port numbers that accepted it. */
						__( 'The same user name and password were refused on port %1$s but accepted on port %2$s: the login is right, use a port that accepted it.', 'smtp-port-helper' ),
						$list,
						implode( ', ', $login_worked )
					);
				}
				/* translators: %s: comma-separated port numbers. */
				return sprintf( _n( 'Port %s refused the login: check the user name and password in step 2.', 'Ports %s refused the login: check the user name and password in step 2.', $count, 'smtp-port-helper' ), $list );
			case Verdict::CAUSE_CERTIFICATE:
				/* translators: %s: comma-separated port numbers. */
				return sprintf( _n( 'The certificate on port %s cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.', 'The certificates on ports %s cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.', $count, 'smtp-port-helper' ), $list );
			case Verdict::CAUSE_NETWORK:
				/* translators: %s: comma-separated port numbers. */
				return sprintf( _n( 'Port %s could not be reached from this web server. Web hosts often block outgoing mail ports: ask your web host to open it, or use a port that works.', 'Ports %s could not be reached from this web server. Web hosts often block outgoing mail ports: ask your web host to open one, or use a port that works.', $count, 'smtp-port-helper' ), $list );
			default:
				/* translators: %s: comma-separated port numbers. */
				return sprintf( _n( 'The mail server did not answer as expected on port %s. Ask your mail provider which ports and settings it supports.', 'The mail server did not answer as expected on ports %s. Ask your mail provider which ports and settings it supports.', $count, 'smtp-port-helper' ), $list );
		}
	}

	/**
	 * Whether the port took the login (its AUTH stage passed).
	 *
	 * @param Port_Result $result A port's result.
	 */
	private static function login_accepted( Port_Result $result ): bool {
		foreach ( $result->stages as $stage ) {
			if ( 'auth' === $stage['name'] && $stage['ok'] ) {
				return true;
			}
		}
		return false;
	}
}
