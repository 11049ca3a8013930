<?php
/**
 * Site Health: is mail really sent the way the settings say?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

defined( 'ABSPATH' ) || exit;

/**
 * A direct Site Health test built on Send_Path_Report: fails when wp_mail() is replaced or another
 * plugin changes the connection after this one, naming the code responsible.
 */
final class Send_Path_Check {

	/**
	 * The report.
	 *
	 * @var Send_Path_Report
	 */
	private Send_Path_Report $report;

	/**
	 * Takes the report.
	 *
	 * @param Send_Path_Report $report The report.
	 */
	public function __construct( Send_Path_Report $report ) {
		$this->report = $report;
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
		$tests = is_array( $tests ) ? $tests : array();
		$tests['direct']['smtp_port_helper_send_path'] = array(
			'label' => __( 'Mail is sent the way SMTP Port Helper is set', 'smtp-port-helper' ),
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
		$finding     = $this->report->check();
		$labels      = array(
			Send_Path_Report::STATUS_GOOD       => __( 'Mail is sent the way SMTP Port Helper is set', 'smtp-port-helper' ),
			Send_Path_Report::STATUS_UNKNOWN    => __( 'Not known yet whether mail is sent the way SMTP Port Helper is set', 'smtp-port-helper' ),
			Send_Path_Report::STATUS_OVERRIDDEN => __( 'Other code changes how mail is sent', 'smtp-port-helper' ),
		);
		$statuses    = array(
			Send_Path_Report::STATUS_GOOD       => 'good',
			Send_Path_Report::STATUS_UNKNOWN    => 'recommended',
			Send_Path_Report::STATUS_OVERRIDDEN => 'critical',
		);
		$description = '';
		foreach ( $finding['messages'] as $message ) {
			$description .= '<p>' . esc_html( $message ) . '</p>';
		}
		return array(
			'label'       => $labels[ $finding['status'] ],
			'status'      => $statuses[ $finding['status'] ],
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => $description,
			'actions'     => '',
			'test'        => 'smtp_port_helper_send_path',
		);
	}
}
