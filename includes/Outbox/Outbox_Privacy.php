<?php
/**
 * The outbox in WordPress's privacy tools: export and erase the mail waiting for a person.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * Queued mail is personal data of its sender and recipients. Tools → Export Personal Data lists
 * the messages that name the address (recipients, subject, when, state); Tools → Erase Personal
 * Data deletes them.
 */
final class Outbox_Privacy {

	/** Key of the exporter and the eraser. */
	public const KEY = 'smtp-port-helper-outbox';

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Takes the outbox.
	 *
	 * @param Outbox $outbox The outbox.
	 */
	public function __construct( Outbox $outbox ) {
		$this->outbox = $outbox;
	}

	/**
	 * `wp_privacy_personal_data_exporters`: adds the exporter.
	 *
	 * @param mixed $exporters Registered exporters.
	 * @return array<string, mixed>
	 */
	public function add_exporter( $exporters ): array {
		$exporters              = is_array( $exporters ) ? $exporters : array();
		$exporters[ self::KEY ] = array(
			'exporter_friendly_name' => __( 'Email waiting in the outbox (SMTP Port Helper)', 'smtp-port-helper' ),
			'callback'               => array( $this, 'export' ),
		);
		return $exporters;
	}

	/**
	 * `wp_privacy_personal_data_erasers`: adds the eraser.
	 *
	 * @param mixed $erasers Registered erasers.
	 * @return array<string, mixed>
	 */
	public function add_eraser( $erasers ): array {
		$erasers              = is_array( $erasers ) ? $erasers : array();
		$erasers[ self::KEY ] = array(
			'eraser_friendly_name' => __( 'Email waiting in the outbox (SMTP Port Helper)', 'smtp-port-helper' ),
			'callback'             => array( $this, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Exports the messages that name the address (one page: the outbox is small).
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page (1-based; everything is on the first).
	 * @return array{data: list<array<string, mixed>>, done: bool}
	 */
	public function export( $email, $page = 1 ): array { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$data = array();
		foreach ( $this->outbox->ids_naming( (string) $email ) as $id ) {
			$entry = $this->outbox->find( $id );
			if ( null === $entry ) {
				continue;
			}
			$data[] = array(
				'group_id'    => self::KEY,
				'group_label' => __( 'Email waiting in the outbox', 'smtp-port-helper' ),
				'item_id'     => self::KEY . '-' . $id,
				'data'        => array(
					array(
						'name'  => __( 'Recipients', 'smtp-port-helper' ),
						'value' => implode( ', ', $entry['to'] ),
					),
					array(
						'name'  => __( 'Subject', 'smtp-port-helper' ),
						'value' => $entry['subject'],
					),
					array(
						'name'  => __( 'Queued at', 'smtp-port-helper' ),
						'value' => gmdate( 'Y-m-d H:i:s', $entry['queued_at'] ) . ' UTC',
					),
					array(
						'name'  => __( 'Status', 'smtp-port-helper' ),
						'value' => $entry['status'],
					),
				),
			);
		}
		return array(
			'data' => $data,
			'done' => true,
		);
	}

	/**
	 * Deletes the messages that name the address (a message being sent right now is retained).
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page (1-based; everything is on the first).
	 * @return array{items_removed: bool, items_retained: bool, messages: list<string>, done: bool}
	 */
	public function erase( $email, $page = 1 ): array { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$removed  = false;
		$retained = false;
		foreach ( $this->outbox->ids_naming( (string) $email ) as $id ) {
			if ( $this->outbox->delete( $id ) ) {
				$removed = true;
			} else {
				$retained = true;
			}
		}
		return array(
			'items_removed'  => $removed,
			'items_retained' => $retained,
			'messages'       => $retained ? array( __( 'A message was being sent at that moment and was kept; run the eraser again in a few minutes.', 'smtp-port-helper' ) ) : array(),
			'done'           => true,
		);
	}
}
