<?php
/**
 * Phpmailer_Classes loads each of WordPress's PHPMailer classes that is missing.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Mail;

use PHPUnit\Framework\TestCase;

final class Phpmailer_Classes_Test extends TestCase {

	/**
	 * A process that loaded PHPMailer.php alone (as another plugin may) gets SMTP and Exception
	 * too — it used to get nothing, and an outbox runner failed with "Class SMTP not found".
	 * In a PHP process of its own: this one may have loaded the classes already.
	 */
	public function test_smtp_is_loaded_when_only_phpmailer_was(): void {
		$root      = dirname( __DIR__, 4 );
		$wordpress = $root . '/.cache/wordpress/';
		if ( ! is_file( $wordpress . 'wp-includes/PHPMailer/SMTP.php' ) ) {
			$this->markTestSkipped( 'needs WordPress in .cache/wordpress (bash env/setup.sh all)' );
		}
		$script = sprintf(
			'define( "ABSPATH", %s ); define( "SMTP_PORT_HELPER_TESTING", true ); require ABSPATH . "wp-includes/PHPMailer/PHPMailer.php"; require %s; SmtpPortHelper\Mail\Phpmailer_Classes::load(); SmtpPortHelper\Mail\Phpmailer_Classes::load(); echo json_encode( array( class_exists( "PHPMailer\PHPMailer\SMTP", false ), class_exists( "PHPMailer\PHPMailer\Exception", false ) ) );',
			var_export( $wordpress, true ),
			var_export( $root . '/includes/Mail/Phpmailer_Classes.php', true )
		);
		$output = shell_exec( escapeshellarg( PHP_BINARY ) . ' -n -r ' . escapeshellarg( $script ) . ' 2>&1' );
		$this->assertSame( '[true,true]', $output );
	}
}
