<?php
/**
 * The parts of includes/ depend on each other one way only.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit;

use PHPUnit\Framework\TestCase;

/**
 * Reads every file's `use` statements and fully qualified `\SmtpPortHelper\X\` references (code
 * and strings, not comments) and checks each against LAYERS: a part may use the parts of its own
 * layer and of the layers below it, never one above. README.md ("Layout") draws the same order.
 */
class Dependency_Direction_Test extends TestCase {

	/**
	 * The layers, lowest first. A part is a folder of includes/ (or a class file at its root).
	 * Transport is the HTTPS/SMTP seam that lands between Probe and the settings; Rekey (a root
	 * class) re-seals the settings', the tokens' and the outbox's secrets for the CLI.
	 */
	private const LAYERS = array(
		array( 'Stored_Names', 'Network_Sites', 'Dismissible_Notice', 'Database', 'Net', 'Secrets', 'Providers' ),
		array( 'Probe' ),
		array( 'Transport' ),
		array( 'Settings', 'OAuth' ),
		array( 'Mail', 'Deliverability' ),
		array( 'Outbox' ),
		array( 'Rekey' ),
		array( 'Admin', 'CLI', 'Health', 'REST' ),
		array( 'Plugin', 'Services', 'Lifecycle' ),
	);

	/**
	 * The one class allowed above its layer, and why: the probe's one way in builds its options
	 * from the saved settings (host, the sealed password's login, the OAuth token) — the probe
	 * engine behind it (Port_Prober, Session/, Verdict) reads no setting.
	 */
	private const EXCEPTIONS = array(
		'Probe/Probe_Options_Factory.php' => array( 'Settings', 'OAuth' ),
	);

	/**
	 * Every file in includes/ imports only parts it may.
	 */
	public function test_every_import_goes_down_the_layers(): void {
		$root       = dirname( __DIR__, 3 ) . '/includes';
		$violations = array();
		$files      = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $root, \FilesystemIterator::SKIP_DOTS ) );
		foreach ( $files as $file ) {
			if ( '.php' !== substr( (string) $file, -4 ) ) {
				continue;
			}
			$relative   = substr( (string) $file, strlen( $root ) + 1 );
			$violations = array_merge( $violations, $this->violations( $relative, (string) file_get_contents( (string) $file ) ) );
		}
		$this->assertSame( array(), $violations, 'Imports that go up the layers (see LAYERS and README.md "Layout")' );
	}

	/**
	 * Every folder of includes/ has its place in the table, so a new part cannot slip past it.
	 */
	public function test_every_part_has_a_layer(): void {
		$parts = array_map( 'basename', (array) glob( dirname( __DIR__, 3 ) . '/includes/*', GLOB_ONLYDIR ) );
		foreach ( $parts as $part ) {
			$this->assertNotNull( $this->layer_of( $part ), "includes/$part has no layer in Dependency_Direction_Test::LAYERS" );
		}
	}

	/**
	 * The check itself fails on a wrong import, a fully qualified reference, a class name in a
	 * string, and a call into the composition root; it lets a constant of the root and a lower
	 * part through, and ignores comments.
	 */
	public function test_the_check_sees_an_import_that_goes_up(): void {
		$header = "<?php\nnamespace SmtpPortHelper\\Mail;\n";
		$this->assertSame( array( 'Mail/X.php uses Outbox (SmtpPortHelper\\Outbox\\Mail_Queue)' ), $this->violations( 'Mail/X.php', $header . "use SmtpPortHelper\\Outbox\\Mail_Queue;\n" ) );
		$this->assertCount( 1, $this->violations( 'Net/X.php', "<?php\nnamespace SmtpPortHelper\\Net;\nfunction f() { return \\SmtpPortHelper\\Probe\\Verdict::OK; }\n" ) );
		$this->assertCount( 1, $this->violations( 'Probe/X.php', "<?php\nnamespace SmtpPortHelper\\Probe;\n\$c = '\\SmtpPortHelper\\Settings\\Settings_Store';\n" ) );
		$this->assertCount( 1, $this->violations( 'Outbox/X.php', "<?php\nnamespace SmtpPortHelper\\Outbox;\nuse SmtpPortHelper\\Plugin;\n\$p = Plugin::instance();\n" ) );
		$this->assertCount( 1, $this->violations( 'Probe/Port_Prober.php', "<?php\nnamespace SmtpPortHelper\\Probe;\nuse SmtpPortHelper\\Settings\\Settings_Store;\n" ), 'an exception is for its own file only' );
		$this->assertSame( array(), $this->violations( 'Outbox/X.php', "<?php\nnamespace SmtpPortHelper\\Outbox;\nuse SmtpPortHelper\\Plugin;\nuse SmtpPortHelper\\Mail\\Spool;\nconst A = Plugin::OUTBOX_CRON_HOOK;\n// \\SmtpPortHelper\\Admin\\Settings_Page\n" ) );
	}

	/**
	 * What in one file goes up the layers.
	 *
	 * @param string $relative Path below includes/.
	 * @param string $source   The file's text.
	 * @return string[] One line per import that goes up.
	 */
	private function violations( string $relative, string $source ): array {
		$from = false === strpos( $relative, '/' ) ? basename( $relative, '.php' ) : strstr( $relative, '/', true );
		if ( 'autoload' === $from ) {
			return array();
		}
		$code = '';
		foreach ( token_get_all( $source ) as $token ) {
			if ( ! is_array( $token ) || ! in_array( $token[0], array( T_COMMENT, T_DOC_COMMENT ), true ) ) {
				$code .= is_array( $token ) ? $token[1] : $token;
			}
		}
		preg_match_all( '/^use\s+SmtpPortHelper\\\\([\w\\\\]+)/m', $code, $imports );
		preg_match_all( '/\\\\{1,2}SmtpPortHelper\\\\{1,2}(\w+(?:\\\\{1,2}\w+)*)/', $code, $qualified );
		$found = array();
		foreach ( array_merge( $imports[1], $qualified[1] ) as $name ) {
			$name = str_replace( '\\\\', '\\', $name );
			$to   = explode( '\\', $name )[0];
			if ( $to === $from || $this->may_use( $from, $to, $relative ) ) {
				continue;
			}
			if ( 'Plugin' === $to && ! preg_match( '/(?<![\w$>])Plugin(?!::[A-Z][A-Z0-9_]*\b)\b/', preg_replace( '/^use [^;]+;/m', '', $code ) ) ) {
				continue; // Only constants of the composition root: the names every part shares.
			}
			$found[ "$relative uses $to (SmtpPortHelper\\$name)" ] = true;
		}
		return array_keys( $found );
	}

	/**
	 * Whether a part may use another.
	 *
	 * @param string $from     The using part.
	 * @param string $to       The used part.
	 * @param string $relative The using file, below includes/.
	 */
	private function may_use( string $from, string $to, string $relative ): bool {
		if ( in_array( $to, self::EXCEPTIONS[ $relative ] ?? array(), true ) ) {
			return true;
		}
		$below = $this->layer_of( $to );
		$above = $this->layer_of( $from );
		return null !== $below && null !== $above && $below <= $above;
	}

	/**
	 * The layer of a part, or null when the table does not name it.
	 *
	 * @param string $part Folder of includes/ or root class.
	 */
	private function layer_of( string $part ): ?int {
		foreach ( self::LAYERS as $layer => $parts ) {
			if ( in_array( $part, $parts, true ) ) {
				return $layer;
			}
		}
		return null;
	}
}
