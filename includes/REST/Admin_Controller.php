<?php
/**
 * The base of the routes only a site's administrators may call.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Plugin;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Registers one route of `smtp-port-helper/v1` when the REST API starts, with its argument and
 * response schemas and the one permission check (`manage_options`, a 401/403 naming what the
 * caller may not do). What a route may cost — the connection slots and every per-user and
 * network budget — is Route_Guard's, so a controller holds only its handler.
 */
abstract class Admin_Controller {

	/**
	 * Adds the route when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers the route (`rest_api_init`).
	 */
	abstract public function register_routes(): void;

	/**
	 * What the refusal says the caller may not do.
	 */
	abstract protected function forbidden_message(): string;

	/**
	 * Only administrators.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			$this->forbidden_message(),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * Registers one method of a route with its schemas and this class's permission check.
	 *
	 * @param non-falsy-string     $route    Route below the namespace, e.g. '/port-tests'.
	 * @param string               $methods  WP_REST_Server::CREATABLE or READABLE.
	 * @param callable             $callback The handler.
	 * @param array<string, mixed> $args     The arguments' schema.
	 * @param callable             $schema   The response schema.
	 */
	protected function register_route( string $route, string $methods, callable $callback, array $args, callable $schema ): void {
		$this->register_endpoints( $route, array( array( $methods, $callback, $args ) ), $schema );
	}

	/**
	 * Registers several methods of one route (GET, POST, DELETE …), each behind this class's
	 * permission check, with the route's response schema.
	 *
	 * @param non-falsy-string                                             $route     Route below the namespace.
	 * @param list<array{0: string, 1: callable, 2: array<string, mixed>}> $endpoints Methods, handler, arguments' schema.
	 * @param callable                                                     $schema    The response schema.
	 */
	protected function register_endpoints( string $route, array $endpoints, callable $schema ): void {
		$routes = array();
		foreach ( $endpoints as list( $methods, $callback, $args ) ) {
			$routes[] = array(
				'methods'             => $methods,
				'callback'            => $callback,
				'permission_callback' => array( $this, 'check_permission' ),
				'args'                => $args,
			);
		}
		$routes['schema'] = $schema;
		register_rest_route( Plugin::REST_NAMESPACE, $route, $routes );
	}

	/**
	 * A 400 in the shape WordPress uses for argument errors, so the page shows it next to the field.
	 *
	 * @param string $field   Name of the bad parameter.
	 * @param string $message What is wrong with it.
	 */
	protected static function invalid_param( string $field, string $message ): WP_Error {
		return new WP_Error(
			'rest_invalid_param',
			/* translators: %s: parameter name. */
			sprintf( __( 'Invalid parameter(s): %s', 'smtp-port-helper' ), $field ),
			array(
				'status' => 400,
				'params' => array( $field => $message ),
			)
		);
	}
}
