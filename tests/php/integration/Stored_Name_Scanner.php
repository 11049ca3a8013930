<?php
/**
 * Reads the plugin's PHP source for every place that stores something under a name, and checks
 * that name against Stored_Names.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Stored_Names;

/**
 * Finds the calls that write an option, a network option, a transient or a scheduled event, the
 * INSERTs into the options table, the plugin's own writing helpers (Atomic_Option) and the table
 * names after `$wpdb->prefix`, works out the name each one writes — a literal, a class constant
 * (private ones too, through reflection), a variable assigned earlier in the same function, or
 * what a method of the class returns, joined with `.` — and reports every name that is not in the
 * list, or that cannot be worked out.
 */
final class Stored_Name_Scanner {

	/** Function => [ index of the name argument, kind ]. */
	private const WRITERS = array(
		'add_option'               => array( 0, 'option' ),
		'update_option'            => array( 0, 'option' ),
		'set_transient'            => array( 0, 'transient' ),
		'set_site_transient'       => array( 0, 'transient' ),
		'add_site_option'          => array( 0, 'network' ),
		'update_site_option'       => array( 0, 'network' ),
		'add_network_option'       => array( 1, 'network' ),
		'update_network_option'    => array( 1, 'network' ),
		'wp_schedule_event'        => array( 2, 'cron' ),
		'wp_schedule_single_event' => array( 1, 'cron' ),
		'add_user_meta'            => array( 1, 'user meta' ),
		'update_user_meta'         => array( 1, 'user meta' ),
		'update_user_option'       => array( 1, 'user meta' ),
		'add_post_meta'            => array( 1, 'post meta' ),
		'update_post_meta'         => array( 1, 'post meta' ),
	);

	/**
	 * The plugin's own helpers that write an option under a name they are given: Class::method =>
	 * [ index of the name argument, kind ]. Their callers are checked; their own INSERT is not.
	 */
	private const HELPERS = array(
		'SmtpPortHelper\\Database\\Atomic_Option::take'        => array( 1, 'option' ),
		'SmtpPortHelper\\Database\\Atomic_Option::count_up_to' => array( 1, 'option' ),
	);

	/**
	 * Problems found: "file:line: what".
	 *
	 * @var string[]
	 */
	public array $problems = array();

	/**
	 * Names found and accepted: "kind name" (a prefix ends with `*`).
	 *
	 * @var string[]
	 */
	public array $found = array();

	/**
	 * Scans every PHP file under a folder.
	 *
	 * @param string $folder Folder.
	 */
	public function scan_folder( string $folder ): self {
		$files = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $folder, \FilesystemIterator::SKIP_DOTS ) );
		foreach ( $files as $file ) {
			if ( 'php' === $file->getExtension() ) {
				$this->scan_source( (string) file_get_contents( $file->getPathname() ), $file->getPathname() ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			}
		}
		return $this;
	}

	/**
	 * Scans one file's source.
	 *
	 * @param string $source PHP source.
	 * @param string $where  Its name in the report.
	 */
	public function scan_source( string $source, string $where ): self {
		$tokens  = self::tokens( $source );
		$context = self::context( $tokens );
		$count   = count( $tokens );
		for ( $i = 0; $i < $count; $i++ ) {
			$token = $tokens[ $i ];
			$text  = $token[1];
			$line  = $where . ':' . $token[2];
			$after = $tokens[ $i + 1 ][1] ?? '';
			$prev  = $tokens[ $i - 1 ][1] ?? '';
			$helper = '::' === $after && T_STRING === ( $tokens[ $i + 2 ][0] ?? null ) && '(' === ( $tokens[ $i + 3 ][1] ?? '' )
				? self::class_name( $text, $context ) . '::' . $tokens[ $i + 2 ][1]
				: '';
			if ( isset( self::HELPERS[ $helper ] ) ) {
				list( $index, $kind ) = self::HELPERS[ $helper ];
				$arguments            = self::arguments( $tokens, $i + 3 );
				$this->check( $kind, $arguments[ $index ] ?? array(), $tokens, $i, $context, "$line: $helper()" );
			} elseif ( T_STRING === $token[0] && isset( self::WRITERS[ strtolower( $text ) ] ) && '(' === $after && ! in_array( $prev, array( '->', '::', 'function', '?->' ), true ) ) {
				list( $index, $kind ) = self::WRITERS[ strtolower( $text ) ];
				$arguments            = self::arguments( $tokens, $i + 1 );
				$this->check( $kind, $arguments[ $index ] ?? array(), $tokens, $i, $context, "$line: $text()" );
			} elseif ( T_STRING === $token[0] && 'prepare' === $text && '->' === $prev && '(' === $after && ! self::is_helper_class( $context['class'] ) ) {
				$arguments = self::arguments( $tokens, $i + 1 );
				$sql       = implode( '', array_column( $arguments[0] ?? array(), 1 ) );
				if ( preg_match( '/\b(INSERT|REPLACE)\b/i', $sql ) ) {
					if ( false !== strpos( $sql, 'option_name' ) ) {
						$this->check( 'option', $arguments[1] ?? array(), $tokens, $i, $context, "$line: INSERT into an options table" );
					} elseif ( false !== strpos( $sql, 'meta_key' ) ) {
						$this->check( 'network', $arguments[1] ?? array(), $tokens, $i, $context, "$line: INSERT into a meta table" );
					}
				}
			} elseif ( T_VARIABLE === $token[0] && '$wpdb' === $text && '->' === $after && 'prefix' === ( $tokens[ $i + 2 ][1] ?? '' ) && '.' === ( $tokens[ $i + 3 ][1] ?? '' ) ) {
				$expression = self::expression( $tokens, $i + 4 );
				$this->check( 'table', $expression, $tokens, $i, $context, "$line: a table" );
			}
		}
		return $this;
	}

	/**
	 * Whether a class is one of the writing helpers, whose callers name what is written.
	 *
	 * @param string $class Class.
	 */
	private static function is_helper_class( string $class ): bool {
		foreach ( array_keys( self::HELPERS ) as $helper ) {
			if ( 0 === strpos( $helper, $class . '::' ) ) {
				return '' !== $class;
			}
		}
		return false;
	}

	/**
	 * Checks the name an expression writes against the list.
	 *
	 * @param string                          $kind       option, transient, network, cron, table…
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $expression Tokens of the name.
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens     The file's tokens.
	 * @param int                             $at         Where the call is.
	 * @param array{namespace: string, uses: array<string, string>, class: string} $context The file's names.
	 * @param string                          $where      For the report.
	 */
	private function check( string $kind, array $expression, array $tokens, int $at, array $context, string $where ): void {
		$name = self::resolve( $expression, $tokens, $at, $context, 0 );
		if ( null === $name ) {
			$this->problems[] = "$where: cannot tell which name `" . implode( '', array_column( $expression, 1 ) ) . '` is (name it through Stored_Names)';
			return;
		}
		list( $value, $is_prefix ) = $name;
		if ( ! self::listed( $kind, $value, $is_prefix ) ) {
			$this->problems[] = "$where: the $kind " . ( $is_prefix ? "prefix '$value'" : "'$value'" ) . ' is not in Stored_Names';
			return;
		}
		$this->found[] = $kind . ' ' . $value . ( $is_prefix ? '*' : '' );
	}

	/**
	 * Whether Stored_Names lists a name (or a prefix) of a kind.
	 *
	 * @param string $kind      Kind.
	 * @param string $value     Name or prefix.
	 * @param bool   $is_prefix Whether more follows.
	 */
	private static function listed( string $kind, string $value, bool $is_prefix ): bool {
		$starts = static function ( array $prefixes ) use ( $value ): bool {
			foreach ( $prefixes as $prefix ) {
				if ( 0 === strpos( $value, $prefix ) ) {
					return true;
				}
			}
			return false;
		};
		switch ( $kind ) {
			case 'option':
				return ( ! $is_prefix && in_array( $value, Stored_Names::SITE_OPTIONS, true ) ) || $starts( Stored_Names::SITE_OPTION_PREFIXES );
			case 'transient':
				return $starts( Stored_Names::TRANSIENT_PREFIXES );
			case 'network':
				return ! $is_prefix && in_array( $value, Stored_Names::NETWORK_OPTIONS, true );
			case 'cron':
				return ! $is_prefix && in_array( $value, Stored_Names::CRON_HOOKS, true );
			case 'table':
				return ! $is_prefix && in_array( $value, Stored_Names::TABLES, true );
		}
		return false;
	}

	/**
	 * The name an expression makes: [ value, whether more is appended ] — null when unknown.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $expression Tokens.
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens     The file's tokens.
	 * @param int                             $at         Where the expression is used.
	 * @param array{namespace: string, uses: array<string, string>, class: string} $context The file's names.
	 * @param int                             $depth      Recursion guard.
	 * @return array{0: string, 1: bool}|null
	 */
	private static function resolve( array $expression, array $tokens, int $at, array $context, int $depth ): ?array {
		if ( $depth > 5 || array() === $expression ) {
			return null;
		}
		$pieces = self::split( $expression, '.' );
		$first  = $pieces[0];
		$more   = count( $pieces ) > 1;
		if ( '(' === $first[0][1] && ')' === end( $first )[1] ) {
			$inner = self::resolve( array_slice( $first, 1, -1 ), $tokens, $at, $context, $depth + 1 );
			return null === $inner ? null : array( $inner[0], $inner[1] || $more );
		}
		if ( 1 === count( $first ) && T_CONSTANT_ENCAPSED_STRING === $first[0][0] ) {
			return array( stripcslashes( substr( $first[0][1], 1, -1 ) ), $more );
		}
		if ( 1 === count( $first ) && T_VARIABLE === $first[0][0] ) {
			$assigned = self::assignment( $tokens, $at, $first[0][1] );
			$inner    = null === $assigned ? null : self::resolve( $assigned, $tokens, $at, $context, $depth + 1 );
			return null === $inner ? null : array( $inner[0], $inner[1] || $more );
		}
		if ( count( $first ) >= 4 && '$this' === $first[0][1] && '->' === $first[1][1] && T_STRING === $first[2][0] && '(' === $first[3][1] && '' !== $context['class'] ) {
			$inner = self::returned( $context['class'], $first[2][1], $depth );
			return null === $inner ? null : array( $inner[0], $inner[1] || $more );
		}
		if ( count( $first ) >= 3 && '::' === $first[1][1] && T_STRING === $first[2][0] ) {
			$class = self::class_name( $first[0][1], $context );
			if ( null === $class || ! class_exists( $class ) && ! interface_exists( $class ) ) {
				return null;
			}
			if ( 3 === count( $first ) ) {
				$constant = new \ReflectionClassConstant( $class, $first[2][1] );
				$value    = $constant->getValue();
				return is_string( $value ) ? array( $value, $more ) : null;
			}
			if ( '(' === $first[3][1] ) {
				$inner = self::returned( $class, $first[2][1], $depth );
				return null === $inner ? null : array( $inner[0], $inner[1] || $more );
			}
		}
		return null;
	}

	/**
	 * What a method of the class returns: its first `return` expression, resolved in its own file.
	 *
	 * @param string $class  Class.
	 * @param string $method Method.
	 * @param int    $depth  Recursion guard.
	 * @return array{0: string, 1: bool}|null
	 */
	private static function returned( string $class, string $method, int $depth ): ?array {
		if ( ! method_exists( $class, $method ) ) {
			return null;
		}
		$reflection = new \ReflectionMethod( $class, $method );
		$file       = (string) $reflection->getFileName();
		$tokens     = self::tokens( (string) file_get_contents( $file ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		$context    = self::context( $tokens );
		foreach ( $tokens as $i => $token ) {
			if ( T_RETURN === $token[0] && $token[2] >= $reflection->getStartLine() && $token[2] <= $reflection->getEndLine() ) {
				return self::resolve( self::expression( $tokens, $i + 1 ), $tokens, $i, $context, $depth + 1 );
			}
		}
		return null;
	}

	/**
	 * The expression last assigned to a variable before a position, within the same function.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens   Tokens.
	 * @param int                             $at       Position.
	 * @param string                          $variable `$name`.
	 * @return array<int, array{0: int|string, 1: string, 2: int}>|null
	 */
	private static function assignment( array $tokens, int $at, string $variable ): ?array {
		for ( $i = $at - 1; $i >= 0 && T_FUNCTION !== $tokens[ $i ][0]; $i-- ) {
			if ( T_VARIABLE === $tokens[ $i ][0] && $variable === $tokens[ $i ][1] && '=' === ( $tokens[ $i + 1 ][1] ?? '' ) ) {
				return self::expression( $tokens, $i + 2 );
			}
		}
		return null;
	}

	/**
	 * A fully qualified class name as the file spells it.
	 *
	 * @param string                                                        $name    As written.
	 * @param array{namespace: string, uses: array<string, string>, class: string} $context The file's names.
	 */
	private static function class_name( string $name, array $context ): ?string {
		if ( 'self' === $name || 'static' === $name ) {
			return '' === $context['class'] ? null : $context['class'];
		}
		if ( '\\' === $name[0] ) {
			return ltrim( $name, '\\' );
		}
		$head = explode( '\\', $name )[0];
		if ( isset( $context['uses'][ $head ] ) ) {
			return $context['uses'][ $head ] . substr( $name, strlen( $head ) );
		}
		return ( '' === $context['namespace'] ? '' : $context['namespace'] . '\\' ) . $name;
	}

	/**
	 * The namespace, imports and class of a file.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens Tokens.
	 * @return array{namespace: string, uses: array<string, string>, class: string}
	 */
	private static function context( array $tokens ): array {
		$context = array(
			'namespace' => '',
			'uses'      => array(),
			'class'     => '',
		);
		$depth   = 0;
		foreach ( $tokens as $i => $token ) {
			if ( '{' === $token[1] || T_CURLY_OPEN === $token[0] || T_DOLLAR_OPEN_CURLY_BRACES === $token[0] ) {
				++$depth;
			} elseif ( '}' === $token[1] ) {
				--$depth;
			}
			if ( T_NAMESPACE === $token[0] ) {
				$context['namespace'] = $tokens[ $i + 1 ][1];
			} elseif ( T_USE === $token[0] && 0 === $depth ) {
				$name  = ltrim( $tokens[ $i + 1 ][1], '\\' );
				$alias = T_AS === ( $tokens[ $i + 2 ][0] ?? null ) ? $tokens[ $i + 3 ][1] : substr( (string) strrchr( '\\' . $name, '\\' ), 1 );
				$context['uses'][ $alias ] = $name;
			} elseif ( T_CLASS === $token[0] && '' === $context['class'] && '::' !== ( $tokens[ $i - 1 ][1] ?? '' ) ) {
				$context['class'] = ( '' === $context['namespace'] ? '' : $context['namespace'] . '\\' ) . $tokens[ $i + 1 ][1];
			}
		}
		return $context;
	}

	/**
	 * The arguments of a call whose `(` is at $open: one token list per argument.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens Tokens.
	 * @param int                             $open   Index of `(`.
	 * @return array<int, array<int, array{0: int|string, 1: string, 2: int}>>
	 */
	private static function arguments( array $tokens, int $open ): array {
		$depth     = 0;
		$arguments = array( array() );
		$count     = count( $tokens );
		for ( $i = $open; $i < $count; $i++ ) {
			$text = $tokens[ $i ][1];
			if ( in_array( $text, array( '(', '[', '{' ), true ) || T_CURLY_OPEN === $tokens[ $i ][0] || T_DOLLAR_OPEN_CURLY_BRACES === $tokens[ $i ][0] ) {
				++$depth;
				if ( 1 === $depth ) {
					continue;
				}
			} elseif ( in_array( $text, array( ')', ']', '}' ), true ) ) {
				--$depth;
				if ( 0 === $depth ) {
					break;
				}
			} elseif ( ',' === $text && 1 === $depth ) {
				$arguments[] = array();
				continue;
			}
			$arguments[ count( $arguments ) - 1 ][] = $tokens[ $i ];
		}
		return $arguments;
	}

	/**
	 * The tokens of an expression starting at $start, up to `;`, `,` or an unmatched closing bracket.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $tokens Tokens.
	 * @param int                             $start  First token.
	 * @return array<int, array{0: int|string, 1: string, 2: int}>
	 */
	private static function expression( array $tokens, int $start ): array {
		$depth      = 0;
		$expression = array();
		$count      = count( $tokens );
		for ( $i = $start; $i < $count; $i++ ) {
			$text = $tokens[ $i ][1];
			if ( in_array( $text, array( '(', '[', '{' ), true ) ) {
				++$depth;
			} elseif ( in_array( $text, array( ')', ']', '}' ), true ) ) {
				if ( 0 === $depth ) {
					break;
				}
				--$depth;
			} elseif ( 0 === $depth && in_array( $text, array( ';', ',' ), true ) ) {
				break;
			}
			$expression[] = $tokens[ $i ];
		}
		return $expression;
	}

	/**
	 * Splits an expression at a top-level operator.
	 *
	 * @param array<int, array{0: int|string, 1: string, 2: int}> $expression Tokens.
	 * @param string                          $operator   Operator.
	 * @return array<int, array<int, array{0: int|string, 1: string, 2: int}>>
	 */
	private static function split( array $expression, string $operator ): array {
		$depth  = 0;
		$pieces = array( array() );
		foreach ( $expression as $token ) {
			if ( in_array( $token[1], array( '(', '[', '{' ), true ) ) {
				++$depth;
			} elseif ( in_array( $token[1], array( ')', ']', '}' ), true ) ) {
				--$depth;
			} elseif ( 0 === $depth && $operator === $token[1] ) {
				$pieces[] = array();
				continue;
			}
			$pieces[ count( $pieces ) - 1 ][] = $token;
		}
		return $pieces;
	}

	/**
	 * The tokens of a source without whitespace and comments, each as [ id, text, line ].
	 *
	 * @param string $source PHP source.
	 * @return array<int, array{0: int|string, 1: string, 2: int}>
	 */
	private static function tokens( string $source ): array {
		$tokens = array();
		$line   = 1;
		foreach ( token_get_all( $source ) as $token ) {
			if ( is_array( $token ) ) {
				$line = $token[2];
				if ( ! in_array( $token[0], array( T_WHITESPACE, T_COMMENT, T_DOC_COMMENT ), true ) ) {
					$tokens[] = array( $token[0], $token[1], $token[2] );
				}
			} else {
				$tokens[] = array( $token, $token, $line );
			}
		}
		return $tokens;
	}
}
