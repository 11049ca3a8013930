<?php
/**
 * The parts of WP-CLI the plugin's command uses (WP-CLI is not installed as a dependency).
 *
 * @package SmtpPortHelper
 */

// phpcs:ignoreFile -- stubs mirroring WP-CLI's own names and signatures.

namespace {
	/**
	 * WP-CLI's static API.
	 */
	class WP_CLI {
		/**
		 * Registers a command.
		 *
		 * @param string                                  $name     Command name.
		 * @param callable|class-string|object            $callable Command implementation.
		 * @param array<string, mixed>                    $args     Registration arguments.
		 * @return bool
		 */
		public static function add_command( $name, $callable, $args = array() ) {
			return true;
		}

		/**
		 * Prints a line to STDOUT.
		 *
		 * @param string $message Message.
		 * @return void
		 */
		public static function line( $message = '' ) {
		}

		/**
		 * Prints a success message.
		 *
		 * @param string $message Message.
		 * @return void
		 */
		public static function success( $message ) {
		}

		/**
		 * Prints a debug message when --debug is used.
		 *
		 * @param string|\WP_Error|\Exception|\Throwable $message Message.
		 * @param string|bool                            $group   Debug group.
		 * @return void
		 */
		public static function debug( $message, $group = false ) {
		}

		/**
		 * Prints a warning.
		 *
		 * @param string|\WP_Error|\Exception|\Throwable $message Message.
		 * @return void
		 */
		public static function warning( $message ) {
		}

		/**
		 * Prints an error and exits (unless $exit is false).
		 *
		 * @param string|\WP_Error|\Exception|\Throwable $message Message.
		 * @param bool|int                               $exit    Exit code, or false to return.
		 * @return ($exit is false ? void : never)
		 */
		public static function error( $message, $exit = true ) {
		}

		/**
		 * Exits with the given code.
		 *
		 * @param int $return_code Exit code.
		 * @return never
		 */
		public static function halt( $return_code ) {
			exit( $return_code );
		}
	}
}

namespace WP_CLI\Utils {
	/**
	 * Prints items as a table, JSON, CSV, YAML, IDs or a count.
	 *
	 * @param string                                  $format Format.
	 * @param array<mixed>|\Traversable<mixed>        $items  Items.
	 * @param array<int, string>|string               $fields Fields to show.
	 * @return void
	 */
	function format_items( $format, $items, $fields ) {
	}
}

namespace cli {
	/**
	 * php-cli-tools' shell helpers (part of WP-CLI).
	 */
	class Shell {
		/**
		 * Hides (or shows again) what is typed at the terminal.
		 *
		 * @param bool $hidden Whether to hide.
		 * @return void
		 */
		public static function hide( $hidden = true ) {
		}
	}
}
