<?php
/**
 * WP-CLI: `wp smtp-port-helper outbox list|run|retry|delete`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Outbox\Outbox_Manager;

defined( 'ABSPATH' ) || exit;

/**
 * Lists, delivers, retries and deletes the mail waiting in the outbox (the same engine as the REST
 * routes and Site Health). `run` is what a system cron job calls when WP-Cron is off.
 */
final class Outbox_Command {

	/**
	 * The outbox engine.
	 *
	 * @var Outbox_Manager
	 */
	private Outbox_Manager $manager;

	/**
	 * Takes the outbox engine.
	 *
	 * @param Outbox_Manager $manager The outbox engine.
	 */
	public function __construct( Outbox_Manager $manager ) {
		$this->manager = $manager;
	}

	/**
	 * Lists the mail in the outbox (never a body).
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp smtp-port-helper outbox list --format=json
	 *
	 * @subcommand list
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function list_( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed
		$format = (string) ( $assoc_args['format'] ?? 'table' );
		$rows   = array();
		foreach ( $this->manager->entries( 500 ) as $entry ) {
			$rows[] = array(
				'id'           => $entry['id'],
				'status'       => $entry['status'],
				'to'           => implode( ', ', (array) $entry['to'] ),
				'subject'      => $entry['subject'],
				'queued_at'    => gmdate( 'Y-m-d H:i:s', (int) $entry['queued_at'] ),
				'attempts'     => $entry['attempts'],
				'next_attempt' => null === $entry['next_attempt_at'] ? '' : gmdate( 'Y-m-d H:i:s', (int) $entry['next_attempt_at'] ),
				'error'        => $entry['error'],
			);
		}
		\WP_CLI\Utils\format_items( $format, $rows, array( 'id', 'status', 'to', 'subject', 'queued_at', 'attempts', 'next_attempt', 'error' ) );
	}

	/**
	 * Delivers the mail that is due now (for a system cron job: `wp smtp-port-helper outbox run`).
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp smtp-port-helper outbox run
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function run( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$stats = $this->manager->run();
		\WP_CLI::success(
			sprintf(
				/* translators: 1: delivered, 2: waiting, 3: failed, 4: held (numbers of messages) */
				__( 'Delivered: %1$d, waiting: %2$d, failed: %3$d, held: %4$d.', 'smtp-port-helper' ),
				$stats['delivered'],
				$stats['waiting'],
				$stats['failed'],
				$stats['held']
			)
		);
	}

	/**
	 * Tries one message now (also a failed or held one).
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : The message's id (see `outbox list`).
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function retry( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$id     = self::id( $args );
		$result = $this->manager->retry( $id );
		if ( $result['delivered'] ) {
			/* translators: %d: message id */
			\WP_CLI::success( sprintf( __( 'Message %d was delivered.', 'smtp-port-helper' ), $id ) );
			return;
		}
		if ( ! $result['found'] || null === $result['entry'] ) {
			/* translators: %d: message id */
			\WP_CLI::error( sprintf( __( 'There is no message %d in the outbox.', 'smtp-port-helper' ), $id ) );
		}
		/* translators: 1: message id, 2: explanation */
		\WP_CLI::error( sprintf( __( 'Message %1$d was not delivered: %2$s', 'smtp-port-helper' ), $id, (string) $result['entry']['explanation'] . ' (' . (string) $result['entry']['error'] . ')' ) );
	}

	/**
	 * Deletes one message from the outbox.
	 *
	 * ## OPTIONS
	 *
	 * <id>
	 * : The message's id (see `outbox list`).
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function delete( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$id      = self::id( $args );
		$deleted = $this->manager->delete( $id );
		if ( null === $deleted ) {
			/* translators: %d: message id */
			\WP_CLI::error( sprintf( __( 'There is no message %d in the outbox.', 'smtp-port-helper' ), $id ) );
		}
		if ( ! $deleted ) {
			/* translators: %d: message id */
			\WP_CLI::error( sprintf( __( 'Message %d is being sent right now. Try again in a moment.', 'smtp-port-helper' ), $id ) );
		}
		/* translators: %d: message id */
		\WP_CLI::success( sprintf( __( 'Message %d was deleted.', 'smtp-port-helper' ), $id ) );
	}

	/**
	 * The id argument, or an error naming it.
	 *
	 * @param string[] $args Positional arguments.
	 */
	private static function id( array $args ): int {
		$id = $args[0] ?? '';
		if ( ! ctype_digit( $id ) || (int) $id < 1 ) {
			\WP_CLI::error( __( 'The id must be a whole number from 1 (see: wp smtp-port-helper outbox list).', 'smtp-port-helper' ) );
		}
		return (int) $id;
	}
}
