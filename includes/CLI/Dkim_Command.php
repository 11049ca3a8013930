<?php
/**
 * `wp smtp-port-helper dkim`: the site's own DKIM key on the command line.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Deliverability\Dkim_Key_Exception;
use SmtpPortHelper\Deliverability\Dkim_Key_Manager;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || exit;

/**
 * Shows, generates, rotates and removes the site's own DKIM key.
 *
 * The site is the one given by `--url` (the main site by default). Prints the selector and the TXT
 * record to publish, never the private key.
 */
final class Dkim_Command {

	/**
	 * The key's engine.
	 *
	 * @var Dkim_Key_Manager
	 */
	private Dkim_Key_Manager $manager;

	/**
	 * Takes the engine.
	 *
	 * @param Dkim_Key_Manager $manager The engine.
	 */
	public function __construct( Dkim_Key_Manager $manager ) {
		$this->manager = $manager;
	}

	/**
	 * Shows the site's DKIM key: the selector and the TXT record to publish.
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
	 * ---
	 *
	 * @param list<string>               $args       Positional arguments (none).
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	public function show( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WP-CLI's signature.
		$this->print( $this->manager->state(), $assoc_args );
	}

	/**
	 * Generates the site's DKIM key (RSA 2048) and prints the TXT record to publish.
	 *
	 * The private key is stored sealed like the SMTP password. Publish the record, check it with `wp smtp-port-helper check-domain`, then switch signing on: on the settings page, or with `define( 'SMTP_PORT_HELPER_DKIM_SIGNING', true );` in wp-config.php.
	 *
	 * ## OPTIONS
	 *
	 * [--domain=<domain>]
	 * : The signing domain. Default: the From domain mail leaves with.
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * @param list<string>               $args       Positional arguments (none).
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	public function generate( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WP-CLI's signature.
		$this->change( 'generate', $assoc_args );
	}

	/**
	 * Replaces the site's DKIM key with a new key and selector, and prints the new TXT record.
	 *
	 * Mail is signed with the new key at once: publish the new record now; the old one may be deleted a week later.
	 *
	 * ## OPTIONS
	 *
	 * [--domain=<domain>]
	 * : The signing domain. Default: the current key's.
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * @param list<string>               $args       Positional arguments (none).
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	public function rotate( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WP-CLI's signature.
		$this->change( 'rotate', $assoc_args );
	}

	/**
	 * Removes the site's DKIM key; mail is no longer signed with it.
	 *
	 * @param list<string>               $args       Positional arguments (none).
	 * @param array<string, string|bool> $assoc_args Options (none).
	 */
	public function remove( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found -- WP-CLI's signature.
		if ( $this->manager->remove() ) {
			\WP_CLI::success( __( 'The DKIM key was removed. Its DNS record may be deleted in a week, when no mail signed with it is on its way any more.', 'smtp-port-helper' ) );
			return;
		}
		\WP_CLI::line( __( 'The site has no DKIM key.', 'smtp-port-helper' ) );
	}

	/**
	 * Generates or rotates and prints the result.
	 *
	 * @param string                     $action     generate or rotate.
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	private function change( string $action, array $assoc_args ): void {
		try {
			$state = $this->manager->change( $action, (string) ( $assoc_args['domain'] ?? '' ) );
		} catch ( Invalid_Input_Exception $error ) {
			\WP_CLI::error( ( 'domain' === $error->field() ? '--domain: ' : '' ) . $error->getMessage() );
		} catch ( Dkim_Key_Exception $error ) {
			\WP_CLI::error( $error->getMessage() );
		}
		$this->print( $state, $assoc_args );
	}

	/**
	 * Prints the state.
	 *
	 * @param array{key: array{domain: string, selector: string, key_type: string, bits: int, created: string, record: array{type: string, name: string, value: string}}|null, readable: bool, signing: bool, can_generate: bool, default_domain: string} $state      The state.
	 * @param array<string, string|bool>                                                                                                                                                                                                                  $assoc_args Options.
	 */
	private function print( array $state, array $assoc_args ): void {
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $state, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
			return;
		}
		$key = $state['key'];
		if ( null === $key ) {
			\WP_CLI::line( __( 'The site has no DKIM key. Generate one with: wp smtp-port-helper dkim generate', 'smtp-port-helper' ) );
			return;
		}
		/* translators: 1: domain, 2: selector, 3: bits. */
		\WP_CLI::line( sprintf( __( 'DKIM key for %1$s, selector %2$s, RSA %3$d bits.', 'smtp-port-helper' ), $key['domain'], $key['selector'], $key['bits'] ) );
		/* translators: 1: record type, 2: name, 3: value. */
		\WP_CLI::line( sprintf( __( 'Publish: %1$s record, name %2$s, value %3$s', 'smtp-port-helper' ), $key['record']['type'], $key['record']['name'], $key['record']['value'] ) );
		\WP_CLI::line( $state['signing'] ? __( 'Signing is on.', 'smtp-port-helper' ) : __( 'Signing is off: switch it on once the record is published (wp smtp-port-helper check-domain confirms it).', 'smtp-port-helper' ) );
		if ( ! $state['readable'] ) {
			\WP_CLI::warning( __( 'The stored private key cannot be opened with this site\'s key material (the salts or SMTP_PORT_HELPER_KEY changed): rotate the key.', 'smtp-port-helper' ) );
		}
	}
}
