<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Report_Markdown;

final class Report_Markdown_Test extends TestCase {

	/**
	 * @return array<string, mixed>
	 */
	private function report(): array {
		return array(
			'host'           => 'smtp.example.com',
			'elapsed_ms'     => 130,
			'results'        => array(
				array(
					'port'       => 587,
					'verdict'    => 'ok',
					'elapsed_ms' => 120,
					'address'    => '192.0.2.10',
					'stages'     => array(
						array(
							'name'   => 'connect',
							'ok'     => true,
							'ms'     => 3,
							'detail' => '',
						),
						array(
							'name'   => 'banner',
							'ok'     => true,
							'ms'     => 40,
							'detail' => "220 smtp.example.com ESMTP | <b>hi</b>\r\n",
						),
					),
					'message'    => 'Port 587 works.',
				),
				array(
					'port'       => 25,
					'verdict'    => 'timeout',
					'elapsed_ms' => 5000,
					'stages'     => array(
						array(
							'name'   => 'connect',
							'ok'     => false,
							'ms'     => 5000,
							'detail' => 'timed out',
						),
					),
					'message'    => 'Nothing answered on port 25.',
				),
			),
			'recommendation' => array(
				'port'       => 587,
				'encryption' => 'starttls',
				'reason'     => 'Port 587 works with STARTTLS.',
			),
		);
	}

	public function test_every_port_is_a_table_row_with_its_stages(): void {
		$markdown = Report_Markdown::render( $this->report(), 'site@example.com', array( 'The last message was sent as saved.' ), 'www.example.org' );
		$this->assertStringContainsString( '## SMTP port test of smtp.example.com', $markdown );
		$this->assertStringContainsString( 'from the web server of www.example.org', $markdown );
		$this->assertStringContainsString( 'Recommended: port 587 with STARTTLS.', $markdown );
		$this->assertMatchesRegularExpression( '/^\| 587 \| `ok` \| 120 ms \| 192\.0\.2\.10 \| connect ✓ 3 ms<br>banner ✓ 40 ms \(220 smtp\.example\.com ESMTP \\\\\| &lt;b&gt;hi&lt;\/b&gt;\) \| Port 587 works\. \|$/m', $markdown );
		$this->assertMatchesRegularExpression( '/^\| 25 \| `timeout` \| 5000 ms \| - \| connect ✗ 5000 ms \(timed out\) \| Nothing answered on port 25\. \|$/m', $markdown );
		$this->assertStringContainsString( "### How this site sends mail\n\n- The last message was sent as saved.", $markdown );
	}

	public function test_the_user_name_is_shortened_and_never_whole(): void {
		$markdown = Report_Markdown::render( $this->report(), 'site@example.com' );
		$this->assertStringContainsString( 'Login tested as `si…`', $markdown );
		$this->assertStringNotContainsString( 'site@example.com', $markdown );
		$this->assertSame( 'z', Report_Markdown::shortened( 'zoo' ) );
		$this->assertStringContainsString( 'Login not tested', Report_Markdown::render( $this->report(), null ) );
	}
}
