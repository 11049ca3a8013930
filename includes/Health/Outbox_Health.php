<?php
/**
 * Site Health and an admin notice while mail waits in the outbox or has failed.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Admin\Settings_Page;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;

defined( 'ABSPATH' ) || exit;

/**
 * A direct Site Health test "No email is waiting" (recommended while mail waits, critical when a
 * message failed or the queue is held by a refused login), and the same words as an admin notice
 * for those who manage the site. Once the queue drains, the notice says how many messages were
 * delivered late (counted in the option `smtp_port_helper_outbox_late`, not autoloaded).
 */
final class Outbox_Health {

	/** Messages delivered late since the notice last said so. */
	public const LATE_OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_LATE;

	/**
	 * The outbox engine.
	 *
	 * @var Outbox_Manager
	 */
	private Outbox_Manager $manager;

	/**
	 * The notice of a refused OAuth sign-in, or null.
	 *
	 * @var OAuth_Notice|null
	 */
	private ?OAuth_Notice $sign_in;

	/**
	 * Takes the outbox engine and the notice of a refused OAuth sign-in.
	 *
	 * @param Outbox_Manager    $manager The outbox engine.
	 * @param OAuth_Notice|null $sign_in The sign-in's notice: while it speaks, held mail is its cause.
	 */
	public function __construct( Outbox_Manager $manager, ?OAuth_Notice $sign_in = null ) {
		$this->manager = $manager;
		$this->sign_in = $sign_in;
	}

	/**
	 * Whether held mail is held by a refused OAuth sign-in (its own notice tells what to do).
	 */
	private function held_by_sign_in(): bool {
		return null !== $this->sign_in && null !== $this->sign_in->message();
	}

	/**
	 * Adds the Site Health test and the admin notice.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
		add_action( 'admin_notices', array( $this, 'notice' ) );
	}

	/**
	 * Counts a message delivered late (Plugin hooks it on `smtp_port_helper_mail_delivered_late`).
	 */
	public static function count_late(): void {
		update_option( self::LATE_OPTION, (int) get_option( self::LATE_OPTION, 0 ) + 1, false );
	}

	/**
	 * `site_status_tests`: adds the direct test.
	 *
	 * @param mixed $tests Registered tests.
	 * @return array<string, mixed>
	 */
	public function add_test( $tests ): array {
		$tests                                      = is_array( $tests ) ? $tests : array();
		$tests['direct']['smtp_port_helper_outbox'] = array(
			'label' => __( 'No email is waiting in the outbox', 'smtp-port-helper' ),
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
		$state = $this->state();
		return array(
			'label'       => $state['label'],
			'status'      => $state['status'],
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'good' === $state['status'] ? 'blue' : 'red',
			),
			'description' => '<p>' . esc_html( $state['description'] ) . '</p>',
			'actions'     => sprintf(
				'<p><a href="%s">%s</a></p>',
				esc_url( 'good' === $state['status'] ? admin_url( 'options-general.php?page=' . Settings_Page::SLUG ) : Settings_Page::outbox_url() ),
				esc_html( 'good' === $state['status'] ? __( 'Open the SMTP settings', 'smtp-port-helper' ) : __( 'Open the outbox', 'smtp-port-helper' ) )
			),
			'test'        => 'smtp_port_helper_outbox',
		);
	}

	/**
	 * `admin_notices`: while mail waits or failed; once after the queue drained.
	 */
	public function notice(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$state = $this->state();
		if ( 'good' !== $state['status'] && $this->held_by_sign_in() && $this->manager->counts()[ Outbox::HELD ] > 0 ) {
			return; // One notice per cause: the sign-in's notice says mail is held and links to Connect.
		}
		if ( 'good' !== $state['status'] ) {
			printf(
				'<div class="notice notice-%1$s"><p><strong>%2$s</strong> %3$s <a href="%4$s">%5$s</a></p></div>',
				esc_attr( 'critical' === $state['status'] ? 'error' : 'warning' ),
				esc_html( $state['label'] ),
				esc_html( $state['description'] ),
				esc_url( Settings_Page::outbox_url() ),
				esc_html__( 'Open the outbox', 'smtp-port-helper' )
			);
			return;
		}
		$late = (int) get_option( self::LATE_OPTION, 0 );
		if ( $late > 0 ) {
			delete_option( self::LATE_OPTION );
			printf(
				'<div class="notice notice-success is-dismissible"><p>%s</p></div>',
				esc_html(
					sprintf(
						/* translators: %d: number of messages */
						_n( 'SMTP Port Helper: the outbox is empty again. %d message was delivered late.', 'SMTP Port Helper: the outbox is empty again. %d messages were delivered late.', $late, 'smtp-port-helper' ),
						$late
					)
				)
			);
		}
	}

	/**
	 * Status, label and description of the outbox now.
	 *
	 * @return array{status: string, label: string, description: string}
	 */
	private function state(): array {
		$counts    = $this->manager->counts();
		$waiting   = $counts[ Outbox::QUEUED ] + $counts[ Outbox::SENDING ];
		$for_route = $counts[ Outbox::HELD ] > 0 ? $this->manager->held_for_route() : 0;
		$for_login = $counts[ Outbox::HELD ] - $for_route;
		if ( $for_login > 0 && $this->held_by_sign_in() ) {
			return array(
				'status'      => 'critical',
				'label'       => __( 'Email is held: the provider refused the sign-in of the mailbox', 'smtp-port-helper' ),
				'description' => sprintf(
					/* translators: %d: number of messages */
					_n( '%d message waits in the outbox until you click "Connect" in the SMTP settings and sign in with the mailbox again; it is sent as soon as the sign-in works.', '%d messages wait in the outbox until you click "Connect" in the SMTP settings and sign in with the mailbox again; they are sent as soon as the sign-in works.', $for_login + $waiting, 'smtp-port-helper' ),
					$for_login + $waiting
				),
			);
		}
		$refusal = $for_login > 0 ? $this->manager->held_by_api() : null;
		if ( null !== $refusal ) {
			return array(
				'status'      => 'critical',
				'label'       => $refusal->label(),
				'description' => $refusal->description( $for_login + $waiting ),
			);
		}
		if ( $for_login > 0 ) {
			return array(
				'status'      => 'critical',
				'label'       => __( 'Email is held: the SMTP server refused the login', 'smtp-port-helper' ),
				'description' => sprintf(
					/* translators: %d: number of messages */
					_n( '%d message waits in the outbox until you correct the SMTP user name or password; it is sent as soon as the settings are saved.', '%d messages wait in the outbox until you correct the SMTP user name or password; they are sent as soon as the settings are saved.', $for_login + $waiting, 'smtp-port-helper' ),
					$for_login + $waiting
				),
			);
		}
		if ( $for_route > 0 ) {
			return array(
				'status'      => 'recommended',
				'label'       => __( 'Email waits for an SMTP server this site no longer uses', 'smtp-port-helper' ),
				'description' => sprintf(
					/* translators: %d: number of messages */
					_n( '%d message was written for another SMTP server or login than the one this site uses now, or for the network\'s server, which is not set. It is not sent anywhere else: set that server again, or delete the message in the outbox.', '%d messages were written for another SMTP server or login than the one this site uses now, or for the network\'s server, which is not set. They are not sent anywhere else: set that server again, or delete them in the outbox.', $for_route, 'smtp-port-helper' ),
					$for_route
				),
			);
		}
		if ( $counts[ Outbox::FAILED ] > 0 ) {
			return array(
				'status'      => 'critical',
				'label'       => __( 'Email could not be delivered', 'smtp-port-helper' ),
				'description' => sprintf(
					/* translators: %d: number of messages */
					_n( '%d message in the outbox failed for good (refused by the server or expired). Retry or delete it in the outbox.', '%d messages in the outbox failed for good (refused by the server or expired). Retry or delete them in the outbox.', $counts[ Outbox::FAILED ], 'smtp-port-helper' ),
					$counts[ Outbox::FAILED ]
				),
			);
		}
		if ( $waiting > 0 ) {
			return array(
				'status'      => 'recommended',
				'label'       => __( 'Email waits in the outbox', 'smtp-port-helper' ),
				'description' => sprintf(
					/* translators: %d: number of messages */
					_n( '%d message could not be handed to the SMTP server yet. It is kept and retried automatically until a port works again.', '%d messages could not be handed to the SMTP server yet. They are kept and retried automatically until a port works again.', $waiting, 'smtp-port-helper' ),
					$waiting
				),
			);
		}
		return array(
			'status'      => 'good',
			'label'       => __( 'No email is waiting in the outbox', 'smtp-port-helper' ),
			'description' => __( 'Every message was handed to the SMTP server.', 'smtp-port-helper' ),
		);
	}
}
