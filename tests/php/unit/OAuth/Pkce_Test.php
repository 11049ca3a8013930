<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\OAuth;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\OAuth\Pkce;
use SmtpPortHelper\Probe\Xoauth2;

final class Pkce_Test extends TestCase {

	/**
	 * RFC 7636 Appendix B: the example verifier and its S256 challenge.
	 */
	public function test_the_challenge_of_the_rfc_example(): void {
		$this->assertSame( 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', Pkce::challenge( 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' ) );
	}

	public function test_verifiers_are_random_and_of_the_allowed_alphabet_and_length(): void {
		$one = Pkce::verifier();
		$two = Pkce::verifier();
		$this->assertNotSame( $one, $two );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]{43,128}$/', $one );
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]{43}$/', Pkce::challenge( $one ) );
	}

	/**
	 * The XOAUTH2 initial response as Microsoft and Google document it.
	 */
	public function test_the_xoauth2_initial_response(): void {
		// Google's documented example: user=someuser@example.com, token ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg.
		$this->assertSame(
			'dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNSbGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==',
			Xoauth2::initial_response( 'someuser@example.com', 'ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg' )
		);
	}
}
