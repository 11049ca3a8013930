<?php
/**
 * What the daily self-check found, told to administrators: an admin notice and a Site Health test.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Dismissible_Notice;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads the findings Self_Check stored (no probe here, so a screen costs one option read):
 *
 * - a port switch: one notice until an administrator dismisses it;
 * - an open outage: one notice per outage until dismissed or a run finds the path working,
 *   and a critical Site Health result for as long as it lasts.
 */
final class Self_Check_Notice {

	/** The admin-post action that dismisses the notice. */
	public const DISMISS_ACTION = 'smtp_port_helper_dismiss_self_check';

	/**
	 * The settings (host and port of the outage text).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings.
	 *
	 * @param Settings_Store $settings The settings.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks the notice, its dismissal and the Site Health test.
	 */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
		add_action( 'admin_post_' . self::DISMISS_ACTION, array( $this, 'dismiss' ) );
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
	}

	/**
	 * The notices to show now: the outage's, then the switch's.
	 *
	 * @return list<string>
	 */
	public function messages(): array {
		$state    = Self_Check::state();
		$messages = array();
		if ( null !== Self_Check::outage_since() && ! $state['outage_dismissed'] ) {
			$settings   = $this->settings->get();
			$messages[] = 'SMTP Port Helper: ' . Outage_Text::for_settings( $settings, $state['detail'] );
		}
		$switched = $state['switched'];
		if ( null !== $switched && ! $switched['dismissed'] ) {
			$messages[] = self::switched_text( $switched['from'], $switched['to'], $switched['time'] );
		}
		return $messages;
	}

	/**
	 * The switch in words (the notice, Send_Path_Report).
	 *
	 * @param int $from The port that failed.
	 * @param int $to   The port mail uses now.
	 * @param int $time When.
	 */
	public static function switched_text( int $from, int $to, int $time ): string {
		return sprintf(
			/* translators: 1: date and time, 2: old port number, 3: new port number */
			__( 'SMTP Port Helper: on %1$s the daily self-check found that port %2$d no longer works and port %3$d does, and switched the settings to port %3$d before any mail failed.', 'smtp-port-helper' ),
			(string) wp_date( (string) get_option( 'date_format' ) . ' ' . (string) get_option( 'time_format' ), $time ),
			$from,
			$to
		);
	}

	/**
	 * `admin_notices`: the notices for administrators.
	 */
	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$messages = $this->messages();
		if ( array() === $messages ) {
			return;
		}
		$class = null !== Self_Check::outage_since() ? 'notice-error' : 'notice-warning';
		printf( '<div class="notice %s smtp-port-helper-self-check-notice">', esc_attr( $class ) );
		foreach ( $messages as $message ) {
			printf( '<p>%s</p>', esc_html( $message ) );
		}
		Dismissible_Notice::print_links( self::DISMISS_ACTION );
		echo '</div>';
	}

	/**
	 * `admin_post_…`: an administrator dismissed the notice (nonce checked), back to the screen.
	 */
	public function dismiss(): void {
		Dismissible_Notice::dismiss( self::DISMISS_ACTION, array( self::class, 'mark_dismissed' ) );
	}

	/**
	 * Marks what the notice shows as seen.
	 */
	public static function mark_dismissed(): void {
		$state = Self_Check::state();
		if ( null !== $state['switched'] ) {
			$state['switched']['dismissed'] = true;
		}
		$state['outage_dismissed'] = null !== Self_Check::outage_since();
		update_option( Self_Check::OPTION, $state, false );
	}

	/**
	 * `site_status_tests`: the self-check's finding, read from what it stored.
	 *
	 * @param mixed $tests Registered tests.
	 * @return array<string, mixed>
	 */
	public function add_test( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();
		$tests['direct']['smtp_port_helper_self_check'] = array(
			'label' => __( 'The daily SMTP self-check', 'smtp-port-helper' ),
			'test'  => array( $this, 'test' ),
		);
		return $tests;
	}

	/**
	 * The Site Health result.
	 *
	 * @return array<string, mixed>
	 */
	public function test(): array {
		$state  = Self_Check::state();
		$result = array(
			'label'       => __( 'The daily SMTP self-check finds the saved path working', 'smtp-port-helper' ),
			'status'      => 'good',
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => '',
			'actions'     => sprintf( '<p><a href="%s">%s</a></p>', esc_url( admin_url( 'options-general.php?page=smtp-port-helper' ) ), esc_html__( 'Open the SMTP settings', 'smtp-port-helper' ) ),
			'test'        => 'smtp_port_helper_self_check',
		);
		if ( null !== Self_Check::outage_since() ) {
			$settings              = $this->settings->get();
			$result['status']      = 'critical';
			$result['label']       = __( 'The daily SMTP self-check finds no working way to send', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html( Outage_Text::for_settings( $settings, $state['detail'] ) ) . '</p>';
			return $result;
		}
		if ( 0 === $state['time'] ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'The daily SMTP self-check has not run yet', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'It runs once a day with WP-Cron, or with "wp smtp-port-helper check" from a system cron.', 'smtp-port-helper' ) . '</p>';
			return $result;
		}
		$result['description'] = '<p>' . esc_html(
			sprintf(
				/* translators: %s: date and time */
				__( 'Last run: %s.', 'smtp-port-helper' ),
				(string) wp_date( (string) get_option( 'date_format' ) . ' ' . (string) get_option( 'time_format' ), $state['time'] )
			)
		) . '</p>';
		if ( null !== $state['switched'] ) {
			$result['description'] .= '<p>' . esc_html( self::switched_text( $state['switched']['from'], $state['switched']['to'], $state['switched']['time'] ) ) . '</p>';
		}
		return $result;
	}
}
