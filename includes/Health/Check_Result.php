<?php
/**
 * What a Site Health check of this plugin answers.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

defined( 'ABSPATH' ) || exit;

/**
 * The result array Site Health expects from a test, with this plugin's badge, and the link to
 * the settings page that a failing check offers. Shared by the checks of this folder.
 */
final class Check_Result {

	/**
	 * A Site Health result.
	 *
	 * @param string $test        Test name.
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Label.
	 * @param string $description HTML.
	 * @return array<string, mixed>
	 */
	public static function of( string $test, string $status, string $label, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => $description,
			'actions'     => '',
			'test'        => $test,
		);
	}

	/**
	 * A paragraph with a link to the settings page, for the tests' actions.
	 *
	 * @return string Link to the settings page.
	 */
	public static function settings_link(): string {
		return sprintf(
			'<p><a href="%s">%s</a></p>',
			esc_url( admin_url( 'options-general.php?page=smtp-port-helper' ) ),
			esc_html__( 'Open the SMTP settings', 'smtp-port-helper' )
		);
	}
}
