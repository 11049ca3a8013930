<?php
/**
 * Tests for Conversation.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Session\Conversation;
use SmtpPortHelper\Probe\Session\Reply_Action;
use SmtpPortHelper\Probe\Session\Result_Recorder;
use SmtpPortHelper\Probe\Session\State;
use SmtpPortHelper\Probe\Session\Smtp_Reply;
use SmtpPortHelper\Probe\Verdict;

/**
 * The SMTP dialogue without a socket: replies in, actions and result out.
 */
class Conversation_Test extends TestCase {

	/**
	 * Result filled by the conversation under test.
	 *
	 * @var Port_Result
	 */
	private Port_Result $result;

	/**
	 * A conversation on port 587.
	 *
	 * @param array<string, mixed> $options Extra options.
	 * @return Conversation
	 */
	private function conversation( array $options = array() ): Conversation {
		$this->result = new Port_Result( 587 );
		$conversation = new Conversation(
			Probe_Options::from_array(
				array_merge(
					array(
						'host'      => 'smtp.example.com',
						'ehlo_name' => 'client.example.org',
					),
					$options
				)
			),
			$this->result,
			new Result_Recorder( $this->result )
		);
		$conversation->connected( '127.0.0.1:40000' );
		return $conversation;
	}

	/**
	 * A reply from its lines.
	 *
	 * @param int      $code  Code.
	 * @param string[] $lines Lines.
	 * @return Smtp_Reply
	 */
	private static function reply( int $code, array $lines ): Smtp_Reply {
		return new Smtp_Reply( $code, $lines );
	}

	/**
	 * A finished handshake: after STARTTLS, EHLO again; before any greeting, implicit TLS and wait for the greeting.
	 */
	public function test_tls_established(): void {
		$negotiated = array(
			'version'     => 'TLSv1.3',
			'cipher'      => 'TLS_AES_256_GCM_SHA384',
			'certificate' => null,
		);

		$conversation = $this->conversation();
		$ehlo         = $conversation->tls_established( $negotiated, false, null, 1.0 );
		$this->assertSame( array( Reply_Action::SEND, 'EHLO client.example.org', State::EHLO_TLS ), array( $ehlo->kind(), $ehlo->text(), $ehlo->state() ) );
		$this->assertSame( array( 'tls' ), array_column( $this->result->stages, 'name' ) );
		$this->assertSame( 'TLSv1.3 TLS_AES_256_GCM_SHA384', $this->result->stages[0]['detail'] );
		$this->assertSame( Port_Result::MODE_UNKNOWN, $this->result->mode );

		$conversation = $this->conversation();
		$greeting     = $conversation->tls_established( $negotiated, true, null, 1.0 );
		$this->assertSame( array( Reply_Action::AWAIT, State::BANNER ), array( $greeting->kind(), $greeting->state() ) );
		$this->assertSame( Port_Result::MODE_IMPLICIT_TLS, $this->result->mode );
	}

	/**
	 * Greeting, EHLO, STARTTLS, EHLO after TLS with AUTH offered and no credentials: OK, then QUIT.
	 */
	public function test_starttls_without_credentials(): void {
		$conversation = $this->conversation();

		$ehlo = $conversation->reply( State::BANNER, self::reply( 220, array( 'mx.example.com ESMTP' ) ), false, false, 1.0 );
		$this->assertSame( array( Reply_Action::SEND, 'EHLO client.example.org', State::EHLO ), array( $ehlo->kind(), $ehlo->text(), $ehlo->state() ) );
		$this->assertSame( 'mx.example.com', $this->result->banner_host );

		$starttls = $conversation->reply( State::EHLO, self::reply( 250, array( 'mx.example.com', 'AUTH PLAIN', 'STARTTLS' ) ), false, false, 1.1 );
		$this->assertSame( array( Reply_Action::SEND, 'STARTTLS', State::STARTTLS ), array( $starttls->kind(), $starttls->text(), $starttls->state() ) );
		$this->assertSame( Port_Result::MODE_STARTTLS, $this->result->mode );
		$this->assertTrue( $this->result->auth_seen_plain );

		$tls = $conversation->reply( State::STARTTLS, self::reply( 220, array( 'go ahead' ) ), false, false, 1.2 );
		$this->assertSame( Reply_Action::START_TLS, $tls->kind() );

		$quit = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx.example.com', 'AUTH LOGIN PLAIN' ) ), true, false, 1.3 );
		$this->assertSame( Reply_Action::QUIT, $quit->kind() );
		$this->assertSame( Verdict::OK, $this->result->verdict );
		$this->assertSame( array( 'LOGIN', 'PLAIN' ), $this->result->auth_mechanisms );
		$this->assertFalse( $this->result->auth_seen_plain );
		$this->assertSame( array( 'banner', 'ehlo', 'starttls', 'ehlo_tls' ), array_column( $this->result->stages, 'name' ) );

		$done = $conversation->reply( State::QUIT, self::reply( 221, array( 'bye' ) ), true, false, 1.4 );
		$this->assertSame( Reply_Action::FINISH, $done->kind() );
	}

	/**
	 * AUTH LOGIN answers two challenges, cancels a third, and records the outcome.
	 */
	public function test_auth_login(): void {
		$conversation = $this->conversation(
			array(
				'username' => 'user',
				'password' => 'secret',
			)
		);
		$auth         = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH LOGIN' ) ), true, false, 1.0 );
		$this->assertSame( array( Reply_Action::SEND, 'AUTH LOGIN', State::AUTH ), array( $auth->kind(), $auth->text(), $auth->state() ) );
		$this->assertSame( base64_encode( 'user' ), $conversation->reply( State::AUTH, self::reply( 334, array( 'VXNlcm5hbWU6' ) ), true, false, 1.1 )->text() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( base64_encode( 'secret' ), $conversation->reply( State::AUTH, self::reply( 334, array( 'UGFzc3dvcmQ6' ) ), true, false, 1.2 )->text() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( '*', $conversation->reply( State::AUTH, self::reply( 334, array( '' ) ), true, false, 1.3 )->text() );

		$quit = $conversation->reply( State::AUTH, self::reply( 535, array( 'authentication failed' ) ), true, false, 1.4 );
		$this->assertSame( Reply_Action::QUIT, $quit->kind() );
		$this->assertSame( Verdict::AUTH_FAILED, $this->result->verdict );
		$this->assertFalse( $this->result->auth_ok );
		$this->assertSame( array( 'ehlo', 'auth' ), array_column( $this->result->stages, 'name' ) );
		$this->assertSame( 'LOGIN: 535 authentication failed', $this->result->stages[1]['detail'] );
	}

	/**
	 * With an OAuth token: AUTH XOAUTH2 with the initial response, an empty line after the 334
	 * error challenge, and the 535 recorded under the XOAUTH2 mechanism.
	 */
	public function test_auth_xoauth2(): void {
		$conversation = $this->conversation(
			array(
				'username'    => 'me@example.com',
				'oauth_token' => 'token-123',
			)
		);
		$auth         = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH PLAIN LOGIN XOAUTH2' ) ), true, false, 1.0 );
		$this->assertSame( 'AUTH XOAUTH2 ' . base64_encode( "user=me@example.com\x01auth=Bearer token-123\x01\x01" ), $auth->text() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( '', $conversation->reply( State::AUTH, self::reply( 334, array( 'eyJzdGF0dXMiOiI0MDEifQ==' ) ), true, false, 1.1 )->text() );
		$conversation->reply( State::AUTH, self::reply( 535, array( '5.7.8 Authentication failed' ) ), true, false, 1.2 );
		$this->assertSame( Verdict::AUTH_FAILED, $this->result->verdict );
		$this->assertSame( 'XOAUTH2: 535 5.7.8 Authentication failed', $this->result->stages[1]['detail'] );

		$conversation = $this->conversation(
			array(
				'username'    => 'me@example.com',
				'oauth_token' => 'token-123',
			)
		);
		$conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH XOAUTH2' ) ), true, false, 1.0 );
		$conversation->reply( State::AUTH, self::reply( 235, array( '2.7.0 Authentication successful' ) ), true, false, 1.1 );
		$this->assertSame( Verdict::OK, $this->result->verdict );
		$this->assertTrue( $this->result->auth_ok );
		$this->assertSame( 'XOAUTH2: 235 2.7.0 Authentication successful', $this->result->stages[1]['detail'] );
	}

	/**
	 * OAuth chosen but no token (a refused refresh): nothing is sent, the AUTH stage gives the verdict and why.
	 */
	public function test_oauth_without_a_token(): void {
		$conversation = $this->conversation(
			array(
				'username'      => 'me@example.com',
				'oauth_failure' => array(
					'code'    => Verdict::OAUTH_REFRESH_FAILED,
					'message' => 'invalid_grant: revoked',
				),
			)
		);
		$quit         = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH XOAUTH2' ) ), true, false, 1.0 );
		$this->assertSame( Reply_Action::QUIT, $quit->kind() );
		$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $this->result->verdict );
		$this->assertSame( 'invalid_grant: revoked', $this->result->verdict_detail );
		$this->assertStringContainsString( 'invalid_grant: revoked', Verdict::message( $this->result ) );
	}

	/**
	 * A token but no XOAUTH2 offered: no usable login method, the token is not sent another way.
	 */
	public function test_xoauth2_not_offered(): void {
		$conversation = $this->conversation(
			array(
				'username'    => 'me@example.com',
				'oauth_token' => 'token-123',
			)
		);
		$quit         = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH PLAIN LOGIN' ) ), true, false, 1.0 );
		$this->assertSame( Reply_Action::QUIT, $quit->kind() );
		$this->assertSame( Verdict::AUTH_UNAVAILABLE, $this->result->verdict );
		$this->assertSame( 'no XOAUTH2 (offered: PLAIN LOGIN)', $this->result->verdict_detail );
	}

	/**
	 * Credentials but neither PLAIN nor LOGIN offered.
	 */
	public function test_auth_unavailable(): void {
		$conversation = $this->conversation(
			array(
				'username' => 'user',
				'password' => 'secret',
			)
		);
		$quit         = $conversation->reply( State::EHLO_TLS, self::reply( 250, array( 'mx', 'AUTH CRAM-MD5' ) ), true, false, 1.0 );
		$this->assertSame( Reply_Action::QUIT, $quit->kind() );
		$this->assertSame( Verdict::AUTH_UNAVAILABLE, $this->result->verdict );
		$this->assertSame( 'no PLAIN or LOGIN (offered: CRAM-MD5)', $this->result->verdict_detail );
	}

	/**
	 * No STARTTLS: plain mode and its verdict; on the certificate-reading connection, give up.
	 */
	public function test_starttls_missing(): void {
		$conversation = $this->conversation();
		$this->assertSame( Reply_Action::QUIT, $conversation->reply( State::EHLO, self::reply( 250, array( 'mx', 'SIZE 100' ) ), false, false, 1.0 )->kind() );
		$this->assertSame( Port_Result::MODE_PLAIN, $this->result->mode );
		$this->assertSame( Verdict::STARTTLS_MISSING, $this->result->verdict );

		$inspecting = $this->conversation();
		$action     = $inspecting->reply( State::EHLO, self::reply( 250, array( 'mx' ) ), false, true, 1.0 );
		$this->assertSame( Reply_Action::CERTIFICATE_UNREADABLE, $action->kind() );
		$this->assertSame( 'STARTTLS not offered on the second connection', $action->text() );
		$this->assertSame( '', $this->result->verdict );
	}

	/**
	 * Greetings: refusal, non-SMTP, and the certificate-reading connection quitting after TLS.
	 */
	public function test_greetings(): void {
		$conversation = $this->conversation();
		$this->assertSame( Reply_Action::QUIT, $conversation->reply( State::BANNER, self::reply( 554, array( 'go away' ) ), false, false, 1.0 )->kind() );
		$this->assertSame( Verdict::REJECTED, $this->result->verdict );

		$this->conversation()->reply( State::BANNER, self::reply( 250, array( 'odd' ) ), false, false, 1.0 );
		$this->assertSame( Verdict::NOT_SMTP, $this->result->verdict );

		$this->assertSame( Reply_Action::QUIT, $this->conversation()->reply( State::BANNER, self::reply( 220, array( 'mx' ) ), true, true, 1.0 )->kind() );
		$this->assertSame( array(), $this->result->stages );
		$this->assertSame( Reply_Action::CERTIFICATE_UNREADABLE, $this->conversation()->reply( State::BANNER, self::reply( 421, array( 'busy' ) ), true, true, 1.0 )->kind() );
	}

	/**
	 * A negative EHLO reply rejects; a QUIT reply other than 221 is waited out.
	 */
	public function test_rejections(): void {
		$conversation = $this->conversation();
		$this->assertSame( Reply_Action::QUIT, $conversation->reply( State::EHLO, self::reply( 550, array( 'no' ) ), false, false, 1.0 )->kind() );
		$this->assertSame( Verdict::REJECTED, $this->result->verdict );
		$this->assertSame( Reply_Action::WAIT, $conversation->reply( State::QUIT, self::reply( 250, array( 'hm' ) ), false, false, 1.1 )->kind() );
		$this->assertSame( Reply_Action::QUIT, $conversation->reply( State::STARTTLS, self::reply( 454, array( 'TLS not available' ) ), false, false, 1.2 )->kind() );
	}
}
