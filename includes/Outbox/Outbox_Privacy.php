<?php
/**
 * The outbox in WordPress's privacy tools: export and erase the mail waiting for a person.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || exit;

/**
 * Queued mail is personal data of its recipients. Tools → Export Personal Data lists the messages
 * one of whose recipients is the address — the whole address, any letter case, never a part of
 * one (`hn@example.com` is not `john@example.com`) — with that address, the subject, when and
 * the state; Tools → Erase Personal Data deletes them. Both find the messages by the recipients'
 * keyed hashes (Outbox::ids_for_recipient()), a page of Outbox::PRIVACY_PAGE at a time, and open
 * only the summaries of the messages they export; the eraser opens none.
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
	 * Exports one page of the messages addressed to the address. The recipients shown are the
	 * address's own: the other recipients (a Bcc among them) are not the requester's data.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page, 1-based.
	 * @return array{data: list<array<string, mixed>>, done: bool}
	 */
	public function export( $email, $page = 1 ): array {
		$email  = (string) $email;
		$wanted = Outbox::normalized_address( $email );
		$page   = max( 1, (int) $page );
		$ids    = '' === $wanted ? array() : $this->outbox->ids_for_recipient( $email, Outbox::PRIVACY_PAGE, ( $page - 1 ) * Outbox::PRIVACY_PAGE );
		$data   = array();
		foreach ( $ids as $id ) {
			$entry = $this->outbox->find( $id );
			if ( null === $entry ) {
				continue; // Delivered or deleted meanwhile.
			}
			$own = array_values(
				array_filter(
					$entry['to'],
					static function ( string $recipient ) use ( $wanted ): bool {
						return Outbox::normalized_address( $recipient ) === $wanted;
					}
				)
			);
			if ( array() === $own ) {
				continue; // The summary no longer names the address (narrowed after a partial delivery).
			}
			$data[] = array(
				'group_id'    => self::KEY,
				'group_label' => __( 'Email waiting in the outbox', 'smtp-port-helper' ),
				'item_id'     => self::KEY . '-' . $id,
				'data'        => array(
					array(
						'name'  => __( 'Recipient', 'smtp-port-helper' ),
						'value' => implode( ', ', array_unique( $own ) ),
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
			'done' => count( $ids ) < Outbox::PRIVACY_PAGE,
		);
	}

	/**
	 * Deletes one page of the messages addressed to the address. Each page takes the first
	 * messages still there (the previous page's are gone); a message being sent right now is
	 * left out and reported as retained on the last page.
	 *
	 * @param string $email Email address.
	 * @param int    $page  Page, 1-based (each call takes what is left).
	 * @return array{items_removed: bool, items_retained: bool, messages: list<string>, done: bool}
	 */
	public function erase( $email, $page = 1 ): array { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed -- what is left is always the first page.
		$email    = (string) $email;
		$ids      = '' === Outbox::normalized_address( $email ) ? array() : $this->outbox->ids_for_recipient( $email, Outbox::PRIVACY_PAGE, 0, true );
		$removed  = false;
		$retained = false;
		foreach ( $ids as $id ) {
			if ( $this->outbox->delete( $id ) ) {
				$removed = true;
			} else {
				$retained = true; // Claimed by a runner between the query and the delete.
			}
		}
		// A full page where nothing could be deleted would come back the same: stop there.
		$done = count( $ids ) < Outbox::PRIVACY_PAGE || ! $removed;
		if ( $done && ! $retained && '' !== Outbox::normalized_address( $email ) ) {
			$retained = array() !== $this->outbox->ids_for_recipient( $email, 1 );
		}
		return array(
			'items_removed'  => $removed,
			'items_retained' => $retained,
			'messages'       => $retained ? array( __( 'A message was being sent at that moment and was kept; run the eraser again in a few minutes.', 'smtp-port-helper' ) ) : array(),
			'done'           => $done,
		);
	}
}
