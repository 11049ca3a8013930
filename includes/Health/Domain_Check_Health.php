<?php
/**
 * Site Health: will mail from this site be received (SPF, DKIM, DMARC of the From domain)?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Deliverability\Domain_Check_Runner;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || exit;

/**
 * A direct Site Health test built on the domain check, with a short time limit: critical when a
 * finding fails, recommended when one warns; each problem with the record to publish.
 */
final class Domain_Check_Health {

	public const TEST    = 'smtp_port_helper_domain_check';
	public const SECONDS = 4.0;

	/**
	 * The check.
	 *
	 * @var Domain_Check_Runner
	 */
	private Domain_Check_Runner $runner;

	/**
	 * Takes the check.
	 *
	 * @param Domain_Check_Runner $runner The check.
	 */
	public function __construct( Domain_Check_Runner $runner ) {
		$this->runner = $runner;
	}

	/**
	 * Adds the test to Site Health → Status.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
	}

	/**
	 * Site Health's list of tests.
	 *
	 * @param mixed $tests Tests.
	 * @return array<string, mixed>
	 */
	public function add_test( $tests ): array {
		$tests                         = is_array( $tests ) ? $tests : array();
		$tests['direct'][ self::TEST ] = array(
			'label' => __( 'Mail from this site passes SPF, DKIM and DMARC', 'smtp-port-helper' ),
			'test'  => array( $this, 'test' ),
		);
		return $tests;
	}

	/**
	 * The test's result.
	 *
	 * @return array<string, mixed>
	 */
	public function test(): array {
		$result = array(
			'label'       => __( 'Mail from this site passes SPF, DKIM and DMARC', 'smtp-port-helper' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => '',
			'actions'     => '',
			'test'        => self::TEST,
		);
		try {
			$report = $this->runner->run( '', '', self::SECONDS );
		} catch ( Invalid_Input_Exception $error ) {
			$result['label']       = __( 'The mail domain could not be checked', 'smtp-port-helper' );
			$result['status']      = 'recommended';
			$result['description'] = '<p>' . esc_html( $error->getMessage() ) . '</p>';
			return $result;
		}
		if ( 'pass' !== $report['status'] ) {
			$result['status'] = 'fail' === $report['status'] ? 'critical' : 'recommended';
			$result['label']  = 'fail' === $report['status']
				/* translators: %s: From domain. */
				? sprintf( __( 'Mail from %s may be refused or put in spam', 'smtp-port-helper' ), $report['from_domain'] )
				/* translators: %s: From domain. */
				: sprintf( __( 'The DNS records of %s could serve mail delivery better', 'smtp-port-helper' ), $report['from_domain'] );
		}
		$description = '';
		foreach ( $report['findings'] as $finding ) {
			$description .= '<p><strong>' . esc_html( strtoupper( $finding['status'] ) ) . '</strong> ' . esc_html( $finding['summary'] ) . '</p>';
			if ( 'pass' !== $finding['status'] ) {
				$description .= '<p>' . esc_html( $finding['meaning'] ) . '</p>';
			}
			if ( null !== $finding['record'] ) {
				/* translators: 1: record type, 2: name. */
				$description .= '<p>' . esc_html( sprintf( __( 'Publish a %1$s record at %2$s:', 'smtp-port-helper' ), $finding['record']['type'], $finding['record']['name'] ) ) . '</p><p><code>' . esc_html( $finding['record']['value'] ) . '</code></p>';
			}
		}
		$result['description'] = $description;
		return $result;
	}
}
